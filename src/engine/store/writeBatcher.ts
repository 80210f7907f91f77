/**
 * Groups writes into shared transactions; a promise settles only once its write is committed, so a
 * resolved write is durable (and, for the index, searchable). Two users, one reason — a commit costs
 * far more than the rows it writes:
 * - the engine store (`engine.inSharedCommit`): the HTTP server's plain writes that arrive in the same
 *   turn of the event loop share one commit (bench:server's create-message went from a third of the
 *   bare server's throughput to two thirds, with walCheckpointer.ts);
 * - the retrieval index: FTS5 turns every committed transaction into a new segment that must later
 *   be merged, so one transaction per file makes a large first index mostly merge work.
 * When one write fails, the batch is rolled back and replayed one write per transaction, so only the
 * failing write is refused; when the database stays locked by another process past its busy timeout,
 * the writes waiting are refused with that error (no retry loop). No savepoint per write: FTS5 flushes its pending terms into a new segment
 * at every savepoint, which is exactly the cost batching avoids. A batch stops after `budgetMs` of
 * work and yields, so the caller's event loop is never held for long. With a lock shared between
 * writers (the index's preparation workers), a batch that finds the lock taken waits for it without
 * blocking the thread.
 */
import type { Database } from './sqlite.ts';

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

type Outcome = { ok: true; value: unknown } | { ok: false; error: unknown };

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
  readonly #savepoints: boolean;
  #scheduled = false;
  #timer: ReturnType<typeof setTimeout> | null = null;
  #idle: Array<() => void> = [];

  /**
   * `coalesceMs`: how long a first write waits for company. Files finish preparing one by one, so
   * without a short wait every batch would hold a single file.
   * `savepoints`: each write runs in its own savepoint, so a failing one is undone alone and nothing
   * is run twice (for work with side effects beyond the database, such as the engine's writes, which
   * may start ingestion); a batch whose commit fails is then refused whole. Off by default: see above.
   */
  constructor(db: Database, options: { budgetMs?: number; coalesceMs?: number; maxBatch?: number; lock?: WriterLock; savepoints?: boolean } = {}) {
    this.#db = db;
    this.#savepoints = options.savepoints ?? false;
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

  /** Commits everything queued, now, on this thread (before the database closes). */
  flushNow(): void {
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = null;
    while (this.#queue.length > 0) this.#flush(true);
  }

  #flush(blocking = false): void {
    this.#scheduled = false;
    if (this.#queue.length === 0) return this.#notifyIdle();
    const db = this.#db;
    const ownTransaction = !db.isTransaction;
    if (ownTransaction && blocking) this.#lock?.acquire();
    else if (ownTransaction && this.#lock && !this.#lock.tryAcquire()) {
      // Another writer is committing. Waiting here would also stop this thread's other work (a
      // preparation worker chunks the next files meanwhile); the batch only grows in the wait,
      // and a bigger batch is a cheaper one for FTS5.
      this.#scheduled = true;
      void this.#lock.released().then(() => this.#flush());
      return;
    }
    const started = performance.now();
    const batch: QueuedWrite[] = [];
    const outcomes: Outcome[] = [];
    let failed = false;
    let commitError: unknown;
    if (ownTransaction) {
      try {
        db.exec('BEGIN IMMEDIATE');
      } catch (error) {
        // Another process holds the database past its busy timeout: the writes waiting now hear it,
        // rather than waiting behind a retry loop with no end.
        this.#lock?.release();
        for (const write of this.#queue.splice(0)) write.reject(error);
        return this.#notifyIdle();
      }
    }
    try {
      // The budget is checked between writes, so a batch of huge files still commits promptly.
      while (this.#queue.length > 0 && (batch.length === 0 || performance.now() - started < this.#budgetMs)) {
        const write = this.#queue.shift()!;
        batch.push(write);
        outcomes.push(this.#savepoints ? this.#runInSavepoint(write) : { ok: true, value: write.work() });
      }
      if (ownTransaction) db.exec('COMMIT');
    } catch (error) {
      failed = true;
      commitError = error;
      if (ownTransaction && db.isTransaction) db.exec('ROLLBACK');
    } finally {
      if (ownTransaction) this.#lock?.release();
    }
    if (!failed) {
      batch.forEach((write, i) => {
        const outcome = outcomes[i]!;
        if (outcome.ok) write.resolve(outcome.value);
        else write.reject(outcome.error);
      });
    } else if (this.#savepoints) {
      // Replaying would run side effects twice: every write of the batch hears why it failed.
      for (const write of batch) write.reject(commitError);
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
    if (this.#queue.length > 0 && !blocking) this.#schedule();
    else if (this.#queue.length === 0) this.#notifyIdle();
  }

  #runInSavepoint(write: QueuedWrite): Outcome {
    const db = this.#db;
    db.exec('SAVEPOINT batched_write');
    try {
      const value = write.work();
      db.exec('RELEASE batched_write');
      return { ok: true, value };
    } catch (error) {
      db.exec('ROLLBACK TO batched_write');
      db.exec('RELEASE batched_write');
      return { ok: false, error };
    }
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
