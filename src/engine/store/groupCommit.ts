/**
 * Group commit: store writes queued in the same turn of the event loop share one transaction.
 *
 * Why: a small write costs far less than its commit. BEGIN IMMEDIATE takes the file's write lock
 * and COMMIT appends the pages to the WAL; for one message that was over half of the server's CPU
 * per create request (bench:server). Requests that arrive together now pay for one commit.
 *
 * What stays the same: every write still runs alone and in order (JavaScript is single-threaded and
 * the work is synchronous), each in its own savepoint, so one that throws undoes only its own rows
 * and rejects only its own promise. Nobody hears "done" before the commit that made it durable: the
 * promises settle after COMMIT, and if the commit fails they all reject with its error.
 */
import type { Database } from './sqlite.ts';

interface QueuedWrite {
  work: () => unknown;
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
}

type Outcome = { ok: true; value: unknown } | { ok: false; error: unknown };

export class GroupCommit {
  private readonly db: Database;
  private queue: QueuedWrite[] = [];
  private scheduled = false;

  constructor(db: Database) {
    this.db = db;
  }

  /** Runs `work` in the next shared transaction; settles once that transaction has committed. */
  run<T>(work: () => T): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.queue.push({ work, resolve: resolve as (value: unknown) => void, reject });
      if (!this.scheduled) {
        this.scheduled = true;
        // setImmediate, not a microtask: every request whose body arrived in this poll phase joins.
        setImmediate(() => this.flush());
      }
    });
  }

  /** Commits whatever is queued now (also called before the database closes). */
  flush(): void {
    this.scheduled = false;
    const batch = this.queue;
    this.queue = [];
    if (batch.length === 0) return;
    let outcomes: Outcome[];
    try {
      outcomes = this.commit(batch);
    } catch (error) {
      for (const write of batch) write.reject(error);
      return;
    }
    outcomes.forEach((outcome, i) => (outcome.ok ? batch[i]!.resolve(outcome.value) : batch[i]!.reject(outcome.error)));
  }

  private commit(batch: QueuedWrite[]): Outcome[] {
    // Inside someone else's transaction (never on the server's path, but possible in-process):
    // join it, as nested engine transactions do.
    const ownTransaction = !this.db.isTransaction;
    if (ownTransaction) this.db.exec('BEGIN IMMEDIATE');
    try {
      const outcomes = batch.map((write) => this.runInSavepoint(write.work));
      if (ownTransaction) this.db.exec('COMMIT');
      return outcomes;
    } catch (error) {
      if (ownTransaction && this.db.isTransaction) this.db.exec('ROLLBACK');
      throw error;
    }
  }

  private runInSavepoint(work: () => unknown): Outcome {
    this.db.exec('SAVEPOINT group_write');
    try {
      const value = work();
      this.db.exec('RELEASE group_write');
      return { ok: true, value };
    } catch (error) {
      this.db.exec('ROLLBACK TO group_write');
      this.db.exec('RELEASE group_write');
      return { ok: false, error };
    }
  }
}
