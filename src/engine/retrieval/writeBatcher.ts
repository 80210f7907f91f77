/**
 * Groups index writes into shared transactions. FTS5 turns every committed transaction into a new
 * index segment that must later be merged, so one transaction per file makes a large first index
 * mostly merge work; one per batch does not. When one write fails, the batch is rolled back and
 * replayed one write per transaction, so only the failing file is refused. A promise settles only
 * once its write is committed: a resolved write is durable and searchable. A batch stops after
 * `budgetMs` of work and yields, so the caller's event loop is never held for long. No savepoint
 * per write: FTS5 flushes its pending terms into a new segment at every savepoint, which is exactly
 * the cost batching avoids. With a lock shared between writers (the preparation workers), a
 * batch that finds the lock taken waits for it without blocking the thread.
 */
import type { Database } from '../store/sqlite.ts';

/** A lock shared with the other writers of the same database (worker threads of one pool). */
export interface WriterLock {
  /** Blocks until the lock is ours. */
  acquire(): void;
  /** Takes the lock when it is free, without waiting. */
  tryAcquire(): boolean;
  /** Settles once the lock was released (or after a while): the moment to try again. */
  released(): Promise<void>;
  release(): void;
}

interface QueuedWrite {
  work: () => unknown;
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
}

export class WriteBatcher {
  readonly #db: Database;
  readonly #budgetMs: number;
  readonly #queue: QueuedWrite[] = [];
  readonly #coalesceMs: number;
  readonly #maxBatch: number;
  readonly #lock: WriterLock | undefined;
  #scheduled = false;
  #timer: ReturnType<typeof setTimeout> | null = null;
  #idle: Array<() => void> = [];

  /**
   * `coalesceMs`: how long a first write waits for company. Files finish preparing one by one, so
   * without a short wait every batch would hold a single file.
   */
  constructor(db: Database, options: { budgetMs?: number; coalesceMs?: number; maxBatch?: number; lock?: WriterLock } = {}) {
    this.#db = db;
    this.#lock = options.lock;
    this.#budgetMs = options.budgetMs ?? 25;
    this.#coalesceMs = options.coalesceMs ?? 15;
    this.#maxBatch = options.maxBatch ?? 64;
  }

  write<T>(work: () => T): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.#queue.push({ work, resolve: resolve as (value: unknown) => void, reject });
      this.#schedule();
    });
  }

  /** Resolves when every write queued so far has been committed (or has failed). */
  drained(): Promise<void> {
    if (this.#queue.length === 0 && !this.#scheduled && !this.#timer) return Promise.resolve();
    return new Promise((resolve) => this.#idle.push(resolve));
  }

  #schedule(): void {
    if (this.#scheduled) return;
    if (this.#queue.length >= this.#maxBatch || this.#coalesceMs <= 0) {
      if (this.#timer) clearTimeout(this.#timer);
      this.#timer = null;
      this.#scheduled = true;
      setImmediate(() => this.#flush());
      return;
    }
    this.#timer ??= setTimeout(() => {
      this.#timer = null;
      this.#scheduled = true;
      this.#flush();
    }, this.#coalesceMs);
  }

  #flush(): void {
    this.#scheduled = false;
    if (this.#queue.length === 0) return this.#notifyIdle();
    const db = this.#db;
    const ownTransaction = !db.isTransaction;
    if (ownTransaction && this.#lock && !this.#lock.tryAcquire()) {
      // Another writer is committing. Waiting here would also stop this thread's other work (a
      // preparation worker chunks the next files meanwhile); the batch only grows in the wait,
      // and a bigger batch is a cheaper one for FTS5.
      this.#scheduled = true;
      void this.#lock.released().then(() => this.#flush());
      return;
    }
    const started = performance.now();
    const batch: QueuedWrite[] = [];
    const values: unknown[] = [];
    let failed = false;
    try {
      if (ownTransaction) db.exec('BEGIN IMMEDIATE');
      // The budget is checked between writes, so a batch of huge files still commits promptly.
      while (this.#queue.length > 0 && (batch.length === 0 || performance.now() - started < this.#budgetMs)) {
        const write = this.#queue.shift()!;
        batch.push(write);
        values.push(write.work());
      }
      if (ownTransaction) db.exec('COMMIT');
    } catch {
      failed = true;
      if (ownTransaction && db.isTransaction) db.exec('ROLLBACK');
    } finally {
      if (ownTransaction) this.#lock?.release();
    }
    if (!failed) {
      batch.forEach((write, i) => write.resolve(values[i]));
    } else {
      // The batch was rolled back: each of its writes is replayed in a transaction of its own, so
      // only the failing one is refused.
      for (const write of batch) {
        try {
          write.resolve(this.#runAlone(write));
        } catch (error) {
          write.reject(error);
        }
      }
    }
    if (this.#queue.length > 0) this.#schedule();
    else this.#notifyIdle();
  }

  #runAlone(write: QueuedWrite): unknown {
    const db = this.#db;
    const ownTransaction = !db.isTransaction;
    if (ownTransaction) this.#lock?.acquire();
    try {
      if (ownTransaction) db.exec('BEGIN IMMEDIATE');
      const value = write.work();
      if (ownTransaction) db.exec('COMMIT');
      return value;
    } catch (error) {
      if (ownTransaction && db.isTransaction) db.exec('ROLLBACK');
      throw error;
    } finally {
      if (ownTransaction) this.#lock?.release();
    }
  }

  #notifyIdle(): void {
    const waiting = this.#idle;
    this.#idle = [];
    for (const resolve of waiting) resolve();
  }
}
