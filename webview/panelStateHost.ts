/**
 * What a part of the panel's state (files, approvals) is given by the store that owns it: the
 * channel to the host, a way to change state and redraw, and the notice line; and how a failed
 * host request is worded there.
 */
import type { Channel } from '../src/protocol/channel.ts';
import { ProtocolError } from '../src/protocol/envelope.ts';

export interface PanelStateHost {
  channel: Channel;
  /** Runs a change to state the panel draws from, then redraws. */
  update(change: () => void): void;
  /** Shows a problem in the panel's notice line. */
  notify(message: string): void;
}

/** A host request's failure as the notice line shows it. */
export function errorMessage(error: unknown): string {
  if (ProtocolError.is(error)) return error.message;
  return error instanceof Error ? error.message : String(error);
}
