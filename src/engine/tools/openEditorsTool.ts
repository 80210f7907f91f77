/** open_editors: the files the user has open (VS Code only). */
import type { JsonSchema } from './argumentValidation.ts';
import { requireEditor } from './editorTools.ts';
import type { WorkspaceTool } from './tool.ts';
import { readCall } from './tool.ts';

export type OpenEditorsInput = Record<string, never>;

export const openEditorsParameters: JsonSchema = { type: 'object', properties: {}, additionalProperties: false };

export const openEditorsTool: WorkspaceTool<OpenEditorsInput> = {
  name: 'open_editors',
  access: 'read',
  description: 'List the files open in the editor, marking the active one and those with unsaved changes. Useful to see what the user is working on.',
  parameters: openEditorsParameters,
  async prepare(_input, context) {
    const editor = requireEditor(context, 'open_editors');
    return readCall({ reads: [] }, 'List open editors', async () => {
      const lines = (await editor.openEditors()).flatMap((item) => {
        const where = context.paths.displayOf(item.path);
        if (where === undefined) return [];
        const marks = [item.isActive ? 'active' : '', item.isDirty ? 'unsaved changes' : ''].filter(Boolean).join(', ');
        return [`${where} (${item.languageId}${marks ? `; ${marks}` : ''})`];
      });
      return lines.length === 0 ? 'No workspace files are open.' : `${lines.length} open:\n${lines.join('\n')}`;
    });
  },
};
