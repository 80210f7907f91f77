/**
 * One long-lived `bwrap ... python3 tw_local_runner.py` process and the framing around its
 * cells (see the protocol in python/tw_local_runner.py). Output between sending a cell and its
 * end markers belongs to that cell; anything a background thread prints between cells is dropped.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import type { Readable, Writable } from 'node:stream';
import type { OutputCollector } from '../outputCollector.ts';

export type CellOutcome =
  | { kind: 'status'; status: string; message: string }
  | { kind: 'exited'; code: number | null; signal: NodeJS.Signals | null; stderrTail: string };

interface Cell {
  nonce: string;
  marker: Buffer;
  collector: OutputCollector;
  onOutput: () => void;
  status?: { kind: string; message: string };
  streamsDone: number;
  resolve: (outcome: CellOutcome) => void;
}

/** How many trailing bytes of `buffer` could be the start of `marker` (and so must wait). */
function heldBack(buffer: Buffer, marker: Buffer): number {
  for (let length = Math.min(buffer.length, marker.length - 1); length > 0; length -= 1) {
    if (buffer.subarray(buffer.length - length).equals(marker.subarray(0, length))) return length;
  }
  return 0;
}

/** Cuts one stream at the current cell's end marker, holding back a possible marker prefix. */
class MarkedStream {
  #pending = Buffer.alloc(0);
  readonly #owner: RunnerProcess;
  constructor(owner: RunnerProcess, stream: Readable) {
    this.#owner = owner;
    stream.on('data', (chunk: Buffer) => this.#take(chunk));
  }

  #take(chunk: Buffer): void {
    const cell = this.#owner.currentCell;
    if (!cell) return;
    const buffer = this.#pending.length > 0 ? Buffer.concat([this.#pending, chunk]) : chunk;
    const end = buffer.indexOf(cell.marker);
    if (end >= 0) {
      this.#pending = Buffer.alloc(0);
      if (end > 0) cell.collector.write(buffer.subarray(0, end));
      cell.onOutput();
      cell.streamsDone += 1;
      this.#owner.maybeFinish();
      return;
    }
    const keep = heldBack(buffer, cell.marker);
    const emit = buffer.subarray(0, buffer.length - keep);
    this.#pending = Buffer.from(buffer.subarray(buffer.length - keep));
    if (emit.length > 0) {
      cell.collector.write(emit);
      cell.onOutput();
    }
  }

  reset(): void {
    this.#pending = Buffer.alloc(0);
  }
}

export class RunnerProcess {
  readonly #child: ChildProcess;
  readonly #streams: MarkedStream[];
  #cell: Cell | undefined;
  #statusText = '';
  #stderrTail = '';
  #exited = false;

  constructor(bwrapPath: string, args: string[]) {
    this.#child = spawn(bwrapPath, args, {
      stdio: ['pipe', 'pipe', 'pipe', 'pipe', 'pipe'],
      detached: true,
      env: { PATH: '/usr/bin:/bin' },
    });
    const [stdin, stdout, stderr, status, control] = this.#child.stdio as [Writable, Readable, Readable, Readable, Writable];
    stdin.on('error', () => {});
    control.on('error', () => {});
    stderr.on('data', (chunk: Buffer) => {
      this.#stderrTail = (this.#stderrTail + chunk.toString('utf8')).slice(-2000);
    });
    this.#streams = [new MarkedStream(this, stdout), new MarkedStream(this, stderr)];
    status.on('data', (chunk: Buffer) => this.#onStatus(chunk));
    this.#child.on('error', (error) => this.#onExit(null, null, error.message));
    this.#child.on('exit', (code, signal) => this.#onExit(code, signal, ''));
  }

  get currentCell(): Cell | undefined {
    return this.#cell;
  }

  get exited(): boolean {
    return this.#exited;
  }

  runCell(code: string, collector: OutputCollector, onOutput: () => void): Promise<CellOutcome> {
    if (this.#exited) return Promise.resolve({ kind: 'exited', code: null, signal: null, stderrTail: this.#stderrTail });
    const nonce = randomBytes(12).toString('hex');
    return new Promise<CellOutcome>((resolve) => {
      for (const stream of this.#streams) stream.reset();
      this.#cell = { nonce, marker: Buffer.from(`TWEND${nonce}`), collector, onOutput, streamsDone: 0, resolve };
      (this.#child.stdio[0] as Writable).write(`${JSON.stringify({ code, nonce })}\n`);
    });
  }

  /** Raises KeyboardInterrupt in the running cell (the session keeps its variables). */
  interrupt(): void {
    if (!this.#exited) (this.#child.stdio[4] as Writable).write('i');
  }

  /** Kills bwrap's whole process group; the sandbox's pid namespace goes with it. */
  kill(): void {
    if (this.#exited || this.#child.pid === undefined) return;
    try {
      process.kill(-this.#child.pid, 'SIGKILL');
    } catch {
      this.#child.kill('SIGKILL');
    }
  }

  maybeFinish(): void {
    const cell = this.#cell;
    if (!cell?.status || cell.streamsDone < 2) return;
    this.#cell = undefined;
    cell.resolve({ kind: 'status', status: cell.status.kind, message: cell.status.message });
  }

  #onStatus(chunk: Buffer): void {
    this.#statusText += chunk.toString('utf8');
    let newline = this.#statusText.indexOf('\n');
    while (newline >= 0) {
      const line = this.#statusText.slice(0, newline);
      this.#statusText = this.#statusText.slice(newline + 1);
      try {
        const parsed = JSON.parse(line) as { nonce?: string; kind?: string; message?: string };
        if (this.#cell && parsed.nonce === this.#cell.nonce) this.#cell.status = { kind: String(parsed.kind ?? ''), message: String(parsed.message ?? '') };
      } catch {
        // a line the cell's own code wrote to fd 3: not a status
      }
      newline = this.#statusText.indexOf('\n');
    }
    this.maybeFinish();
  }

  #onExit(code: number | null, signal: NodeJS.Signals | null, error: string): void {
    if (this.#exited) return;
    this.#exited = true;
    const cell = this.#cell;
    this.#cell = undefined;
    cell?.resolve({ kind: 'exited', code, signal, stderrTail: `${this.#stderrTail}${error}`.trim() });
  }
}
