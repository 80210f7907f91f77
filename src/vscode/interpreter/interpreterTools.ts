/**
 * The code interpreter among the built-in assistant's run tools, and which tools a file attached
 * in the chat goes to. No `vscode` import.
 */
import type { Attachment } from '../../engine/types/message.ts';
import type { ToolDefinition } from '../../engine/types/tools.ts';

/** `tools` plus `code_interpreter` when enabled; without it when not. Other tools stay as they are. */
export function withCodeInterpreter(tools: readonly ToolDefinition[], enabled: boolean): ToolDefinition[] {
  const others = tools.filter((tool) => tool.type !== 'code_interpreter');
  return enabled ? [...others, { type: 'code_interpreter' }] : others;
}

/**
 * Documents file_search can read (docs/assistants-v2.md §6.5); data files (CSV, spreadsheets,
 * images, archives) go to the code interpreter only, as v2's playground sent them.
 */
const SEARCHABLE = /\.(c|cpp|cs|css|docx?|go|html|java|js|json|md|pdf|php|pptx|py|rb|sh|tex|ts|txt)$/i;

/** The tools a file attached to a message reaches; empty when none can use it. */
export function attachmentTools(filename: string, codeInterpreterEnabled: boolean): Attachment['tools'] {
  const tools: Attachment['tools'] = [];
  if (codeInterpreterEnabled) tools.push({ type: 'code_interpreter' });
  if (SEARCHABLE.test(filename)) tools.push({ type: 'file_search' });
  return tools;
}
