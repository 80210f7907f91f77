/**
 * Keeps the first and last bytes of a process's output and counts what fell in between: the head
 * shows what started, the tail shows how it ended (test summaries, the last error).
 */

export class HeadTailBuffer {
  readonly #headLimit: number;
  readonly #tailLimit: number;
  readonly #head: Uint8Array[] = [];
  #headSize = 0;
  #tail: Uint8Array[] = [];
  #tailSize = 0;
  #omitted = 0;

  constructor(headBytes: number, tailBytes: number) {
    this.#headLimit = headBytes;
    this.#tailLimit = tailBytes;
  }

  get omittedBytes(): number {
    return this.#omitted;
  }

  append(chunk: Uint8Array): void {
    let rest = chunk;
    if (this.#headSize < this.#headLimit) {
      const take = Math.min(rest.length, this.#headLimit - this.#headSize);
      this.#head.push(rest.subarray(0, take));
      this.#headSize += take;
      rest = rest.subarray(take);
    }
    if (rest.length === 0) return;
    this.#tail.push(rest);
    this.#tailSize += rest.length;
    while (this.#tailSize > this.#tailLimit && this.#tail.length > 0) {
      const first = this.#tail[0]!;
      const excess = this.#tailSize - this.#tailLimit;
      if (first.length <= excess) {
        this.#tail.shift();
        this.#tailSize -= first.length;
        this.#omitted += first.length;
      } else {
        this.#tail[0] = first.subarray(excess);
        this.#tailSize -= excess;
        this.#omitted += excess;
      }
    }
  }

  toString(): string {
    const head = decode(this.#head);
    const tail = decode(this.#tail);
    if (this.#omitted === 0) return head + tail;
    return `${head}\n[… ${this.#omitted} bytes of output omitted …]\n${tail}`;
  }
}

function decode(chunks: readonly Uint8Array[]): string {
  return new TextDecoder().decode(Buffer.concat(chunks));
}
