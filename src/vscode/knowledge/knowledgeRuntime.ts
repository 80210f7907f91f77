/**
 * The knowledge base's half of the engine, built when the engine opens (as `threadwork serve`
 * builds it in src/cli/serveEngine.ts): the RetrievalIndex on its own database in global storage,
 * the VectorIndex port over it for vector stores, and file_search registered as a built-in tool.
 * The extension's file_search also searches this window's workspace folders for the assistants that
 * search the workspace (the built-in one): v2 allows one store per assistant, and an assistant kept
 * in global storage cannot name the folders of every window. Every search result's line range is
 * remembered, so a citation can open the file at the lines the model read. No `vscode` import.
 */
import { join } from 'node:path';
import { FileSearchTool } from '../../engine/builtinTools/fileSearchTool.ts';
import type { Engine } from '../../engine/engine.ts';
import type { EmbeddingsBackend } from '../../engine/ports/embeddings.ts';
import type { VectorIndex, VectorIndexChunking, VectorIndexFile, VectorIndexHit, VectorIndexSearchOptions } from '../../engine/ports/vectorIndex.ts';
import { RetrievalIndex } from '../../engine/retrieval/retrievalIndex.ts';
import { openDatabase, type Database } from '../../engine/store/sqlite.ts';
import type { Assistant } from '../../engine/types/assistant.ts';
import { RetrievalVectorIndex } from '../../engine/vectorStores/retrievalVectorIndex.ts';
import type { EngineAddOn } from '../engineHost.ts';
import { isDefaultAssistant } from '../defaultAssistant.ts';
import { KnowledgeLinks } from './knowledgeLinks.ts';

export const KNOWLEDGE_DATABASE = 'knowledge.sqlite';
export const LINKS_DATABASE = 'knowledge-links.sqlite';
/** Assistant metadata that makes a user's own assistant search the open workspace too. */
export const SEARCH_WORKSPACE_KEY = 'threadwork_search_workspace';

export interface KnowledgeRuntimeOptions {
  storageDir: string;
  /** Present when the user configured an embeddings model; keyword search only otherwise. */
  embeddings?: { backend: EmbeddingsBackend; space: string };
  /** The vector stores of this window's indexed workspace folders. */
  workspaceStoreIds(): string[];
}

export function searchesWorkspace(assistant: Assistant | undefined): boolean {
  return assistant !== undefined && (isDefaultAssistant(assistant) || assistant.metadata[SEARCH_WORKSPACE_KEY] === 'true');
}

/** The VectorIndex file_search uses: the stores' index, with every hit's lines remembered. */
class LineRecordingIndex implements VectorIndex {
  readonly #inner: VectorIndex;
  readonly #links: KnowledgeLinks;
  readonly #log: (message: string) => void;

  constructor(inner: VectorIndex, links: KnowledgeLinks, log: (message: string) => void) {
    this.#inner = inner;
    this.#links = links;
    this.#log = log;
  }

  addFile(vectorStoreId: string, file: VectorIndexFile, chunking: VectorIndexChunking, signal?: AbortSignal): Promise<{ usageBytes: number }> {
    return this.#inner.addFile(vectorStoreId, file, chunking, signal);
  }

  removeFile(vectorStoreId: string, fileId: string): void | Promise<void> {
    return this.#inner.removeFile(vectorStoreId, fileId);
  }

  async search(vectorStoreIds: readonly string[], query: string, options: VectorIndexSearchOptions): Promise<VectorIndexHit[]> {
    const hits = await this.#inner.search(vectorStoreIds, query, options);
    try {
      this.#links.recordChunks(hits);
    } catch (error) {
      // Losing a line range costs a less precise citation, never the search.
      this.#log(`knowledge: could not remember citation lines: ${String(error)}`);
    }
    return hits;
  }

  dropStore(vectorStoreId: string): void | Promise<void> {
    return this.#inner.dropStore(vectorStoreId);
  }
}

export class KnowledgeRuntime {
  readonly retrieval: RetrievalIndex;
  readonly vectorIndex: RetrievalVectorIndex;
  readonly links: KnowledgeLinks;
  readonly hasEmbeddings: boolean;
  readonly #db: Database;
  readonly #options: KnowledgeRuntimeOptions;
  #closing: Promise<void> | undefined;

  constructor(options: KnowledgeRuntimeOptions) {
    this.#options = options;
    this.#db = openDatabase(join(options.storageDir, KNOWLEDGE_DATABASE));
    this.retrieval = new RetrievalIndex(this.#db, options.embeddings ? { embeddings: options.embeddings.backend, embeddingSpace: options.embeddings.space } : {});
    this.vectorIndex = new RetrievalVectorIndex(this.retrieval);
    this.links = new KnowledgeLinks(join(options.storageDir, LINKS_DATABASE));
    this.hasEmbeddings = options.embeddings !== undefined;
  }

  /** The stores a run searches: v2's (assistant's and thread's), plus the workspace's for those that search it. */
  storesFor(engine: Engine, thread: Parameters<Engine['vectorStores']['storesForRun']>[0], assistant: Assistant | undefined): string[] {
    const own = engine.vectorStores.storesForRun(thread, assistant);
    const workspace = searchesWorkspace(assistant) ? this.#options.workspaceStoreIds().filter((id) => engine.store.vectorStores.get(id) !== undefined) : [];
    return [...new Set([...own, ...workspace])];
  }

  /** For EngineHost: the engine gets the index and file_search. */
  addOn(log: (message: string) => void): EngineAddOn {
    return {
      options: { vectorIndex: this.vectorIndex },
      attach: (engine) => engine.registerBuiltinTool(new FileSearchTool({
        index: new LineRecordingIndex(this.vectorIndex, this.links, log),
        storesFor: (thread, assistant) => this.storesFor(engine, thread, assistant),
        touch: (ids) => engine.vectorStores.touch(ids),
      })),
      close: () => this.close(),
    };
  }

  close(): Promise<void> {
    this.#closing ??= (async () => {
      await this.retrieval.close();
      if (this.#db.isOpen) this.#db.close();
      this.links.close();
    })();
    return this.#closing;
  }
}
