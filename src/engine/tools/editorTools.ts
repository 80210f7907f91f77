/**
 * Shared helpers for the tools that only an editor can answer (find_symbols, get_diagnostics,
 * get_selection, open_editors). Their data comes through the EditorContext port, which the VS Code
 * adapter implements; elsewhere they are not registered, and if called anyway they say so.
 */
import type { EditorContext } from '../ports/editorContext.ts';
import type { ToolContext } from './tool.ts';
import { ToolError } from './tool.ts';

export function requireEditor(context: ToolContext, tool: string): EditorContext {
  if (!context.editor) throw new ToolError(`${tool} needs the VS Code editor and is not available here. Use search_text or read_file instead.`);
  return context.editor;
}
