/**
 * The two header checks in front of every route: the bearer token (compared in constant time)
 * and, for the Assistants endpoints, `OpenAI-Beta: assistants=v2`.
 */
import { timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { httpErrors, type HttpError } from './httpErrors.ts';

/**
 * Returns a checker for one token. The bytes are compared in constant time; only a token of the
 * wrong length is refused early, which tells an attacker nothing about its characters.
 */
export function tokenChecker(token: string): (headers: IncomingHttpHeaders) => HttpError | null {
  if (token.length === 0) throw new Error('The server needs a non-empty token.');
  const expected = Buffer.from(token, 'utf8');
  return (headers) => {
    const header = headers.authorization;
    if (!header) return httpErrors.missingKey();
    const match = /^Bearer\s+(.+)$/i.exec(header.trim());
    if (!match) return httpErrors.missingKey();
    const provided = match[1]!.trim();
    const bytes = Buffer.from(provided, 'utf8');
    return bytes.length === expected.length && timingSafeEqual(bytes, expected) ? null : httpErrors.wrongKey(provided);
  };
}

/**
 * v2 required `OpenAI-Beta: assistants=v2` on assistants/threads/messages/runs/steps; the header
 * may carry several comma-separated features. v1 is always refused: its shapes are gone.
 */
export function checkBetaHeader(headers: IncomingHttpHeaders, required: boolean): HttpError | null {
  const raw = headers['openai-beta'];
  const values = (Array.isArray(raw) ? raw.join(',') : (raw ?? '')).split(',').map((value) => value.trim().toLowerCase());
  const assistants = values.filter((value) => value.startsWith('assistants='));
  const retired = assistants.find((value) => value !== 'assistants=v2');
  if (retired) return httpErrors.retiredBeta(retired);
  if (assistants.length === 0 && required) return httpErrors.missingBeta();
  return null;
}
