/**
 * The vocabulary of the scripted model server: what a test can ask a reply to be, and what the
 * server remembers about each request so tests can assert on what a client actually sent.
 */

export interface ScriptedToolCall {
  name: string;
  /** A JSON string, or a value that is JSON-encoded for you. */
  arguments: string | Record<string, unknown>;
  /** Wire id. Chat: `tool_calls[].id`; Responses: the item's `call_id`. Generated when absent. */
  id?: string;
}

/**
 * A failure the server acts out instead of (or in the middle of) a reply.
 * HTTP faults answer before any stream starts; stream faults count SSE events already written.
 */
export type ScriptedFault =
  /** 429 with `Retry-After` (seconds) and/or `retry-after-ms` headers when given. */
  | { kind: 'rateLimit'; retryAfterSeconds?: number; retryAfterMs?: number; message?: string; code?: string }
  /** Any other HTTP error status with an OpenAI-shaped error body (500 by default). */
  | { kind: 'httpError'; status?: number; message?: string; code?: string | null; type?: string; param?: string | null }
  /** Sends `afterEvents` SSE events, then resets the TCP connection. */
  | { kind: 'reset'; afterEvents: number }
  /** Sends `afterEvents` SSE events, then a `data:` line that is not JSON, then ends normally. */
  | { kind: 'malformed'; afterEvents: number }
  /** Sends `afterEvents` SSE events, then goes silent for `ms` with the socket open, then carries on. */
  | { kind: 'stall'; afterEvents: number; ms: number };

export type ScriptedFinishReason = 'stop' | 'length' | 'tool_calls' | 'content_filter';

export interface ScriptedReply {
  /** Assistant text, streamed in deltas of `chunkSize` characters. */
  text?: string;
  /** Characters per text delta (default 4). */
  chunkSize?: number;
  toolCalls?: ScriptedToolCall[];
  /** Characters per tool-argument fragment (default 8). */
  argumentsChunkSize?: number;
  /** Delay between SSE events in ms (default 0). */
  delayMs?: number;
  /** Delay before the response headers are sent, in ms (default 0). */
  headersDelayMs?: number;
  /** Token counts reported; estimated from the request and reply (≈4 characters a token) when absent. */
  usage?: { promptTokens: number; completionTokens: number };
  /** Default: `tool_calls` when the reply has tool calls, otherwise `stop`. */
  finishReason?: ScriptedFinishReason;
  fault?: ScriptedFault;
  /**
   * Answer as a reasoning model: on the Responses endpoint the reply starts with a reasoning item,
   * with encrypted content when `include` asks for it (reasoningItems.ts); without this, a request
   * that asks for that content is refused, as non-reasoning models refuse it.
   */
  reasoning?: boolean;
}

/** The endpoints that produce model output; `enqueue`/`setHandler` replies are served on these. */
export type GenerationEndpoint = 'chat.completions' | 'responses';

export interface RecordedRequest {
  method: string;
  /** Path without the query string, e.g. `/v1/chat/completions`. */
  path: string;
  /** Header names in lower case. */
  headers: Record<string, string>;
  /** Parsed JSON body (`{}` for requests without a body). */
  body: Record<string, unknown>;
  /** Which generation endpoint this was, when it was one. */
  endpoint: GenerationEndpoint | undefined;
  /** Set once the client closed the connection before the server finished its reply. */
  clientDisconnected: boolean;
}

export type ReplyHandler = (request: RecordedRequest) => ScriptedReply | Promise<ScriptedReply>;

export interface ScriptedModelServerOptions {
  /** Ids served by `GET /v1/models` (default: a chat model and an embedding model). */
  models?: string[];
  /** Embedding length when the request does not ask for `dimensions` (default 256). */
  embeddingDimensions?: number;
  /** Port on 127.0.0.1 (default 0: a free one). A fixed port lets a test stand in for a local server on its usual port. */
  port?: number;
}

/** Fault for the next embeddings request (faults that need a stream are not meaningful there). */
export type EmbeddingsFault = Extract<ScriptedFault, { kind: 'rateLimit' | 'httpError' }> | { kind: 'reset' };
