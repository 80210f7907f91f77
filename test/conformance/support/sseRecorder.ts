/**
 * Sees every SSE response the SDK receives, on the wire: a `fetch` wrapper tees the body, splits
 * it into frames, checks the framing (#49: one `event:` line and one single-line `data:` line per
 * frame) and validates each payload against the spec (#73). Tests read the recorded streams and
 * assert `problems` is empty.
 */
import type { StreamEvent } from '../../../src/engine/types/streamEvent.ts';
import { validateFrame } from './streamSchemas.ts';

export interface Frame {
  event: string;
  /** The raw `data:` text. */
  data: string;
}

export interface RecordedStream {
  url: string;
  contentType: string;
  frames: Frame[];
  /** Set once the body ended. */
  complete: boolean;
  /** Set when the client gave up on the body before it ended. */
  aborted: boolean;
}

export class SseRecorder {
  readonly streams: RecordedStream[] = [];
  readonly problems: string[] = [];
  private readonly pending = new Set<Promise<void>>();

  readonly fetch: typeof fetch = async (input, init) => {
    const response = await fetch(input, init);
    const contentType = response.headers.get('content-type') ?? '';
    if (!contentType.startsWith('text/event-stream') || !response.body) return response;
    const [mine, theirs] = response.body.tee();
    const stream: RecordedStream = { url: String(input instanceof Request ? input.url : input), contentType, frames: [], complete: false, aborted: false };
    this.streams.push(stream);
    const reading: Promise<void> = this.read(mine, stream)
      .catch(() => {
        // The SDK aborted the request (a client that leaves mid-stream): what arrived is kept.
        stream.aborted = true;
      })
      .finally(() => this.pending.delete(reading));
    this.pending.add(reading);
    return new Response(theirs, { status: response.status, statusText: response.statusText, headers: response.headers });
  };

  private async read(body: ReadableStream<Uint8Array>, stream: RecordedStream): Promise<void> {
    const decoder = new TextDecoder();
    let buffer = '';
    for await (const chunk of body) {
      buffer += decoder.decode(chunk, { stream: true });
      let boundary = buffer.indexOf('\n\n');
      while (boundary >= 0) {
        this.frame(buffer.slice(0, boundary), stream);
        buffer = buffer.slice(boundary + 2);
        boundary = buffer.indexOf('\n\n');
      }
    }
    if (buffer.trim().length > 0) this.problems.push(`${stream.url}: stream ended inside a frame: ${JSON.stringify(buffer.slice(0, 200))}`);
    stream.complete = true;
  }

  private frame(text: string, stream: RecordedStream): void {
    const lines = text.split('\n');
    const events = lines.filter((line) => line.startsWith('event: '));
    const data = lines.filter((line) => line.startsWith('data: '));
    if (events.length !== 1 || data.length !== 1 || lines.length !== 2) {
      this.problems.push(`${stream.url}: frame is not exactly one event line and one data line: ${JSON.stringify(text.slice(0, 300))}`);
      return;
    }
    const frame = { event: events[0]!.slice(7), data: data[0]!.slice(6) };
    stream.frames.push(frame);
    let payload: unknown = frame.data;
    if (frame.event !== 'done') {
      try {
        payload = JSON.parse(frame.data);
      } catch {
        this.problems.push(`${stream.url}: ${frame.event} data is not JSON: ${frame.data.slice(0, 200)}`);
        return;
      }
    }
    for (const problem of validateFrame(frame.event, payload)) this.problems.push(`${stream.url}: ${frame.event}: ${problem}`);
  }

  /** Waits until every stream seen so far has been read to its end. */
  async settled(): Promise<void> {
    while (this.pending.size > 0) await Promise.all([...this.pending]);
  }

  /** Parsed payloads of one stream's frames, `done` as the string `[DONE]`. */
  static events(stream: RecordedStream): StreamEvent[] {
    return stream.frames.map((frame) => ({ event: frame.event, data: frame.event === 'done' ? frame.data : JSON.parse(frame.data) }) as StreamEvent);
  }
}
