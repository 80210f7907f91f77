/** The registry of every workspace tool, as the composition root wires it. */
import { applyEditTool } from './applyEditTool.ts';
import { createFileTool } from './createFileTool.ts';
import { deleteFileTool } from './deleteFileTool.ts';
import { findSymbolsTool } from './findSymbolsTool.ts';
import { getDiagnosticsTool } from './getDiagnosticsTool.ts';
import { getSelectionTool } from './getSelectionTool.ts';
import { listFilesTool } from './listFilesTool.ts';
import { openEditorsTool } from './openEditorsTool.ts';
import { readFileTool } from './readFileTool.ts';
import { runCommandTool } from './runCommandTool.ts';
import { runTestsTool } from './runTestsTool.ts';
import { searchTextTool } from './searchTextTool.ts';
import { ToolRegistry } from './toolRegistry.ts';

/** `withEditorTools`: only where an EditorContext exists (VS Code). */
export function createWorkspaceToolRegistry(options: { withEditorTools: boolean }): ToolRegistry {
  const registry = new ToolRegistry()
    .register(readFileTool)
    .register(listFilesTool)
    .register(searchTextTool)
    .register(applyEditTool)
    .register(createFileTool)
    .register(deleteFileTool)
    .register(runTestsTool)
    .register(runCommandTool);
  if (options.withEditorTools) {
    registry.register(findSymbolsTool).register(getDiagnosticsTool).register(getSelectionTool).register(openEditorsTool);
  }
  return registry;
}
