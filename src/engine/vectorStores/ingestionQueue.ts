/**
 * Background work with a bound on concurrency: vector-store files are ingested a few at a time,
 * after the request that added them has answered, so status polling sees `in_progress` first.
 * Each job yields to the event loop before it starts, so ingestion never starves the server.
 */

export type IngestionJob = (key: string, signal: AbortSignal) => Promise<void>;

export class IngestionQueue {
  private readonly pending: string[] = [];
  private readonly queued = new Set<string>();
  private readonly active = new Map<string, { controller: AbortController; done: Promise<void> }>();
  /** Aborted jobs replaced by a newer job for the same key, still settling. */
  private readonly retired = new Set<{ controller: AbortController; done: Promise<void> }>();
  private readonly job: IngestionJob;
  private readonly concurrency: number;
  private readonly onError: (key: string, error: unknown) => void;
  private closed = false;

  constructor(job: IngestionJob, options: { concurrency?: number; onError?: (key: string, error: unknown) => void } = {}) {
    this.job = job;
    this.concurrency = Math.max(1, options.concurrency ?? 2);
    this.onError = options.onError ?? (() => undefined);
  }

  enqueue(key: string): void {
    if (this.closed || this.queued.has(key)) return;
    this.queued.add(key);
    this.pending.push(key);
    this.pump();
  }

  /** Drops a queued job, or aborts it if it is running (the job checks its signal). */
  cancel(key: string): void {
    if (this.queued.delete(key)) {
      const index = this.pending.indexOf(key);
      if (index >= 0) this.pending.splice(index, 1);
    }
    this.active.get(key)?.controller.abort();
  }

  get size(): number {
    return this.pending.length + this.active.size;
  }

  private pump(): void {
    while (!this.closed && this.active.size < this.concurrency && this.pending.length > 0) {
      const key = this.pending.shift()!;
      this.queued.delete(key);
      const controller = new AbortController();
      const entry: { controller: AbortController; done: Promise<void> } = { controller, done: Promise.resolve() };
      // A key re-added while its old job still runs gets a fresh entry; the old one must not remove it.
      this.active.get(key)?.controller.abort();
      entry.done = new Promise<void>((resolve) => setImmediate(resolve))
        .then(() => (controller.signal.aborted || this.closed ? undefined : this.job(key, controller.signal)))
        .catch((error: unknown) => this.onError(key, error))
        .finally(() => {
          if (this.active.get(key) === entry) this.active.delete(key);
          this.retired.delete(entry);
          this.pump();
        });
      const previous = this.active.get(key);
      if (previous) this.retired.add(previous);
      this.active.set(key, entry);
    }
  }

  /** Stops taking work, aborts what runs and waits for it to settle. */
  async close(): Promise<void> {
    this.closed = true;
    this.pending.length = 0;
    this.queued.clear();
    const running = [...this.active.values(), ...this.retired];
    for (const { controller } of running) controller.abort();
    await Promise.all(running.map(({ done }) => done));
  }
}
