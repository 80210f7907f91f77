/**
 * When to try a model call again and how long to wait first. A call is retried only while
 * nothing of it has reached the caller: a retry after the first event would show the user the
 * same words twice. Waits grow exponentially with jitter, and a server's Retry-After or
 * retry-after-ms is obeyed (within reason: a wait longer than `maxRetryAfterMs` is not worth it).
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { ModelEvent } from '../engine/ports/modelBackend.ts';
import { ModelError } from '../engine/ports/modelBackend.ts';
import { abortError, asAPIError, isAbortError, isTransientFailure, toModelError } from './modelFailures.ts';

export interface RetryPolicy {
  /** Attempts in all, the first included. */
  maxAttempts: number;
  baseDelayMs: number;
  /** Cap on the exponential wait. */
  maxDelayMs: number;
  /** A server asking for a longer pause than this is not waited for: the call fails instead. */
  maxRetryAfterMs: number;
  /** Source of jitter, in [0, 1); replaceable so a test can pin it. */
  random: () => number;
}

export function retryPolicy(options: { maxAttempts: number; baseDelayMs: number }): RetryPolicy {
  return {
    maxAttempts: Math.max(1, options.maxAttempts),
    baseDelayMs: Math.max(0, options.baseDelayMs),
    maxDelayMs: Math.max(options.baseDelayMs, 20_000),
    maxRetryAfterMs: 60_000,
    random: Math.random,
  };
}

/** The pause a server asked for, from `retry-after-ms` (milliseconds) or `Retry-After` (seconds or a date). */
export function requestedRetryDelayMs(error: unknown, now = Date.now()): number | undefined {
  const headers = asAPIError(error)?.headers;
  if (!headers) return undefined;
  const milliseconds = Number.parseFloat(headers.get('retry-after-ms') ?? '');
  if (Number.isFinite(milliseconds) && milliseconds >= 0) return milliseconds;
  const header = headers.get('retry-after');
  if (header === null) return undefined;
  const seconds = Number.parseFloat(header);
  if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
  const date = Date.parse(header);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/** Wait before retry number `retry` (1 for the first retry), or undefined when the server asks for too long. */
export function retryDelayMs(policy: RetryPolicy, retry: number, error: unknown): number | undefined {
  const requested = requestedRetryDelayMs(error);
  if (requested !== undefined) return requested <= policy.maxRetryAfterMs ? requested : undefined;
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (retry - 1));
  // "Equal jitter": at least half the exponential step, so clients that failed together spread out.
  return ceiling / 2 + policy.random() * (ceiling / 2);
}

export async function waitBeforeRetry(ms: number, signal: AbortSignal): Promise<void> {
  if (signal.aborted) throw abortError(signal);
  try {
    await sleep(ms, undefined, { signal });
  } catch {
    throw abortError(signal);
  }
}

function shouldRetry(policy: RetryPolicy, attempt: number, error: unknown): number | undefined {
  if (attempt >= policy.maxAttempts || !isTransientFailure(error)) return undefined;
  return retryDelayMs(policy, attempt, error);
}

/** Runs `operation` (a request with no streamed output) until it succeeds or stops being worth retrying. */
export async function withRetries<T>(
  policy: RetryPolicy,
  signal: AbortSignal,
  baseURL: string,
  operation: (attempt: number) => Promise<T>,
): Promise<T> {
  for (let attempt = 1; ; attempt += 1) {
    if (signal.aborted) throw abortError(signal);
    try {
      return await operation(attempt);
    } catch (error) {
      if (signal.aborted || isAbortError(error)) throw abortError(signal);
      const delay = shouldRetry(policy, attempt, error);
      if (delay === undefined) throw toModelError(error, { baseURL, attempts: attempt, afterOutput: false });
      await waitBeforeRetry(delay, signal);
    }
  }
}

/**
 * Streams `attempt()` and starts it over on a transient failure, but only while no event has been
 * yielded. Attempts end with raw errors; this turns them into a ModelError or an AbortError.
 */
export async function* streamWithRetries(
  policy: RetryPolicy,
  signal: AbortSignal,
  baseURL: string,
  attempt: () => AsyncIterable<ModelEvent>,
): AsyncGenerator<ModelEvent> {
  for (let number = 1; ; number += 1) {
    if (signal.aborted) throw abortError(signal);
    let yielded = false;
    try {
      for await (const event of attempt()) {
        yielded = true;
        yield event;
      }
      return;
    } catch (error) {
      if (signal.aborted) throw abortError(signal);
      if (isAbortError(error) || error instanceof ModelError) throw error;
      const delay = yielded ? undefined : shouldRetry(policy, number, error);
      if (delay === undefined) throw toModelError(error, { baseURL, attempts: number, afterOutput: yielded });
      await waitBeforeRetry(delay, signal);
    }
  }
}
