/**
 * "Threadwork: Restore Checkpoint" puts back exactly the files one run of the current thread wrote
 * (changed files get their old bytes, created files go, deleted files return); "Threadwork: Reset
 * Tool Approvals" forgets every "Always allow" answered in this workspace.
 */
import * as vscode from 'vscode';
import type { Engine } from '../../engine/engine.ts';
import type { CheckpointEntry, RestoreReport } from '../../engine/tools/checkpoints.ts';
import { TOOL_COMMANDS } from './toolContributions.ts';
import type { WorkspaceToolsHost } from './workspaceToolsHost.ts';

export interface ToolCommandDependencies {
  engine(): Engine;
  tools: WorkspaceToolsHost;
  /** The thread the chat panel shows (or showed last). */
  currentThreadId(): string | undefined;
  log: vscode.LogOutputChannel;
}

interface RunPick extends vscode.QuickPickItem {
  runId: string;
}

export function registerToolCommands(deps: ToolCommandDependencies): vscode.Disposable {
  return vscode.Disposable.from(
    vscode.commands.registerCommand(TOOL_COMMANDS.restoreCheckpoint, () => restoreCheckpoint(deps)),
    vscode.commands.registerCommand(TOOL_COMMANDS.resetApprovals, () => resetApprovals(deps)),
  );
}

async function restoreCheckpoint(deps: ToolCommandDependencies): Promise<void> {
  const engine = deps.engine();
  const checkpoints = deps.tools.checkpoints;
  const threadId = deps.currentThreadId();
  if (!checkpoints || !threadId || !engine.store.threads.get(threadId)) {
    void vscode.window.showInformationMessage('Open a conversation in the Threadwork panel first: checkpoints belong to the runs of a thread.');
    return;
  }
  const runs = engine.runs.list(threadId, { order: 'desc', limit: 100 }).data;
  const picks: RunPick[] = runs.flatMap((run) => {
    const touched = checkpoints.touched(run.id);
    if (touched.length === 0) return [];
    return [{
      runId: run.id,
      label: `Before the run of ${new Date(run.created_at * 1000).toLocaleString()}`,
      description: `${touched.length} file${touched.length === 1 ? '' : 's'} · ${run.status}`,
      detail: describeTouched(deps, touched),
    }];
  });
  if (picks.length === 0) {
    void vscode.window.showInformationMessage('No run of this conversation changed files, so there is no checkpoint to restore.');
    return;
  }
  const chosen = await vscode.window.showQuickPick(picks, {
    title: 'Threadwork: Restore Checkpoint',
    placeHolder: 'Put back the files a run changed, as they were before it (other files are not touched)',
    matchOnDetail: true,
  });
  if (!chosen) return;
  const report = await checkpoints.restore(chosen.runId);
  deps.log.info(`Restored checkpoint of ${chosen.runId}: ${JSON.stringify(report)}`);
  const summary = summarize(report);
  if (report.failed.length > 0) void vscode.window.showWarningMessage(`Threadwork: ${summary}`);
  else void vscode.window.showInformationMessage(`Threadwork: ${summary}`);
}

async function resetApprovals(deps: ToolCommandDependencies): Promise<void> {
  const count = deps.tools.policyStore.rememberedCount();
  await deps.tools.policyStore.reset();
  deps.log.info(`Tool approvals reset (${count} remembered rules forgotten).`);
  void vscode.window.showInformationMessage(count === 0
    ? 'Threadwork: no tool approvals were remembered in this workspace.'
    : `Threadwork: forgot ${count} remembered tool approval${count === 1 ? '' : 's'}; tools ask again in this workspace.`);
}

function describeTouched(deps: ToolCommandDependencies, touched: readonly CheckpointEntry[]): string {
  const names = touched.map((entry) => `${deps.tools.paths.displayOf(entry.path) ?? entry.path}${entry.existed ? '' : ' (new)'}`);
  return names.length > 6 ? `${names.slice(0, 6).join(', ')} and ${names.length - 6} more` : names.join(', ');
}

function summarize(report: RestoreReport): string {
  const parts: string[] = [];
  if (report.restored.length > 0) parts.push(`restored ${report.restored.join(', ')}`);
  if (report.deleted.length > 0) parts.push(`removed ${report.deleted.join(', ')} (created by the run)`);
  if (report.unchanged.length > 0) parts.push(`${report.unchanged.join(', ')} already as before`);
  if (report.failed.length > 0) parts.push(`could not restore ${report.failed.map((entry) => `${entry.path} (${entry.reason})`).join(', ')}`);
  return parts.length > 0 ? `${parts.join('; ')}.` : 'nothing to restore.';
}
