/**
 * HTTP-level faults: answers that refuse a request before any output, shaped like the OpenAI API's
 * error bodies and headers so SDKs classify them as they would a real outage or rate limit.
 */
import type { ServerResponse } from 'node:http';
import type { ScriptedFault } from './types.ts';

export type HttpFault = Extract<ScriptedFault, { kind: 'rateLimit' | 'httpError' }>;

export function isHttpFault(fault: ScriptedFault | undefined): fault is HttpFault {
  return fault?.kind === 'rateLimit' || fault?.kind === 'httpError';
}

export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text), ...headers });
  res.end(text);
}

export function sendError(
  res: ServerResponse,
  status: number,
  error: { message: string; type: string; code: string | null; param?: string | null },
  headers: Record<string, string> = {},
): void {
  sendJson(res, status, { error: { message: error.message, type: error.type, param: error.param ?? null, code: error.code } }, headers);
}

function rateLimitHeaders(fault: Extract<HttpFault, { kind: 'rateLimit' }>): Record<string, string> {
  const headers: Record<string, string> = {};
  if (fault.retryAfterSeconds !== undefined) headers['retry-after'] = String(fault.retryAfterSeconds);
  if (fault.retryAfterMs !== undefined) headers['retry-after-ms'] = String(fault.retryAfterMs);
  return headers;
}

export function sendHttpFault(res: ServerResponse, fault: HttpFault): void {
  if (fault.kind === 'rateLimit') {
    sendError(
      res,
      429,
      { message: fault.message ?? 'Rate limit reached for requests. Please try again later.', type: 'requests', code: fault.code ?? 'rate_limit_exceeded' },
      rateLimitHeaders(fault),
    );
    return;
  }
  const status = fault.status ?? 500;
  sendError(res, status, {
    message: fault.message ?? 'The server had an error while processing your request.',
    type: fault.type ?? (status >= 500 ? 'server_error' : 'invalid_request_error'),
    code: fault.code ?? null,
    param: fault.param ?? null,
  });
}
