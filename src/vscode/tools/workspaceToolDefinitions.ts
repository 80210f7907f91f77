/**
 * The workspace tools as v2 function-tool definitions, for the extension's own assistant and its
 * runs. The schemas are the engine's tool definitions, unchanged, so what the model is told is what
 * the executor validates against. No `vscode` import: the chat controller's tests load it.
 */
import type { ToolAccess } from '../../engine/tools/tool.ts';
import type { ToolRegistry } from '../../engine/tools/toolRegistry.ts';
import { createWorkspaceToolRegistry } from '../../engine/tools/workspaceTools.ts';
import type { ToolDefinition } from '../../engine/types/tools.ts';

let registry: ToolRegistry | undefined;

/** The registry the extension executes calls with: every workspace tool, editor tools included. */
export function extensionToolRegistry(): ToolRegistry {
  return (registry ??= createWorkspaceToolRegistry({ withEditorTools: true }));
}

const READ_ONLY: readonly ToolAccess[] = ['read'];

/** All tools, or only the read tools (an untrusted workspace). */
export function workspaceToolDefinitions(options: { readOnly?: boolean } = {}): ToolDefinition[] {
  return extensionToolRegistry().definitions(options.readOnly ? READ_ONLY : undefined);
}

export function workspaceToolNames(): string[] {
  return extensionToolRegistry().names();
}

/**
 * `tools` with its workspace tools replaced by `workspace`; every other tool (file_search,
 * code_interpreter, the user's own functions) is kept as it is.
 */
export function withWorkspaceTools(tools: readonly ToolDefinition[], workspace: readonly ToolDefinition[]): ToolDefinition[] {
  const names = new Set(workspaceToolNames());
  return [...tools.filter((tool) => !(tool.type === 'function' && names.has(tool.function.name))), ...workspace];
}

/** True when `tools` already declares today's workspace tools, with today's schemas. */
export function declaresCurrentWorkspaceTools(tools: readonly ToolDefinition[]): boolean {
  return JSON.stringify(tools) === JSON.stringify(withWorkspaceTools(tools, workspaceToolDefinitions()));
}
