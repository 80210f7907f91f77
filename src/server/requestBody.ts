/**
 * Reading request bodies under a size limit, and JSON parsing with v2-shaped errors. An
 * oversized body is refused as soon as it is known (from Content-Length, or while reading);
 * the rest is discarded and the connection closed after the 413 answer.
 */
import type { IncomingMessage } from 'node:http';
import { HttpError, httpErrors } from './httpErrors.ts';

export function readBody(request: IncomingMessage, limit: number, what: string): Promise<Buffer> {
  const declared = Number(request.headers['content-length']);
  if (Number.isFinite(declared) && declared > limit) {
    request.resume();
    return Promise.reject(httpErrors.bodyTooLarge(limit, what));
  }
  return new Promise<Buffer>((resolve, reject) => {
    const chunks: Buffer[] = [];
    let total = 0;
    let refused = false;
    const onData = (chunk: Buffer): void => {
      if (refused) return;
      total += chunk.length;
      if (total > limit) {
        refused = true;
        chunks.length = 0;
        reject(httpErrors.bodyTooLarge(limit, what));
        return;
      }
      chunks.push(chunk);
    };
    request.on('data', onData);
    let ended = false;
    request.once('end', () => {
      ended = true;
      if (!refused) resolve(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, total));
    });
    // A client that goes away mid-body is not a server fault: answered (if anyone listens) and not logged.
    const gone = (): void => {
      if (!refused && !ended) reject(new HttpError(400, 'The request body ended before it was complete.', { code: 'incomplete_body' }));
    };
    request.once('error', gone);
    request.once('close', gone);
  });
}

/** An empty body reads as `undefined` (the services then say what was missing). */
export function parseJsonBody(bytes: Buffer): unknown {
  if (bytes.length === 0) return undefined;
  try {
    return JSON.parse(bytes.toString('utf8'));
  } catch (error) {
    throw httpErrors.badJson(error instanceof Error ? error.message : 'invalid JSON');
  }
}
