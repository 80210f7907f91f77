/**
 * The shape every streamed model call shares, whatever the wire format: a deadline for the whole
 * call, retries before the first event, and each attempt under the idle/abort watchdog.
 */
import type { ModelEvent } from '../engine/ports/modelBackend.ts';
import type { ResolvedProviderSettings } from './providerSettings.ts';
import { streamWithRetries } from './retryPolicy.ts';
import type { RetryPolicy } from './retryPolicy.ts';
import { streamAttempt } from './streamAttempt.ts';
import type { ChunkMapper, OpenStream } from './streamAttempt.ts';

export async function* streamModelTurn<Chunk>(
  settings: ResolvedProviderSettings,
  policy: RetryPolicy,
  signal: AbortSignal,
  open: OpenStream<Chunk>,
  createMapper: () => ChunkMapper<Chunk>,
): AsyncGenerator<ModelEvent> {
  // The clock starts when the caller starts reading, not when the iterable was made.
  const limits = { idleTimeoutMs: settings.idleTimeoutMs, timeoutMs: settings.timeoutMs, deadline: Date.now() + settings.timeoutMs };
  yield* streamWithRetries(policy, signal, settings.baseURL, () => streamAttempt(open, createMapper(), signal, limits));
}
