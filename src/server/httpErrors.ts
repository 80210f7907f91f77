/**
 * Errors that belong to the HTTP layer (authentication, the beta header, routing, body limits),
 * in the same v2 shape as the engine's: `{"error":{message,type,param,code}}`.
 */
import { EngineError } from '../engine/errors.ts';

export interface ErrorBody {
  error: { message: string; type: string; param: string | null; code: string | null };
}

export class HttpError extends Error {
  readonly status: number;
  readonly type: string;
  readonly param: string | null;
  readonly code: string | null;
  /** Extra response headers (e.g. `Connection: close` after an oversized body). */
  readonly headers: Record<string, string>;

  constructor(status: number, message: string, options: { type?: string; param?: string | null; code?: string | null; headers?: Record<string, string> } = {}) {
    super(message);
    this.name = 'HttpError';
    this.status = status;
    this.type = options.type ?? (status >= 500 ? 'server_error' : 'invalid_request_error');
    this.param = options.param ?? null;
    this.code = options.code ?? null;
    this.headers = options.headers ?? {};
  }

  toBody(): ErrorBody {
    return { error: { message: this.message, type: this.type, param: this.param, code: this.code } };
  }
}

function maskKey(key: string): string {
  if (key.length <= 8) return '*'.repeat(key.length);
  return `${key.slice(0, 3)}${'*'.repeat(Math.min(key.length - 7, 20))}${key.slice(-4)}`;
}

export const httpErrors = {
  missingKey: (): HttpError =>
    new HttpError(401, "You didn't provide an API key. Send the server's token as 'Authorization: Bearer <token>' (threadwork serve prints it at startup).", {
      code: 'invalid_api_key',
    }),
  wrongKey: (key: string): HttpError =>
    new HttpError(401, `Incorrect API key provided: ${maskKey(key)}. Use the token that threadwork serve printed at startup.`, { code: 'invalid_api_key' }),
  missingBeta: (): HttpError =>
    new HttpError(
      400,
      "You must provide the 'OpenAI-Beta' header to access the Assistants API. Please try again by setting the header 'OpenAI-Beta: assistants=v2'.",
      { code: 'invalid_beta' },
    ),
  retiredBeta: (value: string): HttpError =>
    new HttpError(400, `The Assistants API v1 ('OpenAI-Beta: ${value}') is not supported. Set the header 'OpenAI-Beta: assistants=v2' and use the v2 request shapes.`, {
      code: 'invalid_beta',
    }),
  unknownRoute: (method: string, path: string): HttpError => new HttpError(404, `Invalid URL (${method} ${path})`),
  bodyTooLarge: (limit: number, what: string): HttpError =>
    new HttpError(413, `The ${what} body is larger than this server accepts (${limit} bytes).`, { code: 'request_too_large', headers: { connection: 'close' } }),
  badJson: (detail: string): HttpError =>
    new HttpError(400, `We could not parse the JSON body of your request (${detail}). The API expects a JSON object as the request body.`),
  streamInterrupted: (runId: string): HttpError =>
    new HttpError(503, `The server is stopping, so this event stream ends here. Run ${runId} is unaffected by the stream ending; read its state with GET /v1/threads/{thread_id}/runs/${runId}.`, {
      type: 'server_error',
      code: 'stream_interrupted',
    }),
  shuttingDown: (): HttpError => new HttpError(503, 'The server is shutting down.', { headers: { connection: 'close' } }),
  internal: (): HttpError => new HttpError(500, 'The server had an error while processing your request. The details are in the server log.'),
};

/** Any thrown value as a status and v2 error body; `unexpected` says whether it deserves a log line. */
export function toErrorResponse(error: unknown): { status: number; body: ErrorBody; headers: Record<string, string>; unexpected: boolean } {
  if (error instanceof HttpError) return { status: error.status, body: error.toBody(), headers: error.headers, unexpected: false };
  if (error instanceof EngineError) return { status: error.status, body: error.toBody(), headers: {}, unexpected: error.kind === 'server_error' };
  const internal = httpErrors.internal();
  return { status: internal.status, body: internal.toBody(), headers: {}, unexpected: true };
}
