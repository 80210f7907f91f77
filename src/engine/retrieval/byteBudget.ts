/**
 * A bound on the bytes a folder sync holds at once. A first index keeps many files in flight so
 * the preparation workers always have the next file while the other worker commits (8 in flight
 * made a first index nearly twice as slow as 64), and each file holds its bytes until its commit.
 * Source files are small; the budget is for the folder full of generated megabyte files.
 */
export class ByteBudget {
  readonly #limit: number;
  #used = 0;
  readonly #waiting: Array<{ bytes: number; grant: () => void }> = [];

  constructor(limit: number) {
    this.#limit = Math.max(1, limit);
  }

  /** Resolves once `bytes` fit. Something larger than the whole budget waits until nothing else is held. */
  reserve(bytes: number): Promise<void> {
    if (this.#waiting.length === 0 && this.#fits(bytes)) {
      this.#used += bytes;
      return Promise.resolve();
    }
    return new Promise((grant) => this.#waiting.push({ bytes, grant }));
  }

  release(bytes: number): void {
    this.#used = Math.max(0, this.#used - bytes);
    // First come, first served: a large file is not overtaken forever by small ones.
    while (this.#waiting.length > 0 && this.#fits(this.#waiting[0]!.bytes)) {
      const next = this.#waiting.shift()!;
      this.#used += next.bytes;
      next.grant();
    }
  }

  get used(): number {
    return this.#used;
  }

  #fits(bytes: number): boolean {
    return this.#used === 0 || this.#used + bytes <= this.#limit;
  }
}
