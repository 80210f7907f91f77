/**
 * Keeps one vector store per workspace folder in step with the folder. The first sync runs in the
 * background shortly after activation (chunking happens in the index's worker threads; this thread
 * only walks, stats and hands over bytes), shows its progress in the status bar, and can be stopped
 * from there. It resumes after a reload without redoing work: files whose size, mtime and content
 * hash match the index are skipped. Afterwards a FileSystemWatcher's events are batched
 * (ChangeBatcher) and applied per path; a branch switch or an ignore-file change syncs the folder.
 */
import { relative, sep } from 'node:path';
import * as vscode from 'vscode';
import type { Engine } from '../../engine/engine.ts';
import type { FolderSyncReport } from '../../engine/retrieval/folderSync.ts';
import { NodeWorkspace } from '../../engine/tools/nodeWorkspace.ts';
import { ChangeBatcher, type ChangeBatch, type ChangeKind } from './changeBatcher.ts';
import { FolderIndex } from './folderIndex.ts';
import { KNOWLEDGE_COMMANDS } from './knowledgeContributions.ts';
import { KIND_KEY, WORKSPACE_KIND } from './knowledgeBases.ts';
import type { KnowledgeRuntime } from './knowledgeRuntime.ts';
import { folderIndexOptions, knowledgeSetting } from './knowledgeSettings.ts';

export type FolderIndexState = 'waiting' | 'indexing' | 'ready' | 'stopped' | 'failed';

export interface FolderStatus {
  folder: vscode.WorkspaceFolder;
  vectorStoreId: string | undefined;
  state: FolderIndexState;
  done: number;
  total: number;
  /** The last full sync's outcome. */
  report?: FolderSyncReport;
  error?: string;
}

export interface WorkspaceIndexerDependencies {
  engine(): Engine;
  runtime(): KnowledgeRuntime;
  log: vscode.LogOutputChannel;
  /** Delay before the first sync, so activation and the first paint go first. */
  startDelayMs?: number;
}

const PROGRESS_REPAINT_MS = 250;

class IndexedFolder {
  readonly status: FolderStatus;
  index: FolderIndex | undefined;
  batcher: ChangeBatcher | undefined;
  watcher: vscode.FileSystemWatcher | undefined;
  sync: AbortController | undefined;
  /** Aborted when the folder leaves (or the window closes): watcher batches stop between files. */
  readonly lifetime = new AbortController();
  /** Work on this folder runs one piece at a time: a full sync, then watcher batches. */
  queue: Promise<unknown> = Promise.resolve();

  constructor(folder: vscode.WorkspaceFolder) {
    this.status = { folder, vectorStoreId: undefined, state: 'waiting', done: 0, total: 0 };
  }

  dispose(): void {
    this.lifetime.abort();
    this.sync?.abort();
    this.batcher?.dispose();
    this.watcher?.dispose();
  }
}

export class WorkspaceIndexer implements vscode.Disposable {
  readonly #deps: WorkspaceIndexerDependencies;
  readonly #folders = new Map<string, IndexedFolder>();
  readonly #changed = new vscode.EventEmitter<void>();
  readonly #statusItem: vscode.StatusBarItem;
  readonly #subscriptions: vscode.Disposable[] = [];
  #started = false;
  #startTimer: ReturnType<typeof setTimeout> | undefined;
  #lastPaint = 0;
  #disposed = false;

  readonly onDidChange = this.#changed.event;

  constructor(deps: WorkspaceIndexerDependencies) {
    this.#deps = deps;
    this.#statusItem = vscode.window.createStatusBarItem('threadwork.knowledge.indexing', vscode.StatusBarAlignment.Left, -10);
    this.#statusItem.name = 'Threadwork: Workspace Index';
    this.#statusItem.command = KNOWLEDGE_COMMANDS.stopIndexing;
    this.#subscriptions.push(
      this.#statusItem,
      this.#changed,
      vscode.workspace.onDidChangeWorkspaceFolders(() => this.#reconcile()),
      vscode.workspace.onDidChangeConfiguration((event) => {
        if (event.affectsConfiguration('threadwork.knowledge') || event.affectsConfiguration('files.exclude')) this.#settingsChanged();
      }),
    );
  }

  /** Starts the background index (once), after the delay. */
  start(): void {
    if (this.#started || this.#disposed) return;
    this.#started = true;
    this.#startTimer = setTimeout(() => {
      this.#startTimer = undefined;
      this.#reconcile();
    }, this.#deps.startDelayMs ?? 3_000);
  }

  statuses(): FolderStatus[] {
    return [...this.#folders.values()].map((entry) => entry.status);
  }

  /** Stores of this window's folders, for file_search. */
  storeIds(): string[] {
    return this.statuses().flatMap((status) => (status.vectorStoreId ? [status.vectorStoreId] : []));
  }

  isIndexing(): boolean {
    return this.statuses().some((status) => status.state === 'indexing');
  }

  /** Stops the syncs under way; the next re-index (or reload) carries on from where they were. */
  stop(): boolean {
    let stopped = false;
    for (const entry of this.#folders.values()) {
      if (entry.status.state !== 'indexing' && entry.status.state !== 'waiting') continue;
      entry.sync?.abort();
      entry.status.state = 'stopped';
      stopped = true;
    }
    this.#repaint(true);
    return stopped;
  }

  /** Syncs every folder (or one) again; resumes a stopped index. */
  reindex(vectorStoreId?: string): void {
    this.#started = true;
    if (this.#folders.size === 0) this.#reconcile();
    for (const entry of this.#folders.values()) {
      if (vectorStoreId === undefined || entry.status.vectorStoreId === vectorStoreId) this.#queueFullSync(entry, 'asked to re-index');
    }
  }

  #reconcile(): void {
    if (this.#disposed || !this.#started) return;
    const wanted = new Map<string, vscode.WorkspaceFolder>();
    for (const folder of vscode.workspace.workspaceFolders ?? []) {
      if (folder.uri.scheme === 'file' && knowledgeSetting('threadwork.knowledge.indexWorkspace', folder.uri)) wanted.set(folder.uri.toString(), folder);
    }
    for (const [key, entry] of this.#folders) {
      if (wanted.has(key)) continue;
      entry.dispose();
      this.#folders.delete(key);
    }
    for (const [key, folder] of wanted) {
      if (this.#folders.has(key)) continue;
      const entry = new IndexedFolder(folder);
      this.#folders.set(key, entry);
      this.#open(entry);
    }
    this.#repaint(true);
  }

  #open(entry: IndexedFolder): void {
    const { folder } = entry.status;
    try {
      const engine = this.#deps.engine();
      const runtime = this.#deps.runtime();
      const storeId = this.#storeFor(engine, runtime, folder);
      const files = new NodeWorkspace([{ name: folder.name, path: folder.uri.fsPath }]);
      const folderPath = files.folders()[0]!.path;
      entry.status.vectorStoreId = storeId;
      entry.index = new FolderIndex(runtime.retrieval, files, folderPath, storeId, folderIndexOptions(folder));
      entry.batcher = new ChangeBatcher({
        run: (batch) => this.#enqueue(entry, () => this.#applyBatch(entry, batch)),
        onError: (error) => {
          if (!entry.lifetime.signal.aborted) this.#deps.log.warn(`knowledge: updating the index of ${folder.name} failed`, error);
        },
      });
      entry.watcher = vscode.workspace.createFileSystemWatcher(new vscode.RelativePattern(folder, '**/*'));
      const forward = (kind: ChangeKind) => (uri: vscode.Uri) => {
        const path = relativePath(folder, uri);
        if (path !== undefined) entry.batcher?.push(path, kind);
      };
      entry.watcher.onDidCreate(forward('created'));
      entry.watcher.onDidChange(forward('changed'));
      entry.watcher.onDidDelete(forward('deleted'));
      this.#queueFullSync(entry, 'the window opened');
    } catch (error) {
      entry.status.state = 'failed';
      entry.status.error = error instanceof Error ? error.message : String(error);
      this.#deps.log.error(`knowledge: cannot index ${folder.name}`, error);
    }
  }

  /** The folder's store: the one from before when the engine still has it, else a new one. */
  #storeFor(engine: Engine, runtime: KnowledgeRuntime, folder: vscode.WorkspaceFolder): string {
    const key = folder.uri.toString();
    const known = runtime.links.workspaceStore(key);
    if (known && engine.store.vectorStores.get(known)) return known;
    // A store that vanished from the engine leaves an index collection under its id: drop it.
    if (known) void runtime.retrieval.removeCollection(known);
    const store = engine.vectorStores.create({ name: `Workspace: ${folder.name}`, metadata: { [KIND_KEY]: WORKSPACE_KIND, threadwork_folder: key.slice(0, 512) } });
    runtime.links.setWorkspaceStore(key, store.id);
    return store.id;
  }

  #enqueue<T>(entry: IndexedFolder, work: () => Promise<T>): Promise<T> {
    const next = entry.queue.then(work, work);
    entry.queue = next.catch(() => undefined);
    return next;
  }

  #queueFullSync(entry: IndexedFolder, reason: string): void {
    if (!entry.index) return;
    entry.sync?.abort();
    entry.status.state = 'waiting';
    const controller = new AbortController();
    entry.sync = controller;
    void this.#enqueue(entry, () => this.#fullSync(entry, controller, reason));
  }

  async #fullSync(entry: IndexedFolder, controller: AbortController, reason: string): Promise<void> {
    const { status } = entry;
    if (controller.signal.aborted || !entry.index) return;
    status.state = 'indexing';
    status.done = 0;
    status.total = 0;
    delete status.error;
    this.#repaint(true);
    const started = performance.now();
    try {
      status.report = await entry.index.syncAll({
        signal: controller.signal,
        onProgress: ({ done, total }) => {
          status.done = done;
          status.total = total;
          this.#repaint();
        },
      });
      status.state = 'ready';
      const { scanned, indexed, unchanged, removed, skipped, failed } = status.report;
      this.#deps.log.info(`knowledge: ${status.folder.name} synced (${reason}) in ${Math.round(performance.now() - started)} ms: ${scanned} files, ${indexed} indexed, ${unchanged} unchanged, ${removed} removed, ${skipped} skipped, ${failed.length} failed.`);
    } catch (error) {
      if (controller.signal.aborted) {
        status.state = 'stopped';
        this.#deps.log.info(`knowledge: indexing ${status.folder.name} stopped at ${status.done} of ${status.total} files.`);
      } else {
        status.state = 'failed';
        status.error = error instanceof Error ? error.message : String(error);
        this.#deps.log.error(`knowledge: indexing ${status.folder.name} failed`, error);
      }
    } finally {
      if (entry.sync === controller) entry.sync = undefined;
      this.#repaint(true);
    }
  }

  async #applyBatch(entry: IndexedFolder, batch: ChangeBatch): Promise<void> {
    if (!entry.index || this.#disposed) return;
    // A stopped index stays stopped: its next sync picks these changes up anyway.
    if (entry.status.state === 'stopped') return;
    if (batch.fullSync) {
      const controller = new AbortController();
      entry.sync = controller;
      return this.#fullSync(entry, controller, batch.fullSync);
    }
    const report = await entry.index.applyBatch(batch, entry.lifetime.signal);
    if (report.indexed + report.removed + report.failed.length > 0) {
      this.#deps.log.info(`knowledge: ${entry.status.folder.name}: ${report.indexed} re-indexed, ${report.removed} removed, ${report.skipped} left out${report.failed.length ? `, failed: ${report.failed.map((f) => f.path).join(', ')}` : ''}.`);
    }
    this.#changed.fire();
  }

  #settingsChanged(): void {
    this.#reconcile();
    for (const entry of this.#folders.values()) {
      if (!entry.index) continue;
      entry.index.setOptions(folderIndexOptions(entry.status.folder));
      if (entry.status.state !== 'stopped') entry.batcher?.requestFullSync('settings changed');
    }
  }

  /** The status bar shows a sync under way; the tree follows every change. */
  #repaint(force = false): void {
    const now = Date.now();
    if (!force && now - this.#lastPaint < PROGRESS_REPAINT_MS) return;
    this.#lastPaint = now;
    const busy = this.statuses().filter((status) => status.state === 'indexing' || status.state === 'waiting');
    if (busy.length === 0) {
      this.#statusItem.hide();
    } else {
      const done = busy.reduce((sum, status) => sum + status.done, 0);
      const total = busy.reduce((sum, status) => sum + status.total, 0);
      this.#statusItem.text = total > 0 ? `$(sync~spin) Indexing ${done}/${total}` : '$(sync~spin) Indexing…';
      this.#statusItem.tooltip = `Threadwork is indexing ${busy.map((status) => status.folder.name).join(', ')} for file search. Click to stop; re-index later to carry on.`;
      this.#statusItem.show();
    }
    this.#changed.fire();
  }

  dispose(): void {
    this.#disposed = true;
    if (this.#startTimer) clearTimeout(this.#startTimer);
    for (const entry of this.#folders.values()) entry.dispose();
    this.#folders.clear();
    for (const subscription of this.#subscriptions.splice(0)) subscription.dispose();
  }
}

/** Folder-relative with forward slashes, or undefined for a URI outside the folder. */
function relativePath(folder: vscode.WorkspaceFolder, uri: vscode.Uri): string | undefined {
  if (uri.scheme !== 'file') return undefined;
  const path = relative(folder.uri.fsPath, uri.fsPath);
  if (path === '' || path.startsWith('..') || path.includes(`..${sep}`)) return undefined;
  return path.split(sep).join('/');
}
