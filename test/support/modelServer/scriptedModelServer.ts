/**
 * A model server for tests: plain node:http on 127.0.0.1 at a random port, speaking the Chat
 * Completions and Responses wire formats (plus /v1/models and /v1/embeddings) with replies and
 * faults scripted by the test. It is the only fake in the test suite, and it fakes only HTTP.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ChatCompletionCreateParams } from 'openai/resources/chat/completions';
import type { EmbeddingCreateParams } from 'openai/resources/embeddings';
import type { ResponseCreateParams } from 'openai/resources/responses/responses';
import { createRouter } from './router.ts';
import type { RouterState } from './router.ts';
import type { EmbeddingsFault, RecordedRequest, ReplyHandler, ScriptedModelServerOptions, ScriptedReply } from './types.ts';

export interface ScriptedModelServer {
  /** Base URL ending in `/v1`, ready for `new OpenAI({ baseURL })`. */
  readonly url: string;
  /** Every request received, in order (generation, models and embeddings alike). */
  readonly requests: readonly RecordedRequest[];
  /** Queues replies for the next generation requests (chat or responses), first in first out. */
  enqueue(...replies: ScriptedReply[]): void;
  /** Answers generation requests once the queue is empty; `undefined` removes it. */
  setHandler(handler: ReplyHandler | undefined): void;
  /** Replaces the ids served by `GET /v1/models`. */
  setModels(ids: string[]): void;
  /** Queues a fault for the next embeddings requests. */
  enqueueEmbeddingsFault(...faults: EmbeddingsFault[]): void;
  /** Bodies of the Chat Completions requests, typed as the SDK's parameters. */
  chatRequests(): ChatCompletionCreateParams[];
  /** Bodies of the Responses requests, typed as the SDK's parameters. */
  responsesRequests(): ResponseCreateParams[];
  /** Bodies of the embeddings requests. */
  embeddingsRequests(): EmbeddingCreateParams[];
  /** Replies still queued (a test can assert all of its script was used). */
  pendingReplies(): number;
  /** Stops listening, drops open connections and cancels every scripted pause. */
  close(): Promise<void>;
}

const DEFAULT_MODELS = ['scripted-chat-model', 'scripted-embedding-model'];

export async function startScriptedModelServer(options: ScriptedModelServerOptions = {}): Promise<ScriptedModelServer> {
  const shutdown = new AbortController();
  const requests: RecordedRequest[] = [];
  const state: RouterState = {
    queue: [],
    handler: undefined,
    models: [...(options.models ?? DEFAULT_MODELS)],
    embeddingDimensions: options.embeddingDimensions ?? 256,
    embeddingsFaults: [],
    requests,
    shutdown: shutdown.signal,
    sequence: 0,
    issuedReasoning: new Set(),
  };
  const server = createServer(createRouter(state));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const bodiesOf = <T>(path: string): T[] => requests.filter((r) => r.path === path).map((r) => r.body as T);
  let closed: Promise<void> | undefined;

  return {
    url: `http://127.0.0.1:${port}/v1`,
    requests,
    enqueue: (...replies) => {
      state.queue.push(...replies);
    },
    setHandler: (handler) => {
      state.handler = handler;
    },
    setModels: (ids) => {
      state.models = [...ids];
    },
    enqueueEmbeddingsFault: (...faults) => {
      state.embeddingsFaults.push(...faults);
    },
    chatRequests: () => bodiesOf<ChatCompletionCreateParams>('/v1/chat/completions'),
    responsesRequests: () => bodiesOf<ResponseCreateParams>('/v1/responses'),
    embeddingsRequests: () => bodiesOf<EmbeddingCreateParams>('/v1/embeddings'),
    pendingReplies: () => state.queue.length,
    close: () => {
      closed ??= new Promise<void>((resolve) => {
        shutdown.abort();
        server.close(() => resolve());
        server.closeAllConnections();
      });
      return closed;
    },
  };
}
