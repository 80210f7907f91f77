/**
 * Routes each request to its endpoint (a map from "METHOD /path" to a handler), records it, and
 * plays the scripted reply in the wire format of the endpoint that was called.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { chatCompletionBody, chatCompletionChunks } from './chatCompletionsWriter.ts';
import { embedText, inputTexts, toBase64, tokenizeWords } from './embeddings.ts';
import { isHttpFault, sendError, sendHttpFault, sendJson } from './faults.ts';
import { planReply } from './replyPlan.ts';
import type { ReplyPlan } from './replyPlan.ts';
import { includeRefusal, inputRefusal, reasoningItem, type ReasoningRefusal } from './reasoningItems.ts';
import { responseBody, responsesEvents } from './responsesWriter.ts';
import { pause, playSseStream, resetConnection, wasResetByServer } from './sseStream.ts';
import type { SseEvent } from './sseStream.ts';
import type { EmbeddingsFault, GenerationEndpoint, RecordedRequest, ReplyHandler, ScriptedReply } from './types.ts';

/** What the router reads and updates; owned by the server object. */
export interface RouterState {
  readonly queue: ScriptedReply[];
  handler: ReplyHandler | undefined;
  models: string[];
  embeddingDimensions: number;
  readonly embeddingsFaults: EmbeddingsFault[];
  readonly requests: RecordedRequest[];
  /** Aborted when the server closes, so no scripted pause outlives it. */
  readonly shutdown: AbortSignal;
  sequence: number;
  /** Encrypted reasoning this server handed out, the only kind it accepts back. */
  readonly issuedReasoning: Set<string>;
}

interface Exchange {
  state: RouterState;
  recorded: RecordedRequest;
  res: ServerResponse;
  /** Aborted when this connection closes or the server shuts down. */
  signal: AbortSignal;
}

type Route = (exchange: Exchange) => Promise<void>;

interface WireFormat {
  streamEvents(plan: ReplyPlan, id: string, body: Record<string, unknown>): SseEvent[];
  body(plan: ReplyPlan, id: string, body: Record<string, unknown>): Record<string, unknown>;
  idPrefix: string;
}

const WIRE_FORMATS: Record<GenerationEndpoint, WireFormat> = {
  'chat.completions': {
    idPrefix: 'chatcmpl-',
    streamEvents: (plan, id, body) => {
      const options = body.stream_options as { include_usage?: unknown } | undefined;
      return chatCompletionChunks(plan, id, options?.include_usage === true);
    },
    body: (plan, id) => chatCompletionBody(plan, id),
  },
  responses: {
    idPrefix: 'resp_',
    streamEvents: (plan, id, body) => responsesEvents(plan, id, body),
    body: (plan, id, body) => responseBody(plan, id, body),
  },
};

const NO_REPLY_MESSAGE =
  'Scripted model server: no reply was scripted for this request. Call server.enqueue(reply) or server.setHandler(fn) first.';

async function nextReply(state: RouterState, recorded: RecordedRequest): Promise<ScriptedReply | undefined> {
  const queued = state.queue.shift();
  if (queued) return queued;
  return state.handler ? await state.handler(recorded) : undefined;
}

function generation(endpoint: GenerationEndpoint): Route {
  const format = WIRE_FORMATS[endpoint];
  return async ({ state, recorded, res, signal }) => {
    recorded.endpoint = endpoint;
    const refuse = (refused: ReasoningRefusal | undefined): boolean => {
      if (refused) sendError(res, refused.status, refused.error);
      return refused !== undefined;
    };
    // Like the API, a malformed input is refused before any model (here: any scripted reply) is involved.
    if (endpoint === 'responses' && refuse(inputRefusal(recorded.body, state.issuedReasoning))) return;
    const reply = await nextReply(state, recorded);
    if (!reply) {
      sendError(res, 400, { message: NO_REPLY_MESSAGE, type: 'invalid_request_error', code: 'no_scripted_reply' });
      return;
    }
    if (reply.headersDelayMs && !(await pause(reply.headersDelayMs, signal))) return;
    if (isHttpFault(reply.fault)) {
      sendHttpFault(res, reply.fault);
      return;
    }
    if (endpoint === 'responses' && refuse(includeRefusal(recorded.body, reply.reasoning === true))) return;
    state.sequence += 1;
    const plan = planReply(reply, recorded.body, state.sequence);
    const id = `${format.idPrefix}${state.sequence.toString().padStart(6, '0')}`;
    if (endpoint === 'responses' && reply.reasoning) plan.reasoningItem = reasoningItem(id, recorded.body, state.issuedReasoning);
    if (recorded.body.stream === true) {
      await playSseStream(res, format.streamEvents(plan, id, recorded.body), { delayMs: reply.delayMs ?? 0, fault: reply.fault, signal });
      return;
    }
    await sendWholeBody(res, format.body(plan, id, recorded.body), reply, signal);
  };
}

/** A non-streamed answer, with the stream faults mapped onto a single body. */
async function sendWholeBody(res: ServerResponse, body: Record<string, unknown>, reply: ScriptedReply, signal: AbortSignal): Promise<void> {
  const fault = reply.fault;
  if (fault?.kind === 'reset') return resetConnection(res, signal);
  if (fault?.kind === 'stall' && !(await pause(fault.ms, signal))) return;
  if (fault?.kind === 'malformed') {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end('{"id": "broken", "choices": [');
    return;
  }
  sendJson(res, 200, body);
}

const listModels: Route = async ({ state, res }) => {
  sendJson(res, 200, {
    object: 'list',
    data: state.models.map((id) => ({ id, object: 'model', created: 1_700_000_000, owned_by: 'scripted' })),
  });
};

const createEmbeddings: Route = async ({ state, recorded, res, signal }) => {
  const fault = state.embeddingsFaults.shift();
  if (fault?.kind === 'reset') return resetConnection(res, signal);
  if (fault) {
    sendHttpFault(res, fault);
    return;
  }
  const { input, dimensions, encoding_format: encoding, model } = recorded.body;
  const texts = inputTexts(input);
  if (texts.length === 0) {
    sendError(res, 400, { message: "'input' must be a string or an array of strings.", type: 'invalid_request_error', code: null, param: 'input' });
    return;
  }
  const size = typeof dimensions === 'number' && dimensions > 0 ? dimensions : state.embeddingDimensions;
  const tokens = texts.reduce((sum, text) => sum + Math.max(1, tokenizeWords(text).length), 0);
  sendJson(res, 200, {
    object: 'list',
    model: typeof model === 'string' ? model : 'scripted-embedding',
    data: texts.map((text, index) => {
      const vector = embedText(text, size);
      return { object: 'embedding', index, embedding: encoding === 'base64' ? toBase64(vector) : Array.from(vector) };
    }),
    usage: { prompt_tokens: tokens, total_tokens: tokens },
  });
};

const ROUTES: Record<string, Route> = {
  'POST /v1/chat/completions': generation('chat.completions'),
  'POST /v1/responses': generation('responses'),
  'GET /v1/models': listModels,
  'POST /v1/embeddings': createEmbeddings,
};

async function readJsonBody(req: IncomingMessage): Promise<Record<string, unknown> | undefined> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString('utf8');
  if (text.trim() === '') return {};
  try {
    const parsed: unknown = JSON.parse(text);
    return parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

function lowerCaseHeaders(req: IncomingMessage): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(req.headers)) {
    if (value !== undefined) headers[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value;
  }
  return headers;
}

export function createRouter(state: RouterState): (req: IncomingMessage, res: ServerResponse) => void {
  return (req, res) => {
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    const connection = new AbortController();
    const signal = AbortSignal.any([connection.signal, state.shutdown]);
    void (async () => {
      const body = await readJsonBody(req);
      const recorded: RecordedRequest = {
        method: req.method ?? 'GET',
        path,
        headers: lowerCaseHeaders(req),
        body: body ?? {},
        endpoint: undefined,
        clientDisconnected: false,
      };
      state.requests.push(recorded);
      res.on('close', () => {
        if (!res.writableEnded && !wasResetByServer(res) && !state.shutdown.aborted) recorded.clientDisconnected = true;
        connection.abort();
      });
      if (body === undefined) {
        sendError(res, 400, { message: 'The request body is not valid JSON.', type: 'invalid_request_error', code: null });
        return;
      }
      const route = ROUTES[`${recorded.method} ${path}`];
      if (!route) {
        sendError(res, 404, { message: `Scripted model server: no route for ${recorded.method} ${path}.`, type: 'invalid_request_error', code: 'unknown_url' });
        return;
      }
      await route({ state, recorded, res, signal });
    })().catch((error: unknown) => {
      if (!res.headersSent) sendError(res, 500, { message: `Scripted model server failed: ${String(error)}`, type: 'server_error', code: null });
      else res.destroy();
    });
  };
}
