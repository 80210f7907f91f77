/**
 * The Knowledge view: the workspace folders' indexes (with their sync state) and the user's
 * knowledge bases, each with its files and their v2 status (in_progress, completed, failed). Items
 * carry a `contextValue` from TREE_ITEM_KINDS so the menus in package.json offer re-index, remove,
 * attach and detach where they apply. The view polls only while some file is still being ingested.
 */
import { posix } from 'node:path';
import * as vscode from 'vscode';
import type { Engine } from '../../engine/engine.ts';
import type { VectorStore, VectorStoreFile } from '../../engine/types/vectorStore.ts';
import { KNOWLEDGE_COMMANDS, TREE_ITEM_KINDS } from './knowledgeContributions.ts';
import { attachedStore, listKnowledgeBases, storeFiles } from './knowledgeBases.ts';
import type { KnowledgeRuntime } from './knowledgeRuntime.ts';
import type { FolderStatus, WorkspaceIndexer } from './workspaceIndexer.ts';

/** Files listed under a workspace folder; the rest are summarised in one row. */
const MAX_LISTED_FILES = 200;
const POLL_MS = 1_000;

export type KnowledgeNode =
  | { kind: 'workspace'; status: FolderStatus }
  | { kind: 'workspaceFile'; vectorStoreId: string; folder: vscode.WorkspaceFolder; path: string; note?: string }
  | { kind: 'more'; parentId: string; count: number }
  | { kind: 'knowledgeBase'; store: VectorStore; attached: boolean }
  | { kind: 'knowledgeFile'; vectorStoreId: string; file: VectorStoreFile; filename: string };

export interface KnowledgeTreeDependencies {
  engine(): Engine;
  runtime(): KnowledgeRuntime;
  indexer: WorkspaceIndexer;
  /** The assistant the chat panel uses now. */
  assistantInUse(): string | undefined;
}

const FILE_STATUS_ICONS: Record<VectorStoreFile['status'], string> = { in_progress: 'sync~spin', completed: 'pass', failed: 'error', cancelled: 'circle-slash' };

function describeFolder(status: FolderStatus, runtime: KnowledgeRuntime): string {
  const progress = status.total > 0 ? ` ${status.done}/${status.total}` : '';
  // Once synced, what the index holds now (watcher updates included).
  const held = status.state === 'ready' && status.vectorStoreId ? runtime.retrieval.files(status.vectorStoreId).size : 0;
  const states: Record<FolderStatus['state'], string> = {
    waiting: 'waiting to index',
    indexing: `indexing${progress}`,
    ready: `${held} file${held === 1 ? '' : 's'} indexed`,
    stopped: `stopped${progress} — re-index to carry on`,
    failed: 'indexing failed',
  };
  return states[status.state];
}

export class KnowledgeTree implements vscode.TreeDataProvider<KnowledgeNode>, vscode.Disposable {
  readonly #deps: KnowledgeTreeDependencies;
  readonly #changed = new vscode.EventEmitter<KnowledgeNode | undefined>();
  readonly onDidChangeTreeData = this.#changed.event;
  #pollTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(deps: KnowledgeTreeDependencies) {
    this.#deps = deps;
  }

  refresh(): void {
    this.#changed.fire(undefined);
  }

  getTreeItem(node: KnowledgeNode): vscode.TreeItem {
    return TREE_ITEMS[node.kind](node as never, this.#deps);
  }

  getChildren(node?: KnowledgeNode): KnowledgeNode[] {
    if (!node) return this.#roots();
    if (node.kind === 'workspace') return this.#workspaceFiles(node.status);
    if (node.kind === 'knowledgeBase') {
      const engine = this.#deps.engine();
      return storeFiles(engine, node.store.id).map((file) => ({ kind: 'knowledgeFile', vectorStoreId: node.store.id, file, filename: engine.store.files.get(file.id)?.filename ?? file.id }));
    }
    return [];
  }

  #roots(): KnowledgeNode[] {
    const engine = this.#deps.engine();
    const assistantId = this.#deps.assistantInUse();
    const assistant = assistantId ? engine.store.assistants.get(assistantId) : undefined;
    const attached = assistant ? attachedStore(assistant) : undefined;
    const bases = listKnowledgeBases(engine);
    this.#pollWhile(bases.some((store) => store.file_counts.in_progress > 0));
    return [
      ...this.#deps.indexer.statuses().map((status): KnowledgeNode => ({ kind: 'workspace', status })),
      ...bases.map((store): KnowledgeNode => ({ kind: 'knowledgeBase', store, attached: store.id === attached })),
    ];
  }

  #workspaceFiles(status: FolderStatus): KnowledgeNode[] {
    if (!status.vectorStoreId) return [];
    const files = [...this.#deps.runtime().retrieval.files(status.vectorStoreId).values()].sort((a, b) => a.path.localeCompare(b.path));
    const listed: KnowledgeNode[] = files.slice(0, MAX_LISTED_FILES).map((file) => ({
      kind: 'workspaceFile',
      vectorStoreId: status.vectorStoreId!,
      folder: status.folder,
      path: file.path,
      ...(file.status === 'unsupported' ? { note: file.errorMessage ?? 'not searchable' } : {}),
    }));
    if (files.length > MAX_LISTED_FILES) listed.push({ kind: 'more', parentId: status.vectorStoreId, count: files.length - MAX_LISTED_FILES });
    return listed;
  }

  /** Polls while files are being ingested, so their status moves on screen without a click. */
  #pollWhile(busy: boolean): void {
    if (!busy || this.#pollTimer) return;
    this.#pollTimer = setTimeout(() => {
      this.#pollTimer = undefined;
      this.refresh();
    }, POLL_MS);
  }

  dispose(): void {
    if (this.#pollTimer) clearTimeout(this.#pollTimer);
    this.#changed.dispose();
  }
}

type ItemBuilders = { [K in KnowledgeNode['kind']]: (node: Extract<KnowledgeNode, { kind: K }>, deps: KnowledgeTreeDependencies) => vscode.TreeItem };

const TREE_ITEMS: ItemBuilders = {
  workspace: ({ status }, deps) => {
    const item = new vscode.TreeItem(status.folder.name, vscode.TreeItemCollapsibleState.Collapsed);
    item.id = `workspace:${status.folder.uri.toString()}`;
    item.description = describeFolder(status, deps.runtime());
    item.iconPath = new vscode.ThemeIcon(status.state === 'indexing' ? 'sync~spin' : status.state === 'failed' ? 'warning' : 'root-folder');
    item.contextValue = status.state === 'indexing' || status.state === 'waiting' ? TREE_ITEM_KINDS.workspaceStoreIndexing : TREE_ITEM_KINDS.workspaceStore;
    const report = status.report;
    const tooltip = new vscode.MarkdownString(`**Workspace index: ${status.folder.name}**\n\n`);
    tooltip.appendMarkdown(`The built-in assistant searches it with file_search (${deps.runtime().hasEmbeddings ? 'keywords and embeddings' : 'keyword search'}).\n\n`);
    if (report) tooltip.appendMarkdown(`Last sync: ${report.scanned} files seen, ${report.indexed} indexed, ${report.unchanged} unchanged, ${report.removed} removed, ${report.skipped} left out (binary or too large), ${report.failed.length} failed.\n\n`);
    if (status.error) tooltip.appendText(`Error: ${status.error}\n\n`);
    if (status.vectorStoreId) tooltip.appendMarkdown(`Vector store \`${status.vectorStoreId}\``);
    item.tooltip = tooltip;
    return item;
  },
  workspaceFile: ({ folder, path, note }) => {
    const item = new vscode.TreeItem(posix.basename(path), vscode.TreeItemCollapsibleState.None);
    item.id = `workspaceFile:${folder.uri.toString()}:${path}`;
    const directory = posix.dirname(path);
    item.description = note ? `${directory === '.' ? '' : `${directory} · `}${note}` : directory === '.' ? '' : directory;
    item.resourceUri = vscode.Uri.joinPath(folder.uri, path);
    item.iconPath = note ? new vscode.ThemeIcon('circle-slash') : vscode.ThemeIcon.File;
    item.contextValue = TREE_ITEM_KINDS.workspaceFile;
    item.command = { command: KNOWLEDGE_COMMANDS.openFile, title: 'Open', arguments: [{ kind: 'workspaceFile', folder, path }] };
    return item;
  },
  more: ({ parentId, count }) => {
    const item = new vscode.TreeItem(`… and ${count} more`, vscode.TreeItemCollapsibleState.None);
    item.id = `more:${parentId}`;
    item.iconPath = new vscode.ThemeIcon('ellipsis');
    return item;
  },
  knowledgeBase: ({ store, attached }) => {
    const item = new vscode.TreeItem(store.name || store.id, vscode.TreeItemCollapsibleState.Collapsed);
    item.id = `store:${store.id}`;
    const counts = store.file_counts;
    const parts = [`${counts.total} file${counts.total === 1 ? '' : 's'}`, store.status === 'in_progress' ? `${counts.in_progress} indexing` : store.status];
    if (counts.failed > 0) parts.push(`${counts.failed} failed`);
    if (attached) parts.push('attached');
    item.description = parts.join(' · ');
    item.iconPath = new vscode.ThemeIcon(store.status === 'in_progress' ? 'sync~spin' : attached ? 'pass-filled' : 'library');
    item.contextValue = attached ? TREE_ITEM_KINDS.knowledgeBaseAttached : TREE_ITEM_KINDS.knowledgeBase;
    item.tooltip = new vscode.MarkdownString(`**${store.name || store.id}** — vector store \`${store.id}\`\n\n${attached ? 'Attached to the assistant in use: its answers search these files.' : 'Not attached to the assistant in use.'}`);
    return item;
  },
  knowledgeFile: ({ vectorStoreId, file, filename }) => {
    const item = new vscode.TreeItem(posix.basename(filename), vscode.TreeItemCollapsibleState.None);
    item.id = `file:${vectorStoreId}:${file.id}`;
    const directory = posix.dirname(filename);
    item.description = `${directory === '.' ? '' : `${directory} · `}${file.status.replace('_', ' ')}`;
    item.iconPath = new vscode.ThemeIcon(FILE_STATUS_ICONS[file.status]);
    item.contextValue = TREE_ITEM_KINDS.knowledgeFile;
    item.tooltip = file.last_error ? `${filename}: ${file.last_error.message}` : `${filename} (${file.id}, ${file.status})`;
    item.command = { command: KNOWLEDGE_COMMANDS.openFile, title: 'Open', arguments: [{ kind: 'knowledgeFile', vectorStoreId, file, filename }] };
    return item;
  },
};
