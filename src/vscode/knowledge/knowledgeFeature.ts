/**
 * The knowledge base, wired: the index built with the engine (KnowledgeRuntime), the workspace
 * folders kept indexed (WorkspaceIndexer), the Knowledge view and its commands, "Add to Knowledge
 * Base", and the opener behind citation clicks in the chat panel. app.ts makes one and hands its
 * parts to the engine host, the command table, the chat panel and the status bar.
 */
import * as vscode from 'vscode';
import type { Engine } from '../../engine/engine.ts';
import type { ChatMemory, ProviderPort } from '../chatPorts.ts';
import type { EngineAddOn } from '../engineHost.ts';
import { CitationOpener } from './citationOpener.ts';
import type { CitationPort } from './citationResolver.ts';
import { KnowledgeCommands } from './knowledgeCommands.ts';
import { KNOWLEDGE_VIEW_ID } from './knowledgeContributions.ts';
import { listKnowledgeBases } from './knowledgeBases.ts';
import { KnowledgeRuntime } from './knowledgeRuntime.ts';
import { configuredEmbeddings } from './knowledgeSettings.ts';
import { KnowledgeTree } from './knowledgeTree.ts';
import { WorkspaceIndexer } from './workspaceIndexer.ts';
import { vscodeTreeSitterDirectory } from './treeSitterLocation.ts';
import { setGrammarDirectory } from '../../engine/retrieval/syntaxBoundaries.ts';

export interface KnowledgeFeatureDependencies {
  /** The engine, opened on first use (opening it builds this feature's runtime). */
  engine(): Engine;
  isEngineOpen(): boolean;
  memory: ChatMemory;
  provider: ProviderPort;
  /** The chat provider's API key, for the embeddings endpoint. */
  apiKey(): string | undefined;
  log: vscode.LogOutputChannel;
  /** Delay before the workspace index starts (default 3 s). */
  indexStartDelayMs?: number;
}

export class KnowledgeFeature implements vscode.Disposable {
  readonly indexer: WorkspaceIndexer;
  readonly citations: CitationPort;
  readonly #deps: KnowledgeFeatureDependencies;
  readonly #tree: KnowledgeTree;
  readonly #commands: KnowledgeCommands;
  #runtime: KnowledgeRuntime | undefined;
  #view: vscode.TreeView<unknown> | undefined;

  constructor(deps: KnowledgeFeatureDependencies) {
    this.#deps = deps;
    const runtime = () => this.runtime();
    this.indexer = new WorkspaceIndexer({ engine: deps.engine, runtime, log: deps.log, ...(deps.indexStartDelayMs !== undefined ? { startDelayMs: deps.indexStartDelayMs } : {}) });
    this.#tree = new KnowledgeTree({ engine: deps.engine, runtime, indexer: this.indexer, assistantInUse: () => this.#assistantInUse() });
    this.#commands = new KnowledgeCommands({ engine: deps.engine, runtime, indexer: this.indexer, tree: this.#tree, memory: deps.memory, provider: deps.provider, log: deps.log });
    this.citations = new CitationOpener({ engine: deps.engine, runtime, log: deps.log });
  }

  /** For EngineHost's add-ons: builds the index when the engine opens. */
  engineAddOn(storageDir: string): EngineAddOn {
    const status = this.#deps.provider.status();
    const embeddings = configuredEmbeddings({ kind: status.kind, baseUrl: status.baseUrl, apiKey: () => this.#deps.apiKey() });
    this.#useVscodeTreeSitter();
    this.#runtime = new KnowledgeRuntime({ storageDir, ...(embeddings ? { embeddings } : {}), workspaceStoreIds: () => this.indexer.storeIds() });
    this.#deps.log.info(embeddings ? `knowledge: keyword and semantic search (${embeddings.space}).` : 'knowledge: keyword search only (no embeddings model is set).');
    this.#describeSearch();
    return this.#runtime.addOn((message) => this.#deps.log.info(message));
  }

  /** Before the index starts its workers: they parse with the grammars found here. */
  #useVscodeTreeSitter(): void {
    const directory = vscodeTreeSitterDirectory(vscode.env.appRoot);
    if (directory) {
      setGrammarDirectory(directory);
      this.#deps.log.info(`knowledge: chunks follow the code's syntax, parsed with VS Code's tree-sitter (${directory}).`);
    } else {
      this.#deps.log.info(`knowledge: VS Code's tree-sitter was not found under ${vscode.env.appRoot}; chunks follow the layout (blank lines, indentation) unless @vscode/tree-sitter-wasm is installed beside the extension.`);
    }
  }

  runtime(): KnowledgeRuntime {
    this.#deps.engine();
    if (!this.#runtime) throw new Error('The knowledge base was not built with the engine.');
    return this.#runtime;
  }

  register(): vscode.Disposable {
    this.#view = vscode.window.createTreeView(KNOWLEDGE_VIEW_ID, { treeDataProvider: this.#tree as vscode.TreeDataProvider<unknown>, showCollapseAll: true });
    this.#describeSearch();
    const disposables = vscode.Disposable.from(
      this.#view,
      this.#commands.register(),
      this.indexer.onDidChange(() => this.#tree.refresh()),
    );
    this.indexer.start();
    return disposables;
  }

  addToKnowledgeBase(resource?: vscode.Uri, selected?: vscode.Uri[]): Promise<unknown> {
    return this.#commands.addToKnowledgeBase(resource, selected);
  }

  /** The assistant in use changed (the knowledge base it searches may have too). */
  refresh(): void {
    this.#tree.refresh();
  }

  /** One line for the status bar's tooltip; never opens the engine. */
  describe(): string | undefined {
    const folders = this.indexer.statuses();
    const parts: string[] = [];
    for (const status of folders) {
      if (status.state === 'indexing') parts.push(`${status.folder.name}: indexing ${status.done}/${status.total}`);
      else if (status.state === 'ready') parts.push(`${status.folder.name}: ${(status.report?.indexed ?? 0) + (status.report?.unchanged ?? 0)} files indexed`);
      else parts.push(`${status.folder.name}: ${status.state}`);
    }
    if (this.#deps.isEngineOpen() && this.#runtime) {
      const bases = listKnowledgeBases(this.#deps.engine());
      if (bases.length > 0) parts.push(`${bases.length} knowledge base${bases.length === 1 ? '' : 's'}`);
      if (!this.#runtime.hasEmbeddings) parts.push('keyword search');
    }
    return parts.length > 0 ? parts.join(' · ') : undefined;
  }

  /** Said once, where the user looks at the knowledge base: semantic search is off until a model is set. */
  #describeSearch(): void {
    if (!this.#view || !this.#runtime) return;
    this.#view.description = this.#runtime.hasEmbeddings ? undefined : 'keyword search only';
  }

  #assistantInUse(): string | undefined {
    const chosen = this.#deps.memory.get('selectedAssistantId');
    if (chosen && this.#deps.engine().store.assistants.get(chosen)) return chosen;
    // The panel falls back to the newest assistant; the built-in one unless the user made others.
    return this.#deps.engine().assistants.list({ limit: 1 }).data[0]?.id;
  }

  dispose(): void {
    this.indexer.dispose();
    this.#tree.dispose();
  }
}
