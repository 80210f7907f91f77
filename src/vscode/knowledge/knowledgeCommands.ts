/**
 * The knowledge base's commands: "Add to Knowledge Base" (explorer, editor and editor-tab menus,
 * command id from the editor actions' table), and the Knowledge view's new, re-index, remove,
 * attach, detach and open. Handlers live in one typed table, like the editor actions'.
 */
import * as vscode from 'vscode';
import type { Engine } from '../../engine/engine.ts';
import type { VectorStore } from '../../engine/types/vectorStore.ts';
import type { ChatMemory, ProviderPort } from '../chatPorts.ts';
import { ensureAssistants } from '../defaultAssistant.ts';
import { KNOWLEDGE_COMMANDS, type KnowledgeCommandId } from './knowledgeContributions.ts';
import { addFiles, attach, attachedStore, createKnowledgeBase, detach, listKnowledgeBases, removeFile, removeKnowledgeBase, storeFiles } from './knowledgeBases.ts';
import type { KnowledgeRuntime } from './knowledgeRuntime.ts';
import { folderIndexOptions, maxFileBytes } from './knowledgeSettings.ts';
import type { KnowledgeNode, KnowledgeTree } from './knowledgeTree.ts';
import { collectFiles, type PickedPath } from './sourceCollector.ts';
import type { WorkspaceIndexer } from './workspaceIndexer.ts';

export interface KnowledgeCommandDependencies {
  engine(): Engine;
  runtime(): KnowledgeRuntime;
  indexer: WorkspaceIndexer;
  tree: KnowledgeTree;
  memory: ChatMemory;
  provider: ProviderPort;
  log: vscode.LogOutputChannel;
}

const NEW_KNOWLEDGE_BASE = 'New knowledge base…';
/** How long "Add" waits for ingestion before leaving it to the background (the tree shows the rest). */
const INGESTION_WAIT_MS = 120_000;

export class KnowledgeCommands {
  readonly #deps: KnowledgeCommandDependencies;

  constructor(deps: KnowledgeCommandDependencies) {
    this.#deps = deps;
  }

  register(): vscode.Disposable {
    const handlers: Record<KnowledgeCommandId, (node?: KnowledgeNode) => unknown> = {
      [KNOWLEDGE_COMMANDS.newKnowledgeBase]: () => this.newKnowledgeBase(),
      [KNOWLEDGE_COMMANDS.refresh]: () => this.#deps.tree.refresh(),
      [KNOWLEDGE_COMMANDS.reindex]: (node) => this.reindex(node),
      [KNOWLEDGE_COMMANDS.reindexWorkspace]: () => this.#deps.indexer.reindex(),
      [KNOWLEDGE_COMMANDS.stopIndexing]: () => this.stopIndexing(),
      [KNOWLEDGE_COMMANDS.remove]: (node) => this.remove(node),
      [KNOWLEDGE_COMMANDS.attach]: (node) => (node?.kind === 'knowledgeBase' ? this.attach(node.store) : undefined),
      [KNOWLEDGE_COMMANDS.detach]: (node) => (node?.kind === 'knowledgeBase' ? this.detach(node.store) : undefined),
      [KNOWLEDGE_COMMANDS.openFile]: (node) => this.openFile(node),
    };
    return vscode.Disposable.from(...Object.entries(handlers).map(([id, handler]) => vscode.commands.registerCommand(id, async (node?: KnowledgeNode) => {
      try {
        return await handler(node);
      } catch (error) {
        this.#deps.log.error(`Command ${id} failed`, error);
        void vscode.window.showErrorMessage(`Threadwork: ${error instanceof Error ? error.message : String(error)}`);
        return undefined;
      }
    })));
  }

  /** The assistant the chat panel uses now (the built-in one unless the user picked another). */
  #assistantInUse(engine: Engine): string | undefined {
    const chosen = this.#deps.memory.get('selectedAssistantId');
    if (chosen && engine.store.assistants.get(chosen)) return chosen;
    return ensureAssistants(engine, this.#deps.provider.status().model)[0]?.id;
  }

  /** From the explorer: the clicked item and the selection; from an editor or the palette: its file. */
  async addToKnowledgeBase(resource?: vscode.Uri, selected?: vscode.Uri[]): Promise<{ vectorStoreId: string; files: string[] } | undefined> {
    const roots = (selected && selected.length > 0 ? selected : resource instanceof vscode.Uri ? [resource] : vscode.window.activeTextEditor ? [vscode.window.activeTextEditor.document.uri] : [])
      .filter((uri) => uri.scheme === 'file');
    if (roots.length === 0) {
      void vscode.window.showInformationMessage('Right-click files or folders in the Explorer (or open a file) to add them to a knowledge base.');
      return undefined;
    }
    const store = await this.#pickKnowledgeBase(roots);
    if (!store) return undefined;
    return vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `Adding to "${store.name}"`, cancellable: true }, async (progress, token) => {
      const abort = new AbortController();
      token.onCancellationRequested(() => abort.abort());
      const picked: PickedPath[] = roots.map((uri) => {
        const folder = vscode.workspace.getWorkspaceFolder(uri);
        return { path: uri.fsPath, ...(folder?.uri.scheme === 'file' ? { workspaceFolder: folder.uri.fsPath } : {}) };
      });
      const folder = vscode.workspace.getWorkspaceFolder(roots[0]!);
      const collected = await collectFiles(picked, folder ? folderIndexOptions(folder) : { exclude: [], maxFileBytes: maxFileBytes() }, abort.signal);
      if (collected.files.length === 0) {
        void vscode.window.showInformationMessage(`Nothing to add: no text files there${collected.skipped ? ` (${collected.skipped} binary, ignored or too large)` : ''}.`);
        return undefined;
      }
      const sources = [];
      for (const path of collected.files) {
        if (abort.signal.aborted) return undefined;
        const uri = vscode.Uri.file(path);
        sources.push({ uri: uri.toString(), filename: vscode.workspace.asRelativePath(uri, false), bytes: await vscode.workspace.fs.readFile(uri) });
      }
      const engine = this.#deps.engine();
      const outcome = addFiles(engine, this.#deps.runtime().links, store.id, sources);
      this.#deps.tree.refresh();
      await this.#waitForIngestion(engine, store.id, outcome.added, progress, abort.signal);
      const attachedTo = this.#attachIfFree(engine, store);
      this.#deps.tree.refresh();
      const failed = outcome.added.filter((id) => engine.vectorStores.retrieveFile(store.id, id).status === 'failed').length;
      const parts = [`Added ${outcome.added.length} file${outcome.added.length === 1 ? '' : 's'} to "${store.name}"`];
      if (outcome.unchanged.length) parts.push(`${outcome.unchanged.length} already there`);
      if (failed) parts.push(`${failed} could not be indexed`);
      if (collected.skipped) parts.push(`${collected.skipped} left out (binary, ignored or too large)`);
      if (collected.truncated) parts.push(`only the first ${collected.files.length} were taken`);
      void vscode.window.showInformationMessage(`${parts.join('; ')}.${attachedTo ? ` ${attachedTo} searches it with file_search.` : ''}`);
      this.#deps.log.info(`knowledge: ${parts.join('; ')} (${store.id}).`);
      return { vectorStoreId: store.id, files: outcome.added };
    });
  }

  async #pickKnowledgeBase(roots: readonly vscode.Uri[]): Promise<VectorStore | undefined> {
    const engine = this.#deps.engine();
    const assistantId = this.#assistantInUse(engine);
    const attached = assistantId ? attachedStore(engine.assistants.retrieve(assistantId)) : undefined;
    const bases = listKnowledgeBases(engine).sort((a, b) => Number(b.id === attached) - Number(a.id === attached));
    const items: Array<vscode.QuickPickItem & { store?: VectorStore }> = [
      ...bases.map((store) => ({ label: store.name || store.id, description: `${store.file_counts.total} files${store.id === attached ? ' · attached' : ''}`, store })),
      { label: NEW_KNOWLEDGE_BASE, iconPath: new vscode.ThemeIcon('add'), alwaysShow: true },
    ];
    const picked = await vscode.window.showQuickPick(items, { title: 'Add to Knowledge Base', placeHolder: 'Which knowledge base?' });
    if (!picked) return undefined;
    return picked.store ?? this.newKnowledgeBase(defaultName(roots));
  }

  async newKnowledgeBase(suggested = 'Knowledge base'): Promise<VectorStore | undefined> {
    const name = await vscode.window.showInputBox({ title: 'New knowledge base', prompt: 'A name for the files it will hold', value: suggested, validateInput: (value) => (value.trim() ? undefined : 'Give it a name.') });
    if (!name?.trim()) return undefined;
    const store = createKnowledgeBase(this.#deps.engine(), name);
    this.#deps.tree.refresh();
    return store;
  }

  /** Attaches a knowledge base to the assistant in use when that one searches no other; returns its name. */
  #attachIfFree(engine: Engine, store: VectorStore): string | undefined {
    const assistantId = this.#assistantInUse(engine);
    if (!assistantId) return undefined;
    const assistant = engine.assistants.retrieve(assistantId);
    const current = attachedStore(assistant);
    if (current === store.id) return assistant.name ?? 'The assistant';
    if (current && engine.store.vectorStores.get(current)) {
      void vscode.window.showInformationMessage(`${assistant.name ?? 'The assistant'} searches another knowledge base. Attach "${store.name}" instead?`, 'Attach').then((choice) => {
        if (choice) void this.attach(store);
      });
      return undefined;
    }
    attach(engine, assistantId, store.id);
    return assistant.name ?? 'The assistant';
  }

  async #waitForIngestion(engine: Engine, storeId: string, fileIds: readonly string[], progress: vscode.Progress<{ message?: string; increment?: number }>, signal: AbortSignal): Promise<void> {
    const deadline = Date.now() + INGESTION_WAIT_MS;
    let reported = 0;
    while (!signal.aborted && Date.now() < deadline) {
      // The store's roll-up, not each file: one read however many files were added.
      const pending = engine.vectorStores.retrieve(storeId).file_counts.in_progress;
      const done = Math.max(0, fileIds.length - pending);
      if (pending === 0) return;
      if (done > reported) {
        progress.report({ message: `${done} of ${fileIds.length} indexed`, increment: ((done - reported) / Math.max(1, fileIds.length)) * 100 });
        reported = done;
        this.#deps.tree.refresh();
      }
      await new Promise((resolve) => setTimeout(resolve, 150));
    }
  }

  async attach(store: VectorStore): Promise<void> {
    const engine = this.#deps.engine();
    const assistantId = this.#assistantInUse(engine);
    if (!assistantId) return;
    const { replaced } = attach(engine, assistantId, store.id);
    this.#deps.tree.refresh();
    const name = engine.store.assistants.get(assistantId)?.name ?? 'The assistant';
    const previous = replaced ? engine.store.vectorStores.get(replaced)?.name : undefined;
    void vscode.window.showInformationMessage(`${name} now searches "${store.name}"${previous ? ` instead of "${previous}" (an assistant searches one knowledge base besides the workspace)` : ''}.`);
  }

  async detach(store: VectorStore): Promise<void> {
    const engine = this.#deps.engine();
    const assistantId = this.#assistantInUse(engine);
    if (assistantId && detach(engine, assistantId, store.id)) this.#deps.tree.refresh();
  }

  async reindex(node?: KnowledgeNode): Promise<void> {
    if (!node || node.kind === 'workspace') {
      this.#deps.indexer.reindex(node?.kind === 'workspace' ? node.status.vectorStoreId : undefined);
      return;
    }
    const engine = this.#deps.engine();
    const links = this.#deps.runtime().links;
    const targets = node.kind === 'knowledgeBase'
      ? storeFiles(engine, node.store.id).map((file) => ({ storeId: node.store.id, fileId: file.id }))
      : node.kind === 'knowledgeFile' ? [{ storeId: node.vectorStoreId, fileId: node.file.id }] : [];
    const sources = [];
    const missing: string[] = [];
    for (const { storeId, fileId } of targets) {
      const source = links.source(fileId);
      const name = engine.store.files.get(fileId)?.filename ?? fileId;
      if (!source) {
        missing.push(name);
        continue;
      }
      try {
        const uri = vscode.Uri.parse(source.uri, true);
        sources.push({ storeId, source: { uri: source.uri, filename: name, bytes: await vscode.workspace.fs.readFile(uri) } });
      } catch {
        missing.push(name);
      }
    }
    let added = 0;
    for (const storeId of new Set(sources.map((entry) => entry.storeId))) {
      added += addFiles(engine, links, storeId, sources.filter((entry) => entry.storeId === storeId).map((entry) => entry.source)).added.length;
    }
    this.#deps.tree.refresh();
    const summary = `${added} file${added === 1 ? '' : 's'} changed and re-indexed, ${sources.length - added} unchanged`;
    void vscode.window.showInformationMessage(missing.length ? `${summary}; ${missing.length} could not be read again (${missing.slice(0, 3).join(', ')}${missing.length > 3 ? ', …' : ''}).` : `${summary}.`);
  }

  async remove(node?: KnowledgeNode): Promise<void> {
    if (!node) return;
    const engine = this.#deps.engine();
    const links = this.#deps.runtime().links;
    if (node.kind === 'knowledgeBase') {
      const choice = await vscode.window.showWarningMessage(`Delete the knowledge base "${node.store.name}" and its ${node.store.file_counts.total} file(s)? The files on disk are not touched.`, { modal: true }, 'Delete');
      if (choice !== 'Delete') return;
      removeKnowledgeBase(engine, links, node.store.id);
    } else if (node.kind === 'knowledgeFile') {
      removeFile(engine, links, node.vectorStoreId, node.file.id);
    }
    this.#deps.tree.refresh();
  }

  stopIndexing(): void {
    if (!this.#deps.indexer.stop()) void vscode.window.showInformationMessage('The workspace is not being indexed right now.');
  }

  async openFile(node?: KnowledgeNode): Promise<void> {
    if (node?.kind === 'workspaceFile') {
      await vscode.window.showTextDocument(vscode.Uri.joinPath(node.folder.uri, ...node.path.split('/')), { preview: true });
      return;
    }
    if (node?.kind !== 'knowledgeFile') return;
    const source = this.#deps.runtime().links.source(node.file.id);
    if (source) {
      await vscode.window.showTextDocument(vscode.Uri.parse(source.uri, true), { preview: true });
      return;
    }
    const bytes = this.#deps.engine().store.fileContent(node.file.id);
    if (bytes) await vscode.window.showTextDocument(await vscode.workspace.openTextDocument({ content: new TextDecoder().decode(bytes) }), { preview: true });
  }
}

function defaultName(roots: readonly vscode.Uri[]): string {
  const first = roots[0];
  const name = first ? first.path.slice(first.path.lastIndexOf('/') + 1) : '';
  return roots.length === 1 && name ? `Notes: ${name}` : 'Knowledge base';
}
