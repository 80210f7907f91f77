/**
 * The knowledge base's index: what the vector-store endpoints, the file_search tool, the
 * workspace indexer and the CLI call. Files live in named collections (a vector store, a
 * workspace folder) under a key (a file id, a relative path). Adding a file whose content hash and
 * chunking are unchanged does nothing; otherwise it is prepared off-thread, embedded (only chunks
 * whose text has no stored vector yet), and written in one transaction.
 */
import type { EmbeddingsBackend } from '../ports/embeddings.ts';
import type { Database } from '../store/sqlite.ts';
import type { ChunkLimits } from './chunkingOptions.ts';
import { DEFAULT_CHUNK_LIMITS, validateChunkLimits } from './chunkingOptions.ts';
import type { DocumentPreparer } from './documentPreparer.ts';
import { createDocumentPreparer } from './documentPreparer.ts';
import type { FileMeta, StoredFile } from './indexStore.ts';
import { RetrievalStore } from './indexStore.ts';
import type { PreparedDocument } from './prepareDocument.ts';
import type { StoreOperation } from './prepareWorker.ts';
import { ensureRetrievalSchema } from './schema.ts';
import type { SearchRequest, SearchResponse } from './searchIndex.ts';
import { searchIndex } from './searchIndex.ts';
import { KeywordStatistics } from './termStatistics.ts';
import { VectorSearcher } from './vectorSearcher.ts';
import { WriteBatcher } from '../store/writeBatcher.ts';

/** v2's per-file limit for file_search uploads. */
export const DEFAULT_MAX_FILE_BYTES = 512 * 1024 * 1024;
const EMBED_BATCH = 64;
const NEVER_ABORTED = new AbortController().signal;

export interface RetrievalIndexOptions {
  /** Where documents are chunked; default a worker pool created on first use. */
  preparer?: DocumentPreparer;
  embeddings?: EmbeddingsBackend;
  /** Names the embedding model's vector space; vectors of another space are never compared. */
  embeddingSpace?: string;
}

export interface UpsertOptions {
  /** Path shown in results and used for language, path terms and role; default the key. */
  path?: string;
  limits?: ChunkLimits;
  mtimeMs?: number | null;
  maxBytes?: number;
  signal?: AbortSignal;
}

export type UpsertOutcome = 'indexed' | 'unchanged' | 'unsupported';

export interface UpsertResult {
  outcome: UpsertOutcome;
  file: StoredFile;
}

export class RetrievalIndex {
  readonly store: RetrievalStore;
  readonly #writes: WriteBatcher;
  readonly #statistics: KeywordStatistics;
  readonly #embeddings: EmbeddingsBackend | undefined;
  readonly #space: string;
  #preparer: DocumentPreparer | undefined;
  readonly #ownsPreparer: boolean;
  #searcher: VectorSearcher | null = null;
  #closed = false;

  constructor(db: Database, options: RetrievalIndexOptions = {}) {
    ensureRetrievalSchema(db);
    this.store = new RetrievalStore(db);
    this.#writes = new WriteBatcher(db);
    this.#statistics = new KeywordStatistics(this.store);
    this.#embeddings = options.embeddings;
    this.#space = options.embeddingSpace ?? (options.embeddings ? `dims:${options.embeddings.dimensions}` : '');
    this.#preparer = options.preparer;
    this.#ownsPreparer = options.preparer === undefined;
  }

  get hasEmbeddings(): boolean {
    return this.#embeddings !== undefined;
  }

  #preparerInstance(): DocumentPreparer {
    this.#refuseIfClosed();
    this.#preparer ??= createDocumentPreparer();
    return this.#preparer;
  }

  file(collection: string, key: string): StoredFile | undefined {
    const id = this.store.collectionId(collection);
    return id === undefined ? undefined : this.store.file(id, key);
  }

  files(collection: string): Map<string, StoredFile> {
    const id = this.store.collectionId(collection);
    return id === undefined ? new Map() : this.store.files(id);
  }

  /**
   * The database file, when writes can go through the preparation workers' own connections:
   * a file-backed database, a worker pool, and no embeddings (those are fetched on this thread).
   */
  #directWritePath(): string | null {
    if (this.#embeddings) return null;
    const preparer = this.#preparerInstance();
    if (!preparer.prepareAndWrite || !preparer.store) return null;
    const location = this.store.db.location();
    return location && location !== ':memory:' ? location : null;
  }

  /**
   * Indexes `bytes` as `key` in `collection`, replacing any earlier version. The bytes may be
   * handed to a worker thread: do not use them afterwards. Resolves once the result is committed.
   */
  async upsert(collection: string, key: string, bytes: Uint8Array, options: UpsertOptions = {}): Promise<UpsertResult> {
    const limits = validateChunkLimits(options.limits ?? DEFAULT_CHUNK_LIMITS);
    const path = options.path ?? key;
    const collectionId = this.store.ensureCollection(collection);
    const existing = this.store.file(collectionId, key);
    const sameShape = existing && existing.path === path && existing.limits.maxTokens === limits.maxTokens && existing.limits.overlapTokens === limits.overlapTokens;
    const mtimeMs = options.mtimeMs ?? null;
    const request = { path, bytes, limits, maxBytes: options.maxBytes ?? DEFAULT_MAX_FILE_BYTES, knownHash: sameShape ? existing.contentHash : null };
    const preparer = this.#preparerInstance();
    const directPath = this.#directWritePath();

    if (directPath && preparer.prepareAndWrite) {
      const written = await preparer.prepareAndWrite(request, { databasePath: directPath, collectionId, meta: { key, path, mtimeMs, limits } });
      if (written.status !== 'unchanged') {
        this.#statistics.invalidate();
        return { outcome: written.status, file: written.file };
      }
      return this.#unchanged(existing!, mtimeMs);
    }

    const result = await preparer.prepare(request);
    options.signal?.throwIfAborted();
    if (result.status === 'unchanged') return this.#unchanged(existing!, mtimeMs);
    const meta: FileMeta = { key, path, contentHash: result.contentHash, size: result.bytes, mtimeMs, limits };
    if (result.status === 'unsupported') {
      const file = await this.#writes.write(() => this.store.writeUnsupported(collectionId, meta, result.reason, result.message));
      this.#statistics.invalidate();
      return { outcome: 'unsupported', file };
    }
    const vectors = await this.#embed(path, result.document, options.signal);
    options.signal?.throwIfAborted();
    const file = await this.#writes.write(() => this.store.writeDocument(collectionId, meta, result.document, vectors));
    this.#statistics.invalidate();
    return { outcome: 'indexed', file };
  }

  /** Same content as stored: only a moved mtime is remembered (so the next sync skips reading it). */
  async #unchanged(existing: StoredFile, mtimeMs: number | null): Promise<UpsertResult> {
    if (existing.mtimeMs !== mtimeMs) await this.#store({ kind: 'touch', fileId: existing.id, mtimeMs }, () => this.store.touch(existing.id, mtimeMs));
    return { outcome: 'unchanged', file: { ...existing, mtimeMs } };
  }

  /** A small write, through a worker's connection when documents are written there too. */
  async #store(operation: StoreOperation, here: () => unknown): Promise<unknown> {
    const directPath = this.#directWritePath();
    const preparer = this.#preparerInstance();
    const result = directPath && preparer.store ? await preparer.store(directPath, operation) : await this.#writes.write(here);
    this.#statistics.invalidate();
    return result;
  }

  async #embed(path: string, document: PreparedDocument, signal?: AbortSignal): Promise<{ space: string; vectors: Float32Array[] } | undefined> {
    const backend = this.#embeddings;
    if (!backend || document.chunks.length === 0) return undefined;
    const known = this.store.vectorsForTexts(this.#space, document.chunks.map((chunk) => chunk.textHash));
    const missing = document.chunks.map((chunk, index) => ({ chunk, index })).filter(({ chunk }) => !known.has(chunk.textHash));
    const vectors: Float32Array[] = document.chunks.map((chunk) => known.get(chunk.textHash) ?? new Float32Array(0));
    for (let start = 0; start < missing.length; start += EMBED_BATCH) {
      signal?.throwIfAborted();
      const batch = missing.slice(start, start + EMBED_BATCH);
      // The path leads each text: it is often the strongest hint of what a chunk is about.
      const embedded = await backend.embed(batch.map(({ chunk }) => `${path}\n${document.text.slice(chunk.startOffset, chunk.endOffset)}`), signal ?? NEVER_ABORTED);
      if (embedded.length !== batch.length) throw new Error(`The embeddings backend returned ${embedded.length} vectors for ${batch.length} texts.`);
      batch.forEach(({ index }, i) => {
        vectors[index] = embedded[i]!;
      });
    }
    return { space: this.#space, vectors };
  }

  /** Resolves true when the file was there, once its removal is committed. */
  async remove(collection: string, key: string): Promise<boolean> {
    const id = this.store.collectionId(collection);
    if (id === undefined) return false;
    return Boolean(await this.#store({ kind: 'remove', collectionId: id, key }, () => this.store.removeFile(id, key)));
  }

  async removeCollection(collection: string): Promise<boolean> {
    return Boolean(await this.#store({ kind: 'removeCollection', name: collection }, () => this.store.removeCollection(collection)));
  }

  async search(request: SearchRequest): Promise<SearchResponse> {
    let embeddings;
    if (this.#embeddings) {
      this.#refuseIfClosed();
      this.#searcher ??= new VectorSearcher(this.store, this.#space, this.#embeddings.dimensions);
      embeddings = { backend: this.#embeddings, searcher: this.#searcher };
    }
    return searchIndex({ store: this.store, statistics: this.#statistics, embeddings }, request);
  }

  /** Work after close() would start worker threads that nobody stops any more. */
  #refuseIfClosed(): void {
    if (this.#closed) throw new Error('The retrieval index is closed; open a new one to index or search again.');
  }

  /** Stops the workers this index started (not a preparer passed in). The database stays open. */
  async close(): Promise<void> {
    this.#closed = true;
    await this.#writes.drained();
    const searcher = this.#searcher;
    this.#searcher = null;
    await searcher?.close();
    if (this.#ownsPreparer) {
      const preparer = this.#preparer;
      this.#preparer = undefined;
      await preparer?.close();
    }
  }
}
