/**
 * The four shapes that cross the host↔webview boundary. Every request gets exactly one response,
 * so an `await` on either side settles instead of hanging; `cancel` asks the other side to abort a
 * request it is still working on.
 */

export type ProtocolErrorCode =
  /** No handler is registered for the method. */
  | 'method_not_found'
  /** The parameters were refused (bad ids, empty text, a thread that is busy). */
  | 'invalid_request'
  | 'not_found'
  /** The request was cancelled by its sender or the channel closed. */
  | 'cancelled'
  /** Anything else the handler threw. */
  | 'internal';

export interface RequestEnvelope {
  kind: 'request';
  id: number;
  method: string;
  params: unknown;
}

export interface ResponseEnvelope {
  kind: 'response';
  id: number;
  result?: unknown;
  error?: { code: ProtocolErrorCode; message: string };
}

export interface NotificationEnvelope {
  kind: 'notification';
  method: string;
  params: unknown;
}

export interface CancelEnvelope {
  kind: 'cancel';
  id: number;
}

export type Envelope = RequestEnvelope | ResponseEnvelope | NotificationEnvelope | CancelEnvelope;

/** A rejected request, on the side that sent it. */
export class ProtocolError extends Error {
  readonly code: ProtocolErrorCode;
  constructor(code: ProtocolErrorCode, message: string) {
    super(message);
    this.name = 'ProtocolError';
    this.code = code;
  }

  static is(value: unknown, code?: ProtocolErrorCode): value is ProtocolError {
    return value instanceof ProtocolError && (code === undefined || value.code === code);
  }
}

const KINDS = new Set(['request', 'response', 'notification', 'cancel']);

/** Anything else posted into the frame (other extensions, devtools) is ignored, not trusted. */
export function isEnvelope(value: unknown): value is Envelope {
  if (typeof value !== 'object' || value === null) return false;
  const candidate = value as Record<string, unknown>;
  if (typeof candidate['kind'] !== 'string' || !KINDS.has(candidate['kind'])) return false;
  if (candidate['kind'] === 'notification') return typeof candidate['method'] === 'string';
  if (typeof candidate['id'] !== 'number') return false;
  return candidate['kind'] !== 'request' || typeof candidate['method'] === 'string';
}
