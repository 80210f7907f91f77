/**
 * A model backend for any OpenAI-compatible Chat Completions server (OpenAI, Azure, Ollama,
 * LM Studio, vLLM, llama.cpp, OpenRouter…), streamed through the official SDK.
 */
import type OpenAI from 'openai';
import type { ModelBackend, ModelEvent, ModelRequest } from '../engine/ports/modelBackend.ts';
import { ChatCompletionsEventMapper } from './chatCompletionsEvents.ts';
import { defaultMaxTokensField, toChatCompletionParams } from './chatCompletionsRequest.ts';
import type { MaxTokensField } from './chatCompletionsRequest.ts';
import { streamModelTurn } from './modelTurn.ts';
import { createOpenAIClient, resolveProviderSettings } from './providerSettings.ts';
import type { ProviderSettings, ResolvedProviderSettings } from './providerSettings.ts';
import { retryPolicy } from './retryPolicy.ts';
import type { RetryPolicy } from './retryPolicy.ts';

export interface ChatCompletionsSettings extends ProviderSettings {
  /** Which parameter carries the output-token cap; guessed from the base URL when absent. */
  maxTokensField?: MaxTokensField;
}

export class ChatCompletionsBackend implements ModelBackend {
  readonly #settings: ResolvedProviderSettings;
  readonly #client: OpenAI;
  readonly #policy: RetryPolicy;
  readonly #maxTokensField: MaxTokensField;

  constructor(settings: ChatCompletionsSettings) {
    this.#settings = resolveProviderSettings(settings);
    this.#client = createOpenAIClient(this.#settings);
    this.#policy = retryPolicy({ maxAttempts: this.#settings.maxAttempts, baseDelayMs: this.#settings.retryBaseDelayMs });
    this.#maxTokensField = settings.maxTokensField ?? defaultMaxTokensField(this.#settings.baseURL);
  }

  stream(request: ModelRequest, signal: AbortSignal): AsyncIterable<ModelEvent> {
    const params = toChatCompletionParams(request, this.#maxTokensField);
    return streamModelTurn(
      this.#settings,
      this.#policy,
      signal,
      (attemptSignal, remainingMs) =>
        this.#client.chat.completions.create(params, { signal: attemptSignal, timeout: Math.max(1, Math.ceil(remainingMs)), maxRetries: 0 }),
      () => new ChatCompletionsEventMapper(),
    );
  }
}
