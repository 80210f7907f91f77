/** get_selection: the user's current selection in the active editor (VS Code only). */
import type { JsonSchema } from './argumentValidation.ts';
import { requireEditor } from './editorTools.ts';
import type { WorkspaceTool } from './tool.ts';
import { readCall } from './tool.ts';

export type GetSelectionInput = Record<string, never>;

export const getSelectionParameters: JsonSchema = { type: 'object', properties: {}, additionalProperties: false };

export const getSelectionTool: WorkspaceTool<GetSelectionInput> = {
  name: 'get_selection',
  access: 'read',
  description: 'Get the text the user has selected in the active editor, with its file and line range. Use when the user refers to "this code" or "the selection".',
  parameters: getSelectionParameters,
  async prepare(_input, context) {
    const editor = requireEditor(context, 'get_selection');
    return readCall({ reads: [] }, 'Read the selection', async () => {
      const selection = await editor.getSelection();
      if (!selection) return 'No text editor is active.';
      const where = context.paths.displayOf(selection.path);
      if (where === undefined) return 'The active editor shows a file outside the workspace, which tools cannot read.';
      if (selection.text === '') return `Nothing is selected; the cursor is in ${where} at line ${selection.startLine} (${selection.languageId}).`;
      return `${where} lines ${selection.startLine}-${selection.endLine} (${selection.languageId}):\n${selection.text}`;
    });
  },
};
