/**
 * A model backend over the OpenAI Responses API, streamed through the official SDK, stateless on
 * the provider's side (`store: false`): the thread lives in our store and is sent in full each turn.
 */
import type OpenAI from 'openai';
import type { ModelBackend, ModelEvent, ModelRequest } from '../engine/ports/modelBackend.ts';
import { streamModelTurn } from './modelTurn.ts';
import { createOpenAIClient, resolveProviderSettings } from './providerSettings.ts';
import type { ProviderSettings, ResolvedProviderSettings } from './providerSettings.ts';
import { ResponsesEventMapper } from './responsesEvents.ts';
import { toResponsesParams } from './responsesRequest.ts';
import { retryPolicy } from './retryPolicy.ts';
import type { RetryPolicy } from './retryPolicy.ts';

export class ResponsesBackend implements ModelBackend {
  readonly #settings: ResolvedProviderSettings;
  readonly #client: OpenAI;
  readonly #policy: RetryPolicy;

  constructor(settings: ProviderSettings) {
    this.#settings = resolveProviderSettings(settings);
    this.#client = createOpenAIClient(this.#settings);
    this.#policy = retryPolicy({ maxAttempts: this.#settings.maxAttempts, baseDelayMs: this.#settings.retryBaseDelayMs });
  }

  stream(request: ModelRequest, signal: AbortSignal): AsyncIterable<ModelEvent> {
    const params = toResponsesParams(request);
    return streamModelTurn(
      this.#settings,
      this.#policy,
      signal,
      (attemptSignal, remainingMs) =>
        this.#client.responses.create(params, { signal: attemptSignal, timeout: Math.max(1, Math.ceil(remainingMs)), maxRetries: 0 }),
      () => new ResponsesEventMapper(),
    );
  }
}
