/**
 * The caller's side of the vector worker. Before a search it brings the worker's copy of the
 * vectors up to date with the database: chunk ids only grow, so a (count, max id) signature says
 * whether anything changed, rows above the highest id already sent are the new ones, and a full id
 * scan is needed only when rows also disappeared. New rows go over in pages with a yield between
 * them, so even the first load of 100k vectors never holds the event loop for long.
 */
import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import { Worker } from 'node:worker_threads';
import type { RetrievalStore } from './indexStore.ts';
import { blobToVector, normalizeVector } from './vectorCodec.ts';
import type { VectorWorkerReply, VectorWorkerRequest } from './vectorWorker.ts';
import { workerEntryUrl } from './workerEntry.ts';

const PAGE_ROWS = 1000;

export interface VectorHit {
  chunkId: number;
  similarity: number;
}

export class VectorSearcher {
  readonly #store: RetrievalStore;
  readonly #space: string;
  readonly #dimensions: number;
  readonly #loaded = new Set<number>();
  #maxLoaded = 0;
  #signature = '';
  #worker: Worker | null = null;
  #syncing: Promise<void> | null = null;
  #nextRequest = 1;
  readonly #waiting = new Map<number, (reply: VectorWorkerReply) => void>();

  constructor(store: RetrievalStore, space: string, dimensions: number) {
    this.#store = store;
    this.#space = space;
    this.#dimensions = dimensions;
  }

  #ensureWorker(): Worker {
    if (this.#worker) return this.#worker;
    const worker = new Worker(workerEntryUrl('vectorWorker', import.meta.url));
    worker.unref();
    worker.on('message', (reply: VectorWorkerReply) => {
      const resolve = this.#waiting.get(reply.requestId);
      this.#waiting.delete(reply.requestId);
      if (this.#waiting.size === 0) worker.unref();
      resolve?.(reply);
    });
    worker.on('error', () => {
      // A crashed worker is replaced on the next search; its vectors are reloaded from the database.
      this.#worker = null;
      this.#loaded.clear();
      this.#maxLoaded = 0;
      this.#signature = '';
      for (const resolve of this.#waiting.values()) resolve({ requestId: 0, ids: [], similarities: [] });
      this.#waiting.clear();
    });
    worker.postMessage({ type: 'reset', dimensions: this.#dimensions } satisfies VectorWorkerRequest);
    this.#worker = worker;
    return worker;
  }

  /** Brings the worker in step with the database (serialised: one sync at a time). */
  sync(signal?: AbortSignal): Promise<void> {
    this.#syncing ??= this.#sync(signal).finally(() => {
      this.#syncing = null;
    });
    return this.#syncing;
  }

  async #sync(signal?: AbortSignal): Promise<void> {
    const worker = this.#ensureWorker();
    const signatureRow = this.#store.statement('SELECT count(*) AS n, max(chunk_id) AS top FROM retrieval_vectors WHERE space = ?').get(this.#space) as { n: number; top: number | null };
    const signature = `${signatureRow.n}:${signatureRow.top ?? 0}`;
    if (signature === this.#signature) return;
    const newer = this.#store.statement('SELECT count(*) AS n FROM retrieval_vectors WHERE space = ? AND chunk_id > ?').get(this.#space, this.#maxLoaded) as { n: number };
    if (this.#loaded.size + Number(newer.n) !== Number(signatureRow.n)) {
      const present = new Set((this.#store.statement('SELECT chunk_id AS id FROM retrieval_vectors WHERE space = ?').all(this.#space) as Array<{ id: number }>).map((row) => Number(row.id)));
      const removed: number[] = [];
      for (const id of this.#loaded) if (!present.has(id)) removed.push(id);
      for (const id of removed) this.#loaded.delete(id);
      if (removed.length > 0) worker.postMessage({ type: 'remove', ids: Float64Array.from(removed) } satisfies VectorWorkerRequest);
    }
    const page = this.#store.statement(`SELECT v.chunk_id AS id, f.collection_id AS collection, v.vector AS vector
      FROM retrieval_vectors v JOIN retrieval_chunks c ON c.id = v.chunk_id JOIN retrieval_files f ON f.id = c.file_id
      WHERE v.space = ? AND v.chunk_id > ? ORDER BY v.chunk_id LIMIT ?`);
    for (;;) {
      signal?.throwIfAborted();
      const rows = page.all(this.#space, this.#maxLoaded, PAGE_ROWS) as Array<{ id: number; collection: number; vector: Uint8Array }>;
      if (rows.length === 0) break;
      const ids = new Float64Array(rows.length);
      const collections = new Int32Array(rows.length);
      const vectors = new Float32Array(rows.length * this.#dimensions);
      rows.forEach((row, i) => {
        ids[i] = Number(row.id);
        collections[i] = Number(row.collection);
        const vector = blobToVector(row.vector);
        if (vector.length === this.#dimensions) vectors.set(vector, i * this.#dimensions);
        this.#loaded.add(Number(row.id));
      });
      this.#maxLoaded = ids[rows.length - 1]!;
      worker.postMessage({ type: 'add', ids, collections, vectors } satisfies VectorWorkerRequest, [ids.buffer, collections.buffer, vectors.buffer]);
      if (rows.length < PAGE_ROWS) break;
      await yieldToEventLoop();
    }
    this.#signature = signature;
  }

  /** The k chunks of `collectionIds` most similar to `query`, best first. */
  async search(query: Float32Array, k: number, collectionIds: readonly number[], signal?: AbortSignal): Promise<VectorHit[]> {
    await this.sync(signal);
    const worker = this.#ensureWorker();
    const requestId = this.#nextRequest++;
    const vector = Float32Array.from(normalizeVector(query));
    const reply = await new Promise<VectorWorkerReply>((resolve, reject) => {
      const onAbort = (): void => {
        this.#waiting.delete(requestId);
        if (this.#waiting.size === 0) worker.unref();
        reject(signal?.reason instanceof Error ? signal.reason : new Error('The search was cancelled.'));
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.#waiting.set(requestId, (result) => {
        signal?.removeEventListener('abort', onAbort);
        resolve(result);
      });
      if (this.#waiting.size === 1) worker.ref();
      worker.postMessage({ type: 'search', requestId, vector, k, collections: [...collectionIds] } satisfies VectorWorkerRequest, [vector.buffer]);
    });
    return reply.ids.map((chunkId, i) => ({ chunkId, similarity: reply.similarities[i]! }));
  }

  async close(): Promise<void> {
    const worker = this.#worker;
    this.#worker = null;
    for (const resolve of this.#waiting.values()) resolve({ requestId: 0, ids: [], similarities: [] });
    this.#waiting.clear();
    if (worker) await worker.terminate();
  }
}
