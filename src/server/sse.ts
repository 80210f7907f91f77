/**
 * Writes a run's events as Server-Sent Events (docs/assistants-v2.md §5.1): each frame has an
 * `event:` line and one single-line JSON `data:` line, and the segment ends with
 * `event: done` / `data: [DONE]`. A failure while streaming becomes `event: error` with
 * `data: {"error":{…}}` (both SDKs raise APIError on it) and closes the stream. When the client
 * goes away only the subscription ends; the run carries on.
 */
import type { ServerResponse } from 'node:http';
import type { StreamEvent } from '../engine/types/streamEvent.ts';
import { toErrorResponse, type HttpError } from './httpErrors.ts';

export const SSE_HEADERS = {
  'content-type': 'text/event-stream',
  'cache-control': 'no-cache',
  connection: 'keep-alive',
  'x-accel-buffering': 'no',
} as const;

export function formatFrame(event: StreamEvent): string {
  const data = event.event === 'done' ? '[DONE]' : JSON.stringify(event.data);
  return `event: ${event.event}\ndata: ${data}\n\n`;
}

function waitForDrain(response: ServerResponse): Promise<void> {
  return new Promise((resolve) => {
    const done = (): void => {
      response.off('drain', done);
      response.off('close', done);
      resolve();
    };
    response.on('drain', done);
    response.on('close', done);
  });
}

function errorFrame(body: unknown): string {
  return `event: error\ndata: ${JSON.stringify(body)}\n\n`;
}

/**
 * Writes `events` until `done`. If they stop before `done` while the client is still there
 * (`interrupted()` says why, e.g. the server is stopping), the stream ends with an error frame.
 */
export async function writeEventStream(
  response: ServerResponse,
  events: AsyncIterable<StreamEvent>,
  log: (message: string) => void,
  interrupted: () => HttpError | null = () => null,
): Promise<void> {
  response.writeHead(200, SSE_HEADERS);
  response.flushHeaders();
  let finished = false;
  try {
    for await (const event of events) {
      if (response.destroyed) return;
      if (!response.write(formatFrame(event))) await waitForDrain(response);
      if (event.event === 'done') finished = true;
    }
    const reason = finished ? null : interrupted();
    if (reason && !response.destroyed) response.write(errorFrame(reason.toBody()));
  } catch (error) {
    const { body, unexpected } = toErrorResponse(error);
    if (unexpected) log(`stream failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    if (!response.destroyed) response.write(errorFrame(body));
  }
  if (!response.destroyed) response.end();
}
