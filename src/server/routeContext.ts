/** What a route handler receives and what it answers with. */
import type { IncomingHttpHeaders } from 'node:http';
import type { Engine } from '../engine/engine.ts';
import type { MultipartPart } from './multipart.ts';
import type { QueryValues } from './query.ts';
import type { RouteDefinition } from './router.ts';

export interface RequestContext {
  readonly engine: Engine;
  readonly params: Record<string, string>;
  readonly query: QueryValues;
  readonly headers: IncomingHttpHeaders;
  /** The JSON body (`undefined` when empty), read under the JSON size limit. */
  body(): Promise<unknown>;
  /** The multipart parts, read under the upload size limit. */
  multipart(): Promise<MultipartPart[]>;
}

export type Reply =
  | { kind: 'json'; status: number; body: unknown }
  /** A body the engine has already serialized (message lists). */
  | { kind: 'jsonText'; body: string }
  | { kind: 'bytes'; body: Uint8Array; contentType: string }
  /** SSE of one run's events from `fromSeq` up to the next `done`. */
  | { kind: 'stream'; runId: string; fromSeq: number };

export type RouteHandler = (context: RequestContext) => Reply | Promise<Reply>;

export type Route = RouteDefinition<RouteHandler>;

export function ok(body: unknown, status = 200): Reply {
  return { kind: 'json', status, body };
}

export function okText(json: string): Reply {
  return { kind: 'jsonText', body: json };
}

export function eventStream(runId: string, fromSeq: number): Reply {
  return { kind: 'stream', runId, fromSeq };
}

/** `stream: true` in a run body (the services have already checked it is a boolean). */
export function wantsStream(body: unknown): boolean {
  return typeof body === 'object' && body !== null && (body as { stream?: unknown }).stream === true;
}
