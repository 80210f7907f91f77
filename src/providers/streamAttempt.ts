/**
 * One HTTP attempt at a streamed model turn, under a watchdog: the caller's signal, an idle timer
 * (no chunk for `idleTimeoutMs`) and the call's deadline all abort the request at once. The SDK
 * ends an aborted stream quietly, so which of the three fired is remembered here and turned into
 * the right ending: an AbortError for a cancel, a ModelError for a silent or slow server.
 */
import type { ModelEvent } from '../engine/ports/modelBackend.ts';
import { ModelError } from '../engine/ports/modelBackend.ts';
import { abortError } from './modelFailures.ts';

/** Turns one provider's stream chunks into model events; a fresh one serves each attempt. */
export interface ChunkMapper<Chunk> {
  map(chunk: Chunk): ModelEvent[];
  /** Called once the stream ended cleanly: the closing events, or a throw if the stream was cut short. */
  finish(): ModelEvent[];
}

export interface AttemptLimits {
  idleTimeoutMs: number;
  /** Epoch milliseconds by which the whole call (all attempts) must be done. */
  deadline: number;
  timeoutMs: number;
}

/** Opens the request; the signal aborts it. Resolves once the response headers arrived. */
export type OpenStream<Chunk> = (signal: AbortSignal, remainingMs: number) => Promise<AsyncIterable<Chunk>>;

type StopReason = 'idle' | 'deadline';

function duration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  const seconds = ms / 1000;
  return `${Number.isInteger(seconds) ? seconds : seconds.toFixed(1)} s`;
}

function stoppedError(reason: StopReason, limits: AttemptLimits): ModelError {
  return reason === 'idle'
    ? new ModelError('server_error', `The model stopped responding: nothing arrived for ${duration(limits.idleTimeoutMs)}, so the request was stopped.`)
    : new ModelError('server_error', `The model request took longer than ${duration(limits.timeoutMs)} and was stopped.`);
}

export async function* streamAttempt<Chunk>(
  open: OpenStream<Chunk>,
  mapper: ChunkMapper<Chunk>,
  callerSignal: AbortSignal,
  limits: AttemptLimits,
): AsyncGenerator<ModelEvent> {
  const controller = new AbortController();
  let stopReason: StopReason | undefined;
  const stop = (reason: StopReason): void => {
    stopReason ??= reason;
    controller.abort();
  };
  const onCallerAbort = (): void => controller.abort(callerSignal.reason);
  callerSignal.addEventListener('abort', onCallerAbort, { once: true });
  const remainingMs = Math.max(1, limits.deadline - Date.now());
  // Only time spent waiting on the server counts as idle, not time the consumer spends on an event.
  let consumerBusy = false;
  const idleTimer = setTimeout(() => {
    if (!consumerBusy) stop('idle');
  }, limits.idleTimeoutMs);
  const deadlineTimer = setTimeout(() => stop('deadline'), remainingMs);
  // Why the attempt ended decides the error; the SDK's own error for an abort says nothing useful.
  const settle = (error?: unknown): unknown => {
    if (callerSignal.aborted) return abortError(callerSignal);
    if (stopReason) return stoppedError(stopReason, limits);
    return error;
  };

  try {
    if (callerSignal.aborted) throw abortError(callerSignal);
    if (Date.now() >= limits.deadline) throw stoppedError('deadline', limits);
    let stream: AsyncIterable<Chunk>;
    try {
      stream = await open(controller.signal, remainingMs);
    } catch (error) {
      throw settle(error);
    }
    try {
      for await (const chunk of stream) {
        if (controller.signal.aborted) break;
        consumerBusy = true;
        for (const event of mapper.map(chunk)) yield event;
        consumerBusy = false;
        idleTimer.refresh();
      }
    } catch (error) {
      throw settle(error);
    }
    const ending = settle();
    if (ending) throw ending;
    for (const event of mapper.finish()) yield event;
  } finally {
    clearTimeout(idleTimer);
    clearTimeout(deadlineTimer);
    callerSignal.removeEventListener('abort', onCallerAbort);
    // Leaving early (the consumer stopped reading) must not leave the request running.
    controller.abort();
  }
}
