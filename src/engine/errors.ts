/**
 * Errors the engine raises for bad requests, shaped as v2 error bodies so the server can send
 * them unchanged and the chat panel can show them in place.
 */
export type EngineErrorKind = 'invalid_request' | 'not_found' | 'unauthorized' | 'conflict_active_run' | 'server_error';

const STATUS: Record<EngineErrorKind, number> = {
  invalid_request: 400,
  // v2 answered a locked thread with 400, not 409: the SDKs retry 409 automatically.
  conflict_active_run: 400,
  not_found: 404,
  unauthorized: 401,
  server_error: 500,
};

export class EngineError extends Error {
  readonly kind: EngineErrorKind;
  readonly param: string | null;
  readonly code: string | null;
  constructor(kind: EngineErrorKind, message: string, options: { param?: string | null; code?: string | null } = {}) {
    super(message);
    this.name = 'EngineError';
    this.kind = kind;
    this.param = options.param ?? null;
    this.code = options.code ?? null;
  }

  get status(): number {
    return STATUS[this.kind];
  }

  get type(): string {
    return this.kind === 'server_error' ? 'server_error' : 'invalid_request_error';
  }

  toBody(): { error: { message: string; type: string; param: string | null; code: string | null } } {
    return { error: { message: this.message, type: this.type, param: this.param, code: this.code } };
  }

  static is(value: unknown, kind?: EngineErrorKind): value is EngineError {
    return value instanceof EngineError && (kind === undefined || value.kind === kind);
  }
}

/** 400 with the v2 wording and a dotted `param` path. */
export function invalid(message: string, param: string | null = null, code: string | null = null): EngineError {
  return new EngineError('invalid_request', message, { param, code });
}

/** 404 in v2's words: "No thread found with id 'thread_x'." */
export function notFound(kind: string, id: string): EngineError {
  return new EngineError('not_found', `No ${kind} found with id '${id}'.`);
}
