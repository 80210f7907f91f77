/**
 * "Export Thread" and "Import Threads": the user's conversations leave and enter as files they
 * choose. The formats and the writing into the engine are src/engine/transfer/; this is only the
 * choosing (which thread, which format, where) and the telling. Both also take an argument object
 * so scripts, walkthrough links and tests can run them without dialogs.
 */
import * as vscode from 'vscode';
import type { Engine } from '../../engine/engine.ts';
import { ImportFormatError } from '../../engine/transfer/importedThread.ts';
import { readImportFile } from '../../engine/transfer/importReader.ts';
import { archiveToMarkdown, threadTitle } from '../../engine/transfer/markdownExport.ts';
import { archiveThreads, serializeArchive } from '../../engine/transfer/threadArchive.ts';
import { importThreads, type ImportReport } from '../../engine/transfer/threadImporter.ts';
import { listThreads } from '../threadSnapshots.ts';

export type ExportFormat = 'markdown' | 'json';

export interface ExportArgs {
  /** Threads to export (default: asked, the panel's thread first). */
  threadIds?: string[];
  format?: ExportFormat;
  /** Destination file URI (default: asked with a save dialog). */
  uri?: string;
}

export interface ImportArgs {
  uri?: string;
}

export interface TransferDependencies {
  engine(): Engine;
  currentThreadId(): string | undefined;
  showThread(threadId: string): Promise<void>;
  log: vscode.LogOutputChannel;
}

interface ThreadPick extends vscode.QuickPickItem {
  threadIds: string[];
}

export async function exportThread(deps: TransferDependencies, args: ExportArgs = {}): Promise<string | undefined> {
  const engine = deps.engine();
  const threadIds = args.threadIds ?? (await pickThreads(engine, deps.currentThreadId()));
  if (!threadIds || threadIds.length === 0) return undefined;
  const format = args.format ?? (await pickFormat());
  if (!format) return undefined;
  const archive = archiveThreads(engine, threadIds);
  const first = archive.threads[0];
  const name = threadIds.length === 1 && first ? slug(threadTitle(first)) : `threadwork-${threadIds.length}-threads`;
  const target = args.uri ? vscode.Uri.parse(args.uri) : await vscode.window.showSaveDialog({
    title: 'Export conversation',
    defaultUri: vscode.Uri.joinPath(vscode.workspace.workspaceFolders?.[0]?.uri ?? vscode.Uri.file(process.env['HOME'] ?? '/'), `${name}.${format === 'markdown' ? 'md' : 'json'}`),
    filters: format === 'markdown' ? { Markdown: ['md'] } : { JSON: ['json'] },
  });
  if (!target) return undefined;
  const text = format === 'markdown' ? archiveToMarkdown(archive) : serializeArchive(archive);
  await vscode.workspace.fs.writeFile(target, new TextEncoder().encode(text));
  const messages = archive.threads.reduce((sum, thread) => sum + thread.messages.length, 0);
  deps.log.info(`Exported ${threadIds.length} thread(s), ${messages} messages, as ${format} to ${target.toString()}.`);
  if (!args.uri) {
    void vscode.window.showInformationMessage(`Exported ${messages} messages to ${vscode.workspace.asRelativePath(target, false)}.`, 'Open').then((choice) => {
      if (choice) void vscode.window.showTextDocument(target);
    });
  }
  return target.toString();
}

export async function importThreadsFromFile(deps: TransferDependencies, args: ImportArgs = {}): Promise<ImportReport | undefined> {
  const source = args.uri ? vscode.Uri.parse(args.uri) : (await vscode.window.showOpenDialog({
    title: 'Import conversations: a Threadwork export, or message lists saved from the Assistants API',
    canSelectMany: false,
    filters: { 'JSON or JSON Lines': ['json', 'jsonl', 'ndjson'], 'All files': ['*'] },
  }))?.[0];
  if (!source) return undefined;
  const text = new TextDecoder().decode(await vscode.workspace.fs.readFile(source));
  let report: ImportReport;
  try {
    const plan = readImportFile(text);
    report = importThreads(deps.engine(), plan);
    deps.log.info(`Imported ${report.threadIds.length} thread(s), ${report.messages} messages, from ${source.toString()} (${plan.source}).`);
  } catch (error) {
    const message = error instanceof ImportFormatError ? error.message : `The import failed: ${error instanceof Error ? error.message : String(error)}`;
    deps.log.warn(`Import of ${source.toString()} refused: ${message}`);
    // A script gets the error; a person gets the sentence.
    if (args.uri) throw error;
    void vscode.window.showErrorMessage(`Nothing was imported. ${message}`);
    return undefined;
  }
  const newest = report.threadIds.at(-1);
  if (newest) await deps.showThread(newest);
  if (!args.uri) {
    const notes = report.notes.length > 0 ? ` ${report.notes.join(' ')}` : '';
    void vscode.window.showInformationMessage(`Imported ${report.threadIds.length} conversation${report.threadIds.length === 1 ? '' : 's'} (${report.messages} messages); they are in the history.${notes}`);
  }
  return report;
}

async function pickThreads(engine: Engine, currentThreadId: string | undefined): Promise<string[] | undefined> {
  const threads = listThreads(engine);
  if (threads.length === 0) {
    void vscode.window.showInformationMessage('There is no conversation to export yet.');
    return undefined;
  }
  const ordered = [...threads.filter((thread) => thread.id === currentThreadId), ...threads.filter((thread) => thread.id !== currentThreadId)];
  const items: ThreadPick[] = [
    ...ordered.map((thread) => ({
      label: thread.title,
      description: `${new Date(thread.createdAt * 1000).toLocaleString()}${thread.id === currentThreadId ? ' · open in the panel' : ''}`,
      threadIds: [thread.id],
    })),
    { label: `$(files) All ${threads.length} conversations`, description: 'one file', threadIds: threads.map((thread) => thread.id) },
  ];
  return (await vscode.window.showQuickPick(items, { title: 'Export which conversation?', matchOnDescription: true }))?.threadIds;
}

async function pickFormat(): Promise<ExportFormat | undefined> {
  const picked = await vscode.window.showQuickPick([
    { label: 'Markdown', description: 'to read, share or keep with the project', format: 'markdown' as const },
    { label: 'JSON', description: 'every message as the Assistants API shapes it; Import Threads reads it back', format: 'json' as const },
  ], { title: 'Export as' });
  return picked?.format;
}

function slug(title: string): string {
  const cleaned = title.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 60);
  return cleaned.length > 0 ? cleaned : 'conversation';
}
