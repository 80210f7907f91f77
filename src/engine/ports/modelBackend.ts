/**
 * What the engine needs from a model API. Providers (src/providers/) implement it over the
 * OpenAI Responses API or any Chat Completions server; tests reach it through a scripted server.
 */

export interface ModelToolCall {
  id: string;
  name: string;
  arguments: string;
}

export type ModelContentPart = { type: 'text'; text: string } | { type: 'image_url'; url: string };

export type ModelMessage =
  | { role: 'user'; content: string | ModelContentPart[] }
  | { role: 'assistant'; content: string; toolCalls?: ModelToolCall[]; providerItems?: ProviderItem[] }
  | { role: 'tool'; toolCallId: string; content: string };

export interface ModelTool {
  name: string;
  description?: string;
  parameters: Record<string, unknown>;
  strict?: boolean;
}

export type ModelToolChoice = 'none' | 'auto' | 'required' | { name: string };

export type ModelResponseFormat =
  | { type: 'text' }
  | { type: 'json_object' }
  | { type: 'json_schema'; name: string; description?: string; schema?: Record<string, unknown>; strict?: boolean };

export interface ModelRequest {
  model: string;
  /** System instructions; sent as the first system/developer message or the Responses `instructions`. */
  instructions: string;
  messages: ModelMessage[];
  tools: ModelTool[];
  toolChoice: ModelToolChoice;
  parallelToolCalls: boolean;
  responseFormat?: ModelResponseFormat;
  temperature?: number;
  topP?: number;
  /** Completion tokens the run may still spend on this call. */
  maxOutputTokens?: number;
  reasoningEffort?: string;
}

export type FinishReason = 'stop' | 'length' | 'tool_calls' | 'content_filter';

/**
 * Something a provider asks to be sent back, unchanged, with the turn that produced it (the
 * Responses API's encrypted reasoning items: without them a reasoning model starts its thinking
 * over after every tool call). Opaque to the engine, which stores it beside the turn's step.
 */
export type ProviderItem = Record<string, unknown>;

/** One provider-neutral stream of what the model is producing. */
export type ModelEvent =
  | { type: 'text'; delta: string }
  /** First fragment of a tool call: its position in this turn, the provider's id and the function name. */
  | { type: 'toolCallStart'; index: number; id: string; name: string }
  | { type: 'toolCallArguments'; index: number; delta: string }
  | { type: 'usage'; promptTokens: number; completionTokens: number }
  | { type: 'providerItem'; item: ProviderItem }
  | { type: 'finish'; reason: FinishReason };

export type ModelErrorCode = 'rate_limit_exceeded' | 'server_error' | 'invalid_prompt';

/** A model call that failed; `code` is what the run's `last_error.code` becomes. */
export class ModelError extends Error {
  readonly code: ModelErrorCode;
  readonly status: number | undefined;
  constructor(code: ModelErrorCode, message: string, status?: number) {
    super(message);
    this.name = 'ModelError';
    this.code = code;
    this.status = status;
  }
}

export interface ModelBackend {
  /** Streams one model turn. Throws ModelError on failure; honours `signal` by aborting the request. */
  stream(request: ModelRequest, signal: AbortSignal): AsyncIterable<ModelEvent>;
}
