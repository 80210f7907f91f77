/**
 * Plays a prepared list of SSE events onto a response, with the pacing and the stream faults a
 * reply asks for. Every wait is tied to the connection so a departed client or a closing server
 * never leaves a timer behind.
 */
import type { ServerResponse } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import type { ScriptedFault } from './types.ts';

export interface SseEvent {
  /** The `event:` field; the Responses API names every event, Chat Completions names none. */
  event?: string;
  data: string;
}

/** Resolves after `ms`, or returns false at once when the connection goes away first. */
export async function pause(ms: number, signal: AbortSignal): Promise<boolean> {
  if (ms <= 0) return !signal.aborted;
  try {
    await sleep(ms, undefined, { signal });
    return true;
  } catch {
    return false;
  }
}

function write(res: ServerResponse, text: string): Promise<void> {
  return new Promise((resolve) => {
    res.write(text, () => resolve());
  });
}

function frame(event: SseEvent): string {
  return (event.event ? `event: ${event.event}\n` : '') + `data: ${event.data}\n\n`;
}

/**
 * Resets the TCP connection. The pause first lets the client read what was already sent: on
 * Linux an RST can discard bytes still waiting in the peer's receive buffer.
 */
export async function resetConnection(res: ServerResponse, signal: AbortSignal): Promise<void> {
  await pause(25, signal);
  const socket = res.socket;
  if (!socket || socket.destroyed) return;
  resetByServer.add(res);
  socket.resetAndDestroy();
}

const resetByServer = new WeakSet<ServerResponse>();

/** True when the connection ended because a `reset` fault was played, not because the client left. */
export function wasResetByServer(res: ServerResponse): boolean {
  return resetByServer.has(res);
}

export async function playSseStream(
  res: ServerResponse,
  events: SseEvent[],
  options: { delayMs: number; fault: ScriptedFault | undefined; signal: AbortSignal },
): Promise<void> {
  const { delayMs, fault, signal } = options;
  res.writeHead(200, {
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-cache',
    connection: 'keep-alive',
  });
  res.flushHeaders();

  for (let sent = 0; sent <= events.length; sent += 1) {
    if (signal.aborted) return;
    if (fault && 'afterEvents' in fault && fault.afterEvents === sent) {
      if (fault.kind === 'reset') return resetConnection(res, signal);
      if (fault.kind === 'malformed') {
        await write(res, 'data: {"id":"chunk","choices":[{"delta":{"content":"unterminated\n\n');
        res.end();
        return;
      }
      if (!(await pause(fault.ms, signal))) return;
    }
    const event = events[sent];
    if (event === undefined) break;
    if (sent > 0 && !(await pause(delayMs, signal))) return;
    await write(res, frame(event));
  }
  res.end();
}
