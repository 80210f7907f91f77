/**
 * The one place that picks a backend for a configured model API.
 */
import type { ModelBackend } from '../engine/ports/modelBackend.ts';
import { ChatCompletionsBackend } from './chatCompletionsBackend.ts';
import type { MaxTokensField } from './chatCompletionsRequest.ts';
import type { ProviderSettings } from './providerSettings.ts';
import { ResponsesBackend } from './responsesBackend.ts';

export type ModelApiKind = 'responses' | 'chat-completions';

export interface ModelBackendConfig extends ProviderSettings {
  kind: ModelApiKind;
  /** Chat Completions only: which field carries the output-token cap (guessed from the base URL when absent). */
  maxTokensField?: MaxTokensField;
}

const FACTORIES: Record<ModelApiKind, (config: ModelBackendConfig) => ModelBackend> = {
  responses: (config) => new ResponsesBackend(config),
  'chat-completions': (config) => new ChatCompletionsBackend(config),
};

export function createModelBackend(config: ModelBackendConfig): ModelBackend {
  const factory = FACTORIES[config.kind];
  if (!factory) throw new Error(`Unknown model API kind '${String(config.kind)}'; expected 'responses' or 'chat-completions'.`);
  return factory(config);
}
