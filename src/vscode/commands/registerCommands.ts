/**
 * One handler per id in commandTable.ts, registered in one loop. The table is typed by CommandId,
 * so a declared command without a handler does not compile; the unit test and the in-host suite
 * check that package.json declares exactly these.
 */
import * as vscode from 'vscode';
import { manageAssistants, selectAssistant, type AssistantCommandDependencies } from '../assistants/assistantCommands.ts';
import type { LocalApiServer } from '../server/localApiServer.ts';
import type { ProviderWizard, SelectModelArgs } from '../setup/providerWizard.ts';
import { exportThread, importThreadsFromFile, type ExportArgs, type ImportArgs, type TransferDependencies } from '../transfer/threadTransferCommands.ts';
import { COMMANDS, EXTENSION_ID, WALKTHROUGH_ID, type CommandId } from './commandTable.ts';
import type { createEditorCommands } from './editorCommands.ts';
import type { FixTarget } from './editorContext.ts';

export interface CommandDependencies {
  /** Reveals the chat panel as it is. */
  openChat(): Promise<void>;
  editor: ReturnType<typeof createEditorCommands>;
  wizard: ProviderWizard;
  assistants: AssistantCommandDependencies;
  transfer: TransferDependencies;
  server: LocalApiServer;
  addToKnowledgeBase(resource?: vscode.Uri, selected?: vscode.Uri[]): Promise<unknown>;
  log: vscode.LogOutputChannel;
}

type Handler = (...args: never[]) => unknown;

export function registerCommands(deps: CommandDependencies): vscode.Disposable {
  const handlers: Record<CommandId, Handler> = {
    [COMMANDS.explainSelection]: () => deps.editor.explainSelection(),
    [COMMANDS.fixThis]: (target?: FixTarget) => deps.editor.fixThis(target),
    [COMMANDS.writeTests]: () => deps.editor.writeTests(),
    [COMMANDS.refactorSelection]: (request?: string) => deps.editor.refactorSelection(request),
    [COMMANDS.askAboutFile]: (resource?: vscode.Uri | string, question?: string) => deps.editor.askAboutFile(resource, question),
    [COMMANDS.openChat]: () => deps.openChat(),
    [COMMANDS.addToKnowledgeBase]: (resource?: vscode.Uri, selected?: vscode.Uri[]) => deps.addToKnowledgeBase(resource, selected),
    [COMMANDS.selectModel]: (args?: SelectModelArgs) => deps.wizard.run(args),
    [COMMANDS.selectAssistant]: (args?: { assistantId?: string }) => selectAssistant(deps.assistants, args),
    [COMMANDS.manageAssistants]: () => manageAssistants(deps.assistants),
    [COMMANDS.exportThread]: (args?: ExportArgs) => exportThread(deps.transfer, args),
    [COMMANDS.importThreads]: (args?: ImportArgs) => importThreadsFromFile(deps.transfer, args),
    [COMMANDS.startServer]: (args?: { port?: number; quiet?: boolean }) => deps.server.start(args),
    [COMMANDS.stopServer]: () => deps.server.stop(),
    [COMMANDS.showLogs]: () => deps.log.show(true),
    [COMMANDS.getStarted]: () => vscode.commands.executeCommand('workbench.action.openWalkthrough', `${EXTENSION_ID}#${WALKTHROUGH_ID}`, false),
  };
  return vscode.Disposable.from(...Object.entries(handlers).map(([id, handler]) => vscode.commands.registerCommand(id, (...args: unknown[]) => run(id, handler, args, deps.log))));
}

/** A failing command is logged with its stack and told to the user once, in words. */
async function run(id: string, handler: Handler, args: unknown[], log: vscode.LogOutputChannel): Promise<unknown> {
  try {
    return await (handler as (...values: unknown[]) => unknown)(...args);
  } catch (error) {
    log.error(`Command ${id} failed`, error);
    // Called with arguments means a script or test: it gets the error itself.
    if (args.length > 0 && !(args[0] instanceof vscode.Uri)) throw error;
    void vscode.window.showErrorMessage(`Threadwork: ${error instanceof Error ? error.message : String(error)}`, 'Show Logs').then((choice) => {
      if (choice) log.show(true);
    });
    return undefined;
  }
}
