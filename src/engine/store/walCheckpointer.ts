/**
 * Moves WAL checkpoints off the event loop.
 *
 * Why: SQLite copies the write-ahead log back into the database file once it passes 1,000 pages,
 * inside whichever COMMIT crosses the line, and that copy syncs the file. On the event loop this
 * stalled every request behind it: bench:server's create-message throughput went from 45% of the
 * bare server's to 72–80% with checkpoints elsewhere. Here a worker thread with its own connection
 * runs PASSIVE checkpoints (they never block writers) shortly after writes, and the main connection
 * checkpoints itself only as a backstop, if the log grows far past what the worker keeps up with.
 *
 * It costs nothing until the first write: a read-only session never starts the thread. If the
 * thread cannot start, SQLite's own automatic checkpoints stay as they were.
 */
import { Worker } from 'node:worker_threads';
import type { Database } from './sqlite.ts';

/** Pages of log after which the main connection checkpoints anyway (about 64 MB at 4 KiB pages). */
const BACKSTOP_PAGES = 16_384;
/** Writes within this window share one checkpoint request. */
const HINT_DELAY_MS = 250;

// Plain JavaScript run with `eval: true`, so no bundle has to carry a separate worker entry file.
// The connection opens at the first checkpoint, not at start-up: a thread still starting when the
// store closes must not open (and so create again) a file its owner may be deleting.
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const { DatabaseSync } = process.getBuiltinModule('node:sqlite');
let db = null;
parentPort.on('message', (message) => {
  if (message === 'close') {
    db?.close();
    parentPort.close();
    return;
  }
  try {
    if (!db) {
      db = new DatabaseSync(workerData.path);
      db.exec('PRAGMA busy_timeout = 1000');
    }
    const row = db.prepare('PRAGMA wal_checkpoint(PASSIVE)').get();
    parentPort.postMessage({ log: row.log, checkpointed: row.checkpointed });
  } catch (error) {
    parentPort.postMessage({ error: String(error) });
  }
});
`;

export interface CheckpointReport {
  /** Frames in the log and how many of them are now in the database file (`PRAGMA wal_checkpoint`). */
  log: number;
  checkpointed: number;
}

export class WalCheckpointer {
  private readonly db: Database;
  private readonly path: string;
  private worker: Worker | null = null;
  private failed = false;
  private stopped = false;
  private hintTimer: NodeJS.Timeout | null = null;
  private readonly reportListeners = new Set<(report: CheckpointReport) => void>();

  constructor(db: Database, path: string) {
    this.db = db;
    this.path = path;
  }

  /** Called after each write transaction: asks the worker for a checkpoint soon. */
  noteWrite(): void {
    if (this.hintTimer || this.failed || this.stopped) return;
    if (!this.worker && !this.start()) return;
    this.hintTimer = setTimeout(() => {
      this.hintTimer = null;
      this.worker?.postMessage('checkpoint');
    }, HINT_DELAY_MS);
    this.hintTimer.unref();
  }

  /** Calls `listener` after each checkpoint the worker runs (tests, diagnostics). */
  onCheckpoint(listener: (report: CheckpointReport) => void): () => void {
    this.reportListeners.add(listener);
    return () => this.reportListeners.delete(listener);
  }

  /**
   * Stops the worker and resolves once its thread has exited, so its connection is closed by then:
   * whoever closes the store may delete or reopen the file next (CI once saw a folder removal fail
   * with ENOTEMPTY when this only posted the request and returned).
   */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.hintTimer) clearTimeout(this.hintTimer);
    this.hintTimer = null;
    const worker = this.worker;
    this.worker = null;
    if (!worker) return;
    const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
    // Held from here on: an unreferenced thread would let a process with nothing else to do exit
    // before its exit event, and whatever awaits close() would never run.
    worker.ref();
    worker.postMessage('close');
    await exited;
  }

  private start(): boolean {
    try {
      const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { path: this.path } });
      // Never keeps a process alive, and a failure only brings the automatic checkpoints back.
      worker.unref();
      worker.on('message', (report: CheckpointReport | { error: string }) => {
        if ('error' in report) return;
        for (const listener of this.reportListeners) listener(report);
      });
      worker.once('error', () => this.fallBack());
      this.worker = worker;
      this.db.exec(`PRAGMA wal_autocheckpoint = ${BACKSTOP_PAGES}`);
      return true;
    } catch {
      this.fallBack();
      return false;
    }
  }

  private fallBack(): void {
    this.failed = true;
    this.worker = null;
    if (this.db.isOpen) this.db.exec('PRAGMA wal_autocheckpoint = 1000');
  }
}
