/**
 * The per-run event log: every v2 stream event a run produces, numbered from 0. A subscriber
 * names the first sequence number it wants and gets the past events it missed, then live ones,
 * so a stream opened just after `create` loses nothing and a reloaded chat panel can catch up.
 * `done` closes each stream segment: after `requires_action` and after the terminal event.
 */
import type { SequencedEvent, StreamEvent } from '../types/streamEvent.ts';

type Listener = (event: SequencedEvent) => void;

interface RunLog {
  events: SequencedEvent[];
  listeners: Set<Listener>;
  /** Set once the run is terminal; the log is then dropped after a grace period. */
  finishedAt: number | null;
}

export interface RunEventHubOptions {
  /** How long a finished run's log stays available for late subscribers. */
  retainFinishedMs?: number;
}

export class RunEventHub {
  private readonly logs = new Map<string, RunLog>();
  private readonly allListeners = new Set<Listener>();
  private readonly retainFinishedMs: number;

  constructor(options: RunEventHubOptions = {}) {
    this.retainFinishedMs = options.retainFinishedMs ?? 60_000;
  }

  private log(runId: string): RunLog {
    let log = this.logs.get(runId);
    if (!log) {
      log = { events: [], listeners: new Set(), finishedAt: null };
      this.logs.set(runId, log);
    }
    return log;
  }

  /** The sequence number the next event of this run will get. */
  nextSeq(runId: string): number {
    return this.logs.get(runId)?.events.length ?? 0;
  }

  publish(runId: string, event: StreamEvent): SequencedEvent {
    const log = this.log(runId);
    const sequenced: SequencedEvent = { runId, seq: log.events.length, event };
    log.events.push(sequenced);
    for (const listener of [...log.listeners]) listener(sequenced);
    for (const listener of [...this.allListeners]) listener(sequenced);
    return sequenced;
  }

  /** Marks a run finished: its log is kept for late readers, then dropped. */
  finish(runId: string): void {
    const log = this.logs.get(runId);
    if (!log) return;
    log.finishedAt = Date.now();
    const timer = setTimeout(() => {
      const current = this.logs.get(runId);
      if (current && current.finishedAt !== null && current.listeners.size === 0) this.logs.delete(runId);
    }, this.retainFinishedMs);
    timer.unref();
  }

  /** Past events from `fromSeq`, then live ones, until the returned function is called. */
  subscribe(runId: string, fromSeq: number, listener: Listener): () => void {
    const log = this.log(runId);
    for (const event of log.events.slice(fromSeq)) listener(event);
    log.listeners.add(listener);
    return () => log.listeners.delete(listener);
  }

  /** Every event of every run (the chat panel's host listens here). */
  subscribeAll(listener: Listener): () => void {
    this.allListeners.add(listener);
    return () => this.allListeners.delete(listener);
  }

  /** Past events of a run from `fromSeq` (used to answer a snapshot request). */
  eventsSince(runId: string, fromSeq: number): SequencedEvent[] {
    return this.logs.get(runId)?.events.slice(fromSeq) ?? [];
  }

  /**
   * One stream segment as an async iterable: events from `fromSeq` up to and including the next
   * `done`. This is what the server writes as SSE and what in-process callers iterate.
   */
  async *stream(runId: string, fromSeq: number, signal?: AbortSignal): AsyncGenerator<StreamEvent> {
    const queue: SequencedEvent[] = [];
    let wake: (() => void) | null = null;
    const unsubscribe = this.subscribe(runId, fromSeq, (event) => {
      queue.push(event);
      wake?.();
    });
    const onAbort = (): void => wake?.();
    signal?.addEventListener('abort', onAbort);
    try {
      while (!signal?.aborted) {
        const next = queue.shift();
        if (!next) {
          await new Promise<void>((resolve) => (wake = resolve));
          wake = null;
          continue;
        }
        yield next.event;
        if (next.event.event === 'done') return;
      }
    } finally {
      unsubscribe();
      signal?.removeEventListener('abort', onAbort);
    }
  }
}
