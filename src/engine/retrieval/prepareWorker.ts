/**
 * Worker-thread entry: prepares documents (prepareDocument.ts) off the caller's event loop, and,
 * when the index lives in a database file and needs no embeddings, also writes them through a
 * connection of its own. Then neither chunking nor FTS5's segment building ever runs on the
 * caller's thread: it only walks, reads and waits. Writes from one worker are batched
 * (writeBatcher.ts); SQLite's write lock (WAL, busy timeout) orders the workers' batches.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { Database } from '../store/sqlite.ts';
import { openDatabase } from '../store/sqlite.ts';
import type { FileMeta, StoredFile } from './indexStore.ts';
import { RetrievalStore } from './indexStore.ts';
import type { PrepareRequest, PrepareResult } from './prepareDocument.ts';
import { prepareDocument } from './prepareDocument.ts';
import { setGrammarDirectory } from './syntaxBoundaries.ts';
import type { WriterLock } from '../store/writeBatcher.ts';
import { WriteBatcher } from '../store/writeBatcher.ts';

/** Where and as what to store the prepared document. `meta.contentHash`/`size` are filled in here. */
export interface DirectWrite {
  databasePath: string;
  collectionId: number;
  meta: Omit<FileMeta, 'contentHash' | 'size'>;
}

/** Small writes that go through the worker's connection too, so the caller never waits on a lock. */
export type StoreOperation =
  | { kind: 'remove'; collectionId: number; key: string }
  | { kind: 'removeCollection'; name: string }
  | { kind: 'touch'; fileId: number; mtimeMs: number | null };

export type PrepareJob =
  | { type: 'prepare'; id: number; request: PrepareRequest; write?: DirectWrite }
  | { type: 'store'; id: number; databasePath: string; operation: StoreOperation }
  | { type: 'close'; id: number };

export type WrittenResult =
  | { status: 'unchanged'; contentHash: string; bytes: number }
  | { status: 'indexed' | 'unsupported'; contentHash: string; bytes: number; file: StoredFile };

export type PrepareReply =
  | { id: number; result: PrepareResult }
  | { id: number; written: WrittenResult }
  | { id: number; stored: boolean }
  | { id: number; closed: true }
  | { id: number; error: string };

interface Connection {
  db: Database;
  store: RetrievalStore;
  writes: WriteBatcher;
}

/**
 * The pool's workers take turns at writing through a lock in shared memory. SQLite would order
 * them too, but its busy handler sleeps in growing steps (up to 100 ms) instead of waking when the
 * lock frees. A worker that finds the lock taken waits for it asynchronously and keeps preparing
 * documents meanwhile (writeBatcher.ts), so one worker's commit never idles the others.
 */
function sharedLock(buffer: unknown): WriterLock | undefined {
  if (!(buffer instanceof SharedArrayBuffer)) return undefined;
  const cell = new Int32Array(buffer);
  /** Long enough to be rare, short enough that a lost wake-up (a dead holder) costs little. */
  const RECHECK_MS = 100;
  const waitAsync = (Atomics as unknown as { waitAsync?: (array: Int32Array, index: number, value: number, timeout: number) => { async: boolean; value: unknown } }).waitAsync;
  return {
    acquire: () => {
      while (Atomics.compareExchange(cell, 0, 0, 1) !== 0) Atomics.wait(cell, 0, 1, RECHECK_MS);
    },
    tryAcquire: () => Atomics.compareExchange(cell, 0, 0, 1) === 0,
    released: () => {
      if (!waitAsync) return new Promise((resolve) => setTimeout(resolve, 1));
      const waiting = waitAsync(cell, 0, 1, RECHECK_MS);
      return waiting.async ? (waiting.value as Promise<unknown>).then(() => undefined) : Promise.resolve();
    },
    release: () => {
      Atomics.store(cell, 0, 0);
      // Every waiter: they are few (one per worker) and whoever comes first takes the lock.
      Atomics.notify(cell, 0);
    },
  };
}
/** What a worker is started with. */
export interface PrepareWorkerData {
  writerLock: SharedArrayBuffer;
  /** The caller's tree-sitter folder (syntaxBoundaries.ts), so both parse with the same grammars. */
  grammarDirectory: string | null;
}

const startedWith = workerData as Partial<PrepareWorkerData> | null;
const writerLock = sharedLock(startedWith?.writerLock);
if (startedWith?.grammarDirectory) setGrammarDirectory(startedWith.grammarDirectory);

const connections = new Map<string, Connection>();
/** Open connections kept per worker; the least recently used one is closed beyond this. */
const MAX_CONNECTIONS = 4;

function connection(path: string): Connection {
  let open = connections.get(path);
  if (open) {
    // Most recently used last, so the first entry is the one to retire.
    connections.delete(path);
    connections.set(path, open);
  } else {
    const [oldestPath, oldest] = connections.entries().next().value ?? [];
    if (oldestPath !== undefined && oldest && connections.size >= MAX_CONNECTIONS) {
      connections.delete(oldestPath);
      void oldest.writes.drained().then(() => oldest.db.close());
    }
    const db = openDatabase(path);
    // Short batches: the other workers wait for the write lock while one commits.
    open = { db, store: new RetrievalStore(db), writes: new WriteBatcher(db, { budgetMs: 25, coalesceMs: 15, ...(writerLock ? { lock: writerLock } : {}) }) };
    connections.set(path, open);
  }
  return open;
}

async function prepareAndWrite(request: PrepareRequest, write: DirectWrite): Promise<WrittenResult> {
  const result = await prepareDocument(request);
  if (result.status === 'unchanged') return result;
  const { store, writes } = connection(write.databasePath);
  const meta: FileMeta = { ...write.meta, contentHash: result.contentHash, size: result.bytes };
  if (result.status === 'unsupported') {
    const file = await writes.write(() => store.writeUnsupported(write.collectionId, meta, result.reason, result.message));
    return { status: 'unsupported', contentHash: result.contentHash, bytes: result.bytes, file };
  }
  const file = await writes.write(() => store.writeDocument(write.collectionId, meta, result.document));
  return { status: 'indexed', contentHash: result.contentHash, bytes: result.bytes, file };
}

const OPERATIONS: { [K in StoreOperation['kind']]: (store: RetrievalStore, operation: Extract<StoreOperation, { kind: K }>) => boolean } = {
  remove: (store, operation) => store.removeFile(operation.collectionId, operation.key),
  removeCollection: (store, operation) => store.removeCollection(operation.name),
  touch: (store, operation) => {
    store.touch(operation.fileId, operation.mtimeMs);
    return true;
  },
};

function runOperation(databasePath: string, operation: StoreOperation): Promise<boolean> {
  const { store, writes } = connection(databasePath);
  const run = OPERATIONS[operation.kind] as (store: RetrievalStore, operation: StoreOperation) => boolean;
  return writes.write(() => run(store, operation));
}

async function closeConnections(): Promise<void> {
  for (const { db, writes } of connections.values()) {
    await writes.drained();
    db.close();
  }
  connections.clear();
}

const port = parentPort;
if (port) {
  const fail = (id: number) => (error: unknown): void => port.postMessage({ id, error: error instanceof Error ? error.message : String(error) } satisfies PrepareReply);
  port.on('message', (job: PrepareJob) => {
    if (job.type === 'close') {
      closeConnections().then(() => port.postMessage({ id: job.id, closed: true } satisfies PrepareReply), fail(job.id));
    } else if (job.type === 'store') {
      runOperation(job.databasePath, job.operation).then((stored) => port.postMessage({ id: job.id, stored } satisfies PrepareReply), fail(job.id));
    } else if (job.write) {
      prepareAndWrite(job.request, job.write).then((written) => port.postMessage({ id: job.id, written } satisfies PrepareReply), fail(job.id));
    } else {
      prepareDocument(job.request).then((result) => port.postMessage({ id: job.id, result } satisfies PrepareReply), fail(job.id));
    }
  });
}
