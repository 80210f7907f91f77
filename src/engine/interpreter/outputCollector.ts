/**
 * Collects a cell's stdout and stderr as bytes, keeping only the head and the tail: a traceback
 * at the end matters more than the middle of a long listing, and a 100 MB print must not be
 * copied anywhere. Runs inside workers too, so it depends on nothing from Node.
 */
const encoder = new TextEncoder();
const decoder = new TextDecoder('utf-8', { fatal: false });

export class OutputCollector {
  readonly #headCap: number;
  readonly #tailCap: number;
  readonly #stopAt: number;
  #head: Uint8Array[] = [];
  #headBytes = 0;
  #tail: Uint8Array[] = [];
  #tailBytes = 0;
  #total = 0;

  /** Keeps `maxLogBytes` (60% head, 40% tail) and reports overflow past `maxOutputBytes`. */
  constructor(maxLogBytes: number, maxOutputBytes: number) {
    this.#headCap = Math.floor(maxLogBytes * 0.6);
    this.#tailCap = maxLogBytes - this.#headCap;
    this.#stopAt = maxOutputBytes;
  }

  get totalBytes(): number {
    return this.#total;
  }

  /** True once more than `maxOutputBytes` were written: the caller stops the code. */
  get overLimit(): boolean {
    return this.#total > this.#stopAt;
  }

  write(chunk: Uint8Array | string): void {
    const bytes = typeof chunk === 'string' ? encoder.encode(chunk) : chunk;
    this.#total += bytes.length;
    let rest = bytes;
    if (this.#headBytes < this.#headCap) {
      const take = Math.min(this.#headCap - this.#headBytes, rest.length);
      this.#head.push(rest.slice(0, take));
      this.#headBytes += take;
      rest = rest.subarray(take);
    }
    if (rest.length === 0) return;
    const keep = rest.length > this.#tailCap ? rest.subarray(rest.length - this.#tailCap) : rest;
    this.#tail.push(keep.slice());
    this.#tailBytes += keep.length;
    while (this.#tail.length > 0 && this.#tailBytes - this.#tail[0]!.length >= this.#tailCap) {
      this.#tailBytes -= this.#tail.shift()!.length;
    }
  }

  text(): string {
    let tail = concat(this.#tail, this.#tailBytes);
    if (tail.length > this.#tailCap) tail = tail.subarray(tail.length - this.#tailCap);
    const omitted = this.#total - this.#headBytes - tail.length;
    const head = concat(this.#head, this.#headBytes);
    if (omitted <= 0) return decoder.decode(concat([head, tail], head.length + tail.length));
    return `${decoder.decode(head)}\n[... ${omitted} bytes of output omitted ...]\n${decoder.decode(tail)}`;
  }
}

function concat(parts: Uint8Array[], length: number): Uint8Array {
  const out = new Uint8Array(length);
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}

/** Sandbox notes before and after the cell's own output, one per line. */
export function joinLogs(notesBefore: string[], output: string, notesAfter: string[]): string {
  let logs = notesBefore.map((note) => `${note}\n`).join('') + output;
  if (notesAfter.length > 0) logs += `${logs.length > 0 && !logs.endsWith('\n') ? '\n' : ''}${notesAfter.join('\n')}\n`;
  return logs;
}
