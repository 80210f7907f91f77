/**
 * Runs prepareDocument somewhere: on a pool of worker threads (the default, so chunking and
 * tree-sitter parsing never stall the caller's event loop) or inline (tests, tiny jobs, and hosts
 * where workers cannot start). Workers hold no reference to the process while idle, so a forgotten
 * preparer never keeps Node alive; `close()` ends them.
 */
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { PrepareRequest, PrepareResult } from './prepareDocument.ts';
import type { DirectWrite, PrepareJob, PrepareReply, PrepareWorkerData, StoreOperation, WrittenResult } from './prepareWorker.ts';
import { configuredGrammarDirectory } from './syntaxBoundaries.ts';
import { workerEntryUrl } from './workerEntry.ts';

export interface DocumentPreparer {
  /** `request.bytes` may be transferred to a worker: the caller must not use it afterwards. */
  prepare(request: PrepareRequest): Promise<PrepareResult>;
  /**
   * Prepares and stores in one go, through the worker's own connection to `write.databasePath`
   * (absent where preparation runs on the caller's thread).
   */
  prepareAndWrite?(request: PrepareRequest, write: DirectWrite): Promise<WrittenResult>;
  /** Runs a small write through a worker's connection (with `prepareAndWrite`). */
  store?(databasePath: string, operation: StoreOperation): Promise<boolean>;
  close(): Promise<void>;
}

export class InlinePreparer implements DocumentPreparer {
  async prepare(request: PrepareRequest): Promise<PrepareResult> {
    // Loaded on first use: the tokenizer's tables take a while to build, and a thread that only
    // searches never needs them.
    const { prepareDocument } = await import('./prepareDocument.ts');
    return prepareDocument(request);
  }

  async close(): Promise<void> {}
}

interface Pending {
  slot: PoolWorker;
  resolve: (reply: PrepareReply) => void;
  reject: (error: Error) => void;
}

interface PoolWorker {
  worker: Worker;
  inFlight: number;
}

export function defaultPoolSize(): number {
  return Math.max(1, Math.min(4, availableParallelism()));
}

export class WorkerPreparer implements DocumentPreparer {
  readonly #workers: PoolWorker[] = [];
  readonly #pending = new Map<number, Pending>();
  /** Shared by the workers so they take turns at writing (prepareWorker.ts). */
  readonly #writerLock = new SharedArrayBuffer(4);
  #nextId = 1;
  #closed = false;

  constructor(size = defaultPoolSize()) {
    for (let i = 0; i < size; i++) {
      const slot: PoolWorker = { worker: this.#spawn(), inFlight: 0 };
      this.#attach(slot);
      this.#workers.push(slot);
    }
  }

  #spawn(): Worker {
    const workerData: PrepareWorkerData = { writerLock: this.#writerLock, grammarDirectory: configuredGrammarDirectory() };
    const worker = new Worker(workerEntryUrl('prepareWorker', import.meta.url), { workerData });
    worker.unref();
    return worker;
  }

  /** A worker that dies (out of memory on a pathological file…) fails its own jobs and is replaced. */
  #attach(slot: PoolWorker): void {
    const worker = slot.worker;
    worker.on('message', (reply: PrepareReply) => this.#settle(reply));
    const replace = (error: Error): void => {
      if (slot.worker !== worker) return;
      // It may have died holding the writers' lock; SQLite's own locking still keeps writes apart.
      Atomics.store(new Int32Array(this.#writerLock), 0, 0);
      this.#failSlot(slot, error);
      if (this.#closed) return;
      slot.worker = this.#spawn();
      this.#attach(slot);
    };
    worker.on('error', replace);
    worker.on('exit', (code) => replace(new Error(`The preparation worker stopped (exit code ${code}).`)));
  }

  async prepare(request: PrepareRequest): Promise<PrepareResult> {
    const reply = await this.#send((id, owned) => ({ type: 'prepare', id, request: { ...request, bytes: owned } }), request.bytes);
    if ('result' in reply) return reply.result;
    throw new Error('The preparation worker sent an unexpected reply.');
  }

  async prepareAndWrite(request: PrepareRequest, write: DirectWrite): Promise<WrittenResult> {
    const reply = await this.#send((id, owned) => ({ type: 'prepare', id, request: { ...request, bytes: owned }, write }), request.bytes);
    if ('written' in reply) return reply.written;
    throw new Error('The preparation worker sent an unexpected reply.');
  }

  async store(databasePath: string, operation: StoreOperation): Promise<boolean> {
    // Always the first worker: operations on one file then stay in order.
    const reply = await this.#send((id) => ({ type: 'store', id, databasePath, operation }), new Uint8Array(0), this.#workers[0]);
    if ('stored' in reply) return reply.stored;
    throw new Error('The preparation worker sent an unexpected reply.');
  }

  #send(job: (id: number, bytes: Uint8Array) => PrepareJob, bytes: Uint8Array, slot = this.#leastBusy()): Promise<PrepareReply> {
    if (this.#closed) return Promise.reject(new Error('The document preparer is closed.'));
    const id = this.#nextId++;
    // A view over a larger buffer (Buffer's pool) is copied; a whole buffer is handed over.
    const owned = bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength && bytes.buffer instanceof ArrayBuffer ? bytes : bytes.slice();
    return new Promise<PrepareReply>((resolve, reject) => {
      this.#pending.set(id, { slot, resolve, reject });
      if (slot.inFlight++ === 0) slot.worker.ref();
      slot.worker.postMessage(job(id, owned), owned.byteLength > 0 ? [owned.buffer as ArrayBuffer] : []);
    });
  }

  #leastBusy(): PoolWorker {
    let slot = this.#workers[0]!;
    for (const candidate of this.#workers) if (candidate.inFlight < slot.inFlight) slot = candidate;
    return slot;
  }

  #settle(reply: PrepareReply): void {
    const pending = this.#pending.get(reply.id);
    if (!pending) return;
    this.#pending.delete(reply.id);
    if (--pending.slot.inFlight === 0) pending.slot.worker.unref();
    if ('error' in reply) pending.reject(new Error(reply.error));
    else pending.resolve(reply);
  }

  #failSlot(slot: PoolWorker, error: Error): void {
    for (const [id, pending] of this.#pending) {
      if (pending.slot !== slot) continue;
      this.#pending.delete(id);
      pending.reject(error);
    }
    slot.inFlight = 0;
    slot.worker.unref();
  }

  /** Lets each worker commit its pending writes and close its connections, then ends it. */
  async close(): Promise<void> {
    if (this.#closed) return;
    await Promise.all(this.#workers.map(async (slot) => {
      const closing = this.#send((id) => ({ type: 'close', id }), new Uint8Array(0), slot);
      const timeout = new Promise((resolve) => setTimeout(resolve, 5000).unref());
      await Promise.race([closing.catch(() => undefined), timeout]);
    }));
    this.#closed = true;
    for (const slot of this.#workers) this.#failSlot(slot, new Error('The document preparer was closed.'));
    await Promise.all(this.#workers.map((slot) => slot.worker.terminate()));
  }
}

/** A worker pool when workers can start here, else inline preparation. */
export function createDocumentPreparer(size?: number): DocumentPreparer {
  try {
    return new WorkerPreparer(size);
  } catch {
    return new InlinePreparer();
  }
}
