/**
 * Vector stores as v2 shaped them (docs/assistants-v2.md §2.7–2.9, §6.4): stores, their files
 * and file batches, the status roll-up, expiry after inactivity, and search. Ingestion runs in
 * the background through the VectorIndex port, so a client polls `in_progress` → `completed`
 * exactly as it did against the hosted API. Without an index, files are kept and complete at
 * once (usage = their size) and searches return nothing.
 */
import type { EngineContext } from '../engineContext.ts';
import { EngineError, invalid, notFound } from '../errors.ts';
import { checkIdPrefix, newId } from '../ids.ts';
import type { VectorIndex, VectorIndexHit } from '../ports/vectorIndex.ts';
import { VectorIndexFileError } from '../ports/vectorIndex.ts';
import type { Assistant } from '../types/assistant.ts';
import type { DeletedObject, ListPage, ListParams, Metadata } from '../types/common.ts';
import type { Thread } from '../types/thread.ts';
import type { ExpiresAfter, StaticChunking, VectorStore, VectorStoreFile, VectorStoreFileBatch, VectorStoreFileStatus } from '../types/vectorStore.ts';
import {
  DEFAULT_STATIC_CHUNKING,
  parseFileBatchCreate,
  parseVectorStoreCreate,
  parseVectorStoreFileCreate,
  parseVectorStoreFileUpdate,
  parseVectorStoreUpdate,
  type VectorStoreFileCreateParams,
} from '../validation/vectorStoreParams.ts';
import { IngestionQueue } from './ingestionQueue.ts';
import { batchFileIds, batchIdsOfFile, fileKey, inProgressFileKeys, listBatchFiles } from './storeQueries.ts';
import { DAY_SECONDS, isExpired, present, refreshBatch, refreshStore, requireFile, requireStore, requireUsable } from './storeRecords.ts';
import { VectorStoreSearch, type SearchResultsPage } from './vectorStoreSearch.ts';

export type { SearchResultsPage } from './vectorStoreSearch.ts';


export interface VectorStoreServiceOptions {
  index: VectorIndex | null;
  /** Unexpected ingestion failures (the file itself ends `failed` either way). */
  log?: (message: string) => void;
}

export interface NewStoreSpec {
  name?: string;
  expires_after?: ExpiresAfter;
  metadata?: Metadata;
  files: VectorStoreFileCreateParams[];
}

export interface FileContentPage {
  object: 'vector_store.file_content.page';
  data: Array<{ type: 'text'; text: string }>;
  has_more: false;
  next_page: null;
}

export class VectorStoreService {
  private readonly context: EngineContext;
  private readonly index: VectorIndex | null;
  private readonly queue: IngestionQueue;
  private readonly log: (message: string) => void;
  private readonly searcher: VectorStoreSearch;

  constructor(context: EngineContext, options: VectorStoreServiceOptions) {
    this.context = context;
    this.index = options.index;
    this.log = options.log ?? (() => undefined);
    this.searcher = new VectorStoreSearch(context, options.index, (ids) => this.touch(ids));
    this.queue = new IngestionQueue((key, signal) => this.ingest(key, signal), {
      onError: (key, error) => this.log(`vector store ingestion of ${key} failed: ${error instanceof Error ? error.stack : String(error)}`),
    });
    // Files that were being ingested when the last process stopped start again.
    for (const key of inProgressFileKeys(context.store.db)) this.queue.enqueue(key);
  }

  private get store() {
    return this.context.store;
  }

  private now(): number {
    return this.context.clock.nowSeconds();
  }

  // ---- stores ----

  create(input: unknown): VectorStore {
    const params = parseVectorStoreCreate(input);
    const chunking = params.chunking ?? DEFAULT_STATIC_CHUNKING;
    return this.store.transaction(() =>
      this.insertStore({
        ...(params.name !== undefined ? { name: params.name } : {}),
        ...(params.expires_after ? { expires_after: params.expires_after } : {}),
        ...(params.metadata ? { metadata: params.metadata } : {}),
        files: (params.file_ids ?? []).map((fileId) => ({ file_id: fileId, chunking })),
      }),
    );
  }

  /** Inside the caller's transaction: used by create, thread/assistant helpers and attachments. */
  insertStore(spec: NewStoreSpec): VectorStore {
    spec.files.forEach((file, index) => requireFile(this.context, file.file_id, `file_ids[${index}]`));
    const now = this.now();
    const store: VectorStore = {
      id: newId('vectorStore'),
      object: 'vector_store',
      created_at: now,
      name: spec.name ?? '',
      usage_bytes: 0,
      file_counts: { in_progress: 0, completed: 0, failed: 0, cancelled: 0, total: 0 },
      status: 'completed',
      ...(spec.expires_after ? { expires_after: spec.expires_after } : {}),
      expires_at: spec.expires_after ? now + spec.expires_after.days * DAY_SECONDS : null,
      last_active_at: now,
      metadata: spec.metadata ?? {},
    };
    this.store.vectorStores.insert(store.id, store);
    for (const file of spec.files) this.putFile(store.id, file, now);
    return refreshStore(this.context, store.id);
  }

  retrieve(vectorStoreId: string): VectorStore {
    return present(this.context, requireStore(this.context, vectorStoreId));
  }

  update(vectorStoreId: string, input: unknown): VectorStore {
    const params = parseVectorStoreUpdate(input);
    return this.store.transaction(() => {
      const current = requireStore(this.context, vectorStoreId);
      const updated: VectorStore = { ...current };
      if (params.name !== undefined) updated.name = params.name ?? '';
      if (params.metadata !== undefined) updated.metadata = params.metadata;
      if (params.expires_after === null) {
        delete updated.expires_after;
        updated.expires_at = null;
      } else if (params.expires_after) {
        updated.expires_after = params.expires_after;
        updated.expires_at = (updated.last_active_at ?? this.now()) + params.expires_after.days * DAY_SECONDS;
      }
      this.store.vectorStores.update(vectorStoreId, updated);
      return present(this.context, updated);
    });
  }

  delete(vectorStoreId: string): DeletedObject {
    requireStore(this.context, vectorStoreId);
    const fileIds = this.store.vectorStoreFiles.all({ vector_store_id: vectorStoreId }).map((file) => file.id);
    this.store.transaction(() => {
      const db = this.store.db;
      db.prepare('DELETE FROM batch_files WHERE batch_id IN (SELECT id FROM file_batches WHERE vector_store_id = ?)').run(vectorStoreId);
      db.prepare('DELETE FROM file_batches WHERE vector_store_id = ?').run(vectorStoreId);
      db.prepare('DELETE FROM vector_store_files WHERE vector_store_id = ?').run(vectorStoreId);
      this.store.vectorStores.delete(vectorStoreId);
    });
    for (const fileId of fileIds) this.queue.cancel(fileKey(vectorStoreId, fileId));
    this.indexCall(() => this.index?.dropStore(vectorStoreId), `drop ${vectorStoreId}`);
    return { id: vectorStoreId, object: 'vector_store.deleted', deleted: true };
  }

  list(params: ListParams = {}): ListPage<VectorStore> {
    const page = this.store.vectorStores.list({}, params);
    return { ...page, data: page.data.map((store) => present(this.context, store)) };
  }

  /** Marks stores as used now (a run or a search): pushes their expiry out. Expired stores stay expired. */
  touch(vectorStoreIds: readonly string[]): void {
    const now = this.now();
    this.store.transaction(() => {
      for (const id of vectorStoreIds) {
        const store = this.store.vectorStores.get(id);
        if (!store || isExpired(store, now)) continue;
        const expiresAt = store.expires_after ? now + store.expires_after.days * DAY_SECONDS : null;
        this.store.vectorStores.update(id, { ...store, last_active_at: now, expires_at: expiresAt });
      }
    });
  }

  // ---- search ----

  search(vectorStoreId: string, input: unknown): Promise<SearchResultsPage> {
    return this.searcher.search(vectorStoreId, input);
  }

  searchStores(vectorStoreIds: readonly string[], queries: string[], options: { maxResults: number; scoreThreshold: number; signal?: AbortSignal }): Promise<VectorIndexHit[]> {
    return this.searcher.searchStores(vectorStoreIds, queries, options);
  }

  storesForRun(thread: Thread, assistant: Assistant | undefined): string[] {
    return this.searcher.storesForRun(thread, assistant);
  }

  // ---- files ----

  createFile(vectorStoreId: string, input: unknown): VectorStoreFile {
    const params = parseVectorStoreFileCreate(input);
    return this.store.transaction(() => {
      requireUsable(this.context, vectorStoreId);
      requireFile(this.context, params.file_id, 'file_id');
      const file = this.putFile(vectorStoreId, params, this.now());
      refreshStore(this.context, vectorStoreId);
      return file;
    });
  }

  retrieveFile(vectorStoreId: string, fileId: string): VectorStoreFile {
    requireStore(this.context, vectorStoreId);
    checkIdPrefix(fileId, 'file', 'file_id');
    const file = this.store.vectorStoreFiles.get(fileKey(vectorStoreId, fileId));
    if (!file) throw new EngineError('not_found', `No file found with id '${fileId}' in vector store '${vectorStoreId}'.`);
    return file;
  }

  updateFile(vectorStoreId: string, fileId: string, input: unknown): VectorStoreFile {
    const params = parseVectorStoreFileUpdate(input);
    return this.store.transaction(() => {
      const file = { ...this.retrieveFile(vectorStoreId, fileId), attributes: params.attributes ?? {} };
      this.store.vectorStoreFiles.update(fileKey(vectorStoreId, fileId), file);
      return file;
    });
  }

  /** Detaches a file from a store; the file itself stays (v2). */
  deleteFile(vectorStoreId: string, fileId: string): DeletedObject {
    this.store.transaction(() => {
      this.retrieveFile(vectorStoreId, fileId);
      this.detach(vectorStoreId, fileId);
    });
    return { id: fileId, object: 'vector_store.file.deleted', deleted: true };
  }

  listFiles(vectorStoreId: string, params: ListParams & { filter?: VectorStoreFileStatus } = {}): ListPage<VectorStoreFile> {
    requireStore(this.context, vectorStoreId);
    const where: Record<string, string> = { vector_store_id: vectorStoreId };
    if (params.filter) where['status'] = params.filter;
    return this.store.vectorStoreFiles.list(where, params, { cursorKey: (cursor) => fileKey(vectorStoreId, cursor), idOf: (file) => file.id });
  }

  /** The file's text as one page (the parsed text the index chunked is the file's own text here). */
  fileContent(vectorStoreId: string, fileId: string): FileContentPage {
    this.retrieveFile(vectorStoreId, fileId);
    const bytes = this.store.fileContent(fileId) ?? new Uint8Array();
    return { object: 'vector_store.file_content.page', data: [{ type: 'text', text: new TextDecoder().decode(bytes) }], has_more: false, next_page: null };
  }

  /** Called inside FileService's delete transaction: a deleted file leaves every store. */
  onFileDeleted(fileId: string): void {
    const keys = this.store.vectorStoreFiles.all({ file_id: fileId }).map((file) => file.vector_store_id);
    for (const vectorStoreId of keys) this.detach(vectorStoreId, fileId);
  }

  private detach(vectorStoreId: string, fileId: string): void {
    const key = fileKey(vectorStoreId, fileId);
    this.store.vectorStoreFiles.delete(key);
    this.queue.cancel(key);
    refreshStore(this.context, vectorStoreId);
    for (const batchId of batchIdsOfFile(this.store.db, vectorStoreId, fileId)) refreshBatch(this.context, vectorStoreId, batchId);
    this.indexCall(() => this.index?.removeFile(vectorStoreId, fileId), `remove ${key}`);
  }

  // ---- batches ----

  createBatch(vectorStoreId: string, input: unknown): VectorStoreFileBatch {
    const params = parseFileBatchCreate(input);
    return this.store.transaction(() => {
      requireUsable(this.context, vectorStoreId);
      params.files.forEach((file, index) => requireFile(this.context, file.file_id, `files[${index}].file_id`));
      const now = this.now();
      const batch: VectorStoreFileBatch = {
        id: newId('fileBatch'),
        object: 'vector_store.files_batch',
        created_at: now,
        vector_store_id: vectorStoreId,
        status: 'in_progress',
        file_counts: { in_progress: 0, completed: 0, failed: 0, cancelled: 0, total: 0 },
      };
      this.store.fileBatches.insert(batch.id, batch);
      const link = this.store.db.prepare('INSERT OR IGNORE INTO batch_files (batch_id, file_id) VALUES (?, ?)');
      for (const file of params.files) {
        this.putFile(vectorStoreId, file, now);
        link.run(batch.id, file.file_id);
      }
      refreshStore(this.context, vectorStoreId);
      return refreshBatch(this.context, vectorStoreId, batch.id);
    });
  }

  retrieveBatch(vectorStoreId: string, batchId: string): VectorStoreFileBatch {
    requireStore(this.context, vectorStoreId);
    checkIdPrefix(batchId, 'fileBatch', 'batch_id');
    const batch = this.store.fileBatches.get(batchId);
    if (!batch || batch.vector_store_id !== vectorStoreId) throw notFound('vector store file batch', batchId);
    return batch;
  }

  /** Stops a batch: files not yet ingested end `cancelled`, finished ones stay. */
  cancelBatch(vectorStoreId: string, batchId: string): VectorStoreFileBatch {
    return this.store.transaction(() => {
      const batch = this.retrieveBatch(vectorStoreId, batchId);
      if (batch.status !== 'in_progress') throw invalid(`Cannot cancel vector store file batch with status '${batch.status}'.`);
      for (const fileId of batchFileIds(this.store.db, batchId)) {
        const key = fileKey(vectorStoreId, fileId);
        const file = this.store.vectorStoreFiles.get(key);
        if (!file || file.status !== 'in_progress') continue;
        this.queue.cancel(key);
        this.store.vectorStoreFiles.update(key, { ...file, status: 'cancelled' });
        this.indexCall(() => this.index?.removeFile(vectorStoreId, fileId), `remove ${key}`);
      }
      this.store.fileBatches.update(batchId, { ...batch, status: 'cancelled' });
      refreshStore(this.context, vectorStoreId);
      return refreshBatch(this.context, vectorStoreId, batchId);
    });
  }

  listBatchFiles(vectorStoreId: string, batchId: string, params: ListParams & { filter?: VectorStoreFileStatus } = {}): ListPage<VectorStoreFile> {
    this.retrieveBatch(vectorStoreId, batchId);
    return listBatchFiles(this.store.db, vectorStoreId, batchId, params);
  }

  // ---- internals ----

  /** Adds (or re-adds) a file as `in_progress` and queues its ingestion; caller holds the transaction. */
  private putFile(vectorStoreId: string, params: VectorStoreFileCreateParams, now: number): VectorStoreFile {
    const key = fileKey(vectorStoreId, params.file_id);
    const chunking: StaticChunking = params.chunking ?? DEFAULT_STATIC_CHUNKING;
    const file: VectorStoreFile = {
      id: params.file_id,
      object: 'vector_store.file',
      usage_bytes: 0,
      created_at: now,
      vector_store_id: vectorStoreId,
      status: 'in_progress',
      last_error: null,
      chunking_strategy: { type: 'static', static: { ...chunking } },
      attributes: params.attributes ?? {},
    };
    const existing = this.store.vectorStoreFiles.get(key);
    if (existing) {
      // Re-adding replaces the file's chunks (new chunking or attributes): the old ones leave the index first.
      this.queue.cancel(key);
      if (existing.status === 'completed') this.indexCall(() => this.index?.removeFile(vectorStoreId, params.file_id), `remove ${key}`);
      this.store.vectorStoreFiles.update(key, { ...file, created_at: existing.created_at });
    } else {
      this.store.vectorStoreFiles.insert(key, file);
    }
    this.queue.enqueue(key);
    return file;
  }

  /** One background job: hand the file to the index, then record the outcome if nobody cancelled it meanwhile. */
  private async ingest(key: string, signal: AbortSignal): Promise<void> {
    const record = this.store.vectorStoreFiles.get(key);
    if (!record || record.status !== 'in_progress') return;
    const file = this.store.files.get(record.id);
    const bytes = file ? this.store.fileContent(record.id) : undefined;
    let outcome: Pick<VectorStoreFile, 'status' | 'usage_bytes' | 'last_error'>;
    if (!file || !bytes) {
      outcome = { status: 'failed', usage_bytes: 0, last_error: { code: 'invalid_file', message: `File ${record.id} no longer exists.` } };
    } else if (!this.index) {
      outcome = { status: 'completed', usage_bytes: bytes.byteLength, last_error: null };
    } else {
      const chunking = record.chunking_strategy?.type === 'static' ? record.chunking_strategy.static : DEFAULT_STATIC_CHUNKING;
      try {
        const result = await this.index.addFile(record.vector_store_id, { id: file.id, filename: file.filename, bytes }, { maxChunkSizeTokens: chunking.max_chunk_size_tokens, chunkOverlapTokens: chunking.chunk_overlap_tokens }, signal);
        outcome = { status: 'completed', usage_bytes: Math.max(0, Math.round(result.usageBytes)), last_error: null };
      } catch (error) {
        if (signal.aborted) return;
        const code = error instanceof VectorIndexFileError ? error.code : 'server_error';
        if (code === 'server_error') this.log(`vector store ingestion of ${key} failed: ${error instanceof Error ? error.stack : String(error)}`);
        outcome = { status: 'failed', usage_bytes: 0, last_error: { code, message: error instanceof Error ? error.message : String(error) } };
      }
    }
    if (signal.aborted) return;
    this.store.transaction(() => {
      const current = this.store.vectorStoreFiles.get(key);
      if (!current || current.status !== 'in_progress') return;
      this.store.vectorStoreFiles.update(key, { ...current, ...outcome });
      if (!this.store.vectorStores.get(current.vector_store_id)) return;
      refreshStore(this.context, current.vector_store_id);
      for (const batchId of batchIdsOfFile(this.store.db, current.vector_store_id, current.id)) refreshBatch(this.context, current.vector_store_id, batchId);
    });
  }

  /** Index housekeeping never fails the request that caused it; failures are logged. */
  private indexCall(call: () => void | Promise<void> | undefined, what: string): void {
    try {
      const result = call();
      if (result instanceof Promise) result.catch((error: unknown) => this.log(`vector index: ${what} failed: ${String(error)}`));
    } catch (error) {
      this.log(`vector index: ${what} failed: ${String(error)}`);
    }
  }

  /** Background ingestion still queued or running (tests and shutdown wait on it). */
  get pendingIngestion(): number {
    return this.queue.size;
  }

  async close(): Promise<void> {
    await this.queue.close();
  }
}
