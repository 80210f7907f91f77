/** How engine errors reach the panel: as protocol errors whose message the panel shows in place. */
import { EngineError } from '../engine/errors.ts';
import type { ProtocolErrorCode } from '../protocol/envelope.ts';

const CODES: Record<EngineError['kind'], ProtocolErrorCode> = {
  invalid_request: 'invalid_request',
  conflict_active_run: 'invalid_request',
  not_found: 'not_found',
  unauthorized: 'invalid_request',
  server_error: 'internal',
};

export function describeHostError(error: unknown): { code: ProtocolErrorCode; message: string } {
  if (EngineError.is(error)) return { code: CODES[error.kind], message: error.message };
  return { code: 'internal', message: error instanceof Error ? error.message : String(error) };
}
