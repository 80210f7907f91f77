/**
 * A session backed by a worker thread (Pyodide or QuickJS), seen from the host.
 *
 * The host never waits on the worker synchronously: a cell past its time limit (or aborted) is
 * first interrupted through shared memory, which keeps the session's variables; if it does not
 * stop within the grace period the thread is terminated and the next call starts a new one.
 * /mnt/data is mirrored here, so a restarted session gets its files back.
 */
import type { Worker } from 'node:worker_threads';
import type { CodeSandbox, SandboxErrorKind, SandboxFile, SandboxRunRequest, SandboxRunResult } from '../ports/codeInterpreter.ts';
import type { SandboxLimits } from './limits.ts';
import { assertSafeNames, isSafeRelativeName } from './outputFiles.ts';
import { joinLogs } from './outputCollector.ts';
import type { StartedWorker } from './workerThread.ts';
import { CONTROL_BYTES, INTERRUPT_REASON, REASON_SLOT, SIGINT, SIGNAL_SLOT, type ResultMessage, type RunMessage, type WorkerMessage } from './worker/protocol.ts';

/** What a cell needs loaded first (Pyodide packages); `note` explains an unavailable one. */
export type PackagePlan =
  | { kind: 'ready' }
  | { kind: 'unavailable'; note: string; hint: string }
  | { kind: 'load'; packages: string[]; names: string[] };

export interface WorkerRuntime {
  /** "Python" or "JavaScript", for messages. */
  readonly language: string;
  start(control: SharedArrayBuffer, packages: string[]): Promise<StartedWorker>;
  planPackages?(code: string, loaded: ReadonlySet<string>): PackagePlan;
}

interface ActiveWorker {
  worker: Worker;
  control: Int32Array;
  packages: Set<string>;
  ranUserCode: boolean;
  /** The mirror's byte arrays this worker already holds, by name. */
  holds: Map<string, Uint8Array>;
  exited: boolean;
}

type Exchange =
  | { kind: 'result'; message: ResultMessage }
  | { kind: 'killed' }
  | { kind: 'crashed'; detail: string; outOfMemory: boolean };

const sameBytes = (a: Uint8Array | undefined, b: Uint8Array): boolean =>
  a !== undefined && a.length === b.length && Buffer.from(a.buffer, a.byteOffset, a.length).equals(Buffer.from(b.buffer, b.byteOffset, b.length));

const failure = (kind: SandboxErrorKind, message: string, logs = ''): SandboxRunResult => ({ logs, images: [], files: [], error: { kind, message } });

export class WorkerSandbox implements CodeSandbox {
  readonly #runtime: WorkerRuntime;
  readonly #limits: SandboxLimits;
  readonly #files = new Map<string, Uint8Array>();
  #active: ActiveWorker | undefined;
  #queue: Promise<unknown> = Promise.resolve();
  #nextId = 0;
  #disposed = false;
  /** Said once, on the first call after a session was lost between calls. */
  #lostNote: string | undefined;

  constructor(runtime: WorkerRuntime, limits: SandboxLimits) {
    this.#runtime = runtime;
    this.#limits = limits;
  }

  run(request: SandboxRunRequest, signal: AbortSignal): Promise<SandboxRunResult> {
    const next = this.#queue.then(() => this.#runNow(request, signal));
    this.#queue = next.catch(() => undefined);
    return next;
  }

  async dispose(): Promise<void> {
    this.#disposed = true;
    const active = this.#active;
    this.#active = undefined;
    if (active) await active.worker.terminate();
  }

  async #start(packages: string[]): Promise<ActiveWorker> {
    const control = new SharedArrayBuffer(CONTROL_BYTES);
    const { worker } = await this.#runtime.start(control, packages);
    if (this.#disposed) {
      await worker.terminate();
      throw new Error('This code interpreter session was closed.');
    }
    const active: ActiveWorker = { worker, control: new Int32Array(control), packages: new Set(packages), ranUserCode: false, holds: new Map(), exited: false };
    worker.on('exit', () => {
      active.exited = true;
      if (this.#active === active) {
        this.#active = undefined;
        if (active.ranUserCode) this.#lostNote = `[sandbox] The previous ${this.#runtime.language} session had stopped; this is a fresh one (variables from earlier cells are gone, files in /mnt/data were kept).`;
      }
    });
    worker.on('error', () => {});
    return active;
  }

  async #runNow(request: SandboxRunRequest, signal: AbortSignal): Promise<SandboxRunResult> {
    if (this.#disposed) throw new Error('This code interpreter session was closed.');
    signal.throwIfAborted();
    assertSafeNames(request.files);
    for (const file of request.files) if (!sameBytes(this.#files.get(file.name), file.bytes)) this.#files.set(file.name, file.bytes);

    const notes: string[] = [];
    if (!this.#active) {
      try {
        this.#active = await this.#start([]);
      } catch (error) {
        return failure('unavailable', `The ${this.#runtime.language} sandbox could not start: ${error instanceof Error ? error.message : String(error)}`);
      }
      if (this.#lostNote) notes.push(this.#lostNote);
      this.#lostNote = undefined;
    }
    let hint = '';
    const plan = this.#runtime.planPackages?.(request.code, this.#active.packages) ?? { kind: 'ready' };
    if (plan.kind === 'unavailable') {
      notes.push(plan.note);
      hint = plan.hint;
    } else if (plan.kind === 'load') {
      const loaded = await this.#restartWithPackages(plan);
      notes.push(loaded.note);
      hint = loaded.hint;
    }
    signal.throwIfAborted();

    const active = this.#active;
    const send: SandboxFile[] = [];
    for (const [name, bytes] of this.#files) if (active.holds.get(name) !== bytes) send.push({ name, bytes });
    const exchange = await this.#exchange(active, request.code, send, signal);
    for (const file of send) active.holds.set(file.name, file.bytes);
    active.ranUserCode = true;
    const result = this.#finish(active, exchange, notes, hint);
    signal.throwIfAborted();
    return result;
  }

  async #restartWithPackages(plan: { packages: string[]; names: string[] }): Promise<{ note: string; hint: string }> {
    const current = this.#active!;
    const wanted = [...new Set([...current.packages, ...plan.packages])].sort();
    const names = plan.names.join(', ');
    try {
      const next = await this.#start(wanted);
      this.#active = next;
      await current.worker.terminate();
      const note = current.ranUserCode
        ? `[sandbox] Loaded ${names}; the Python session restarted to load it, so variables from earlier cells are gone (files in /mnt/data were kept).`
        : `[sandbox] Loaded ${names}.`;
      return { note, hint: '' };
    } catch (error) {
      const reason = (error instanceof Error ? error.message : String(error)).split('\n')[0];
      return {
        note: `[sandbox] Could not load ${names} from Pyodide's package index (${reason}); it is not available in this sandbox right now.`,
        hint: `${names} could not be downloaded; use the standard library, and twchart for charts`,
      };
    }
  }

  #exchange(active: ActiveWorker, code: string, files: SandboxFile[], signal: AbortSignal): Promise<Exchange> {
    const { worker, control } = active;
    const id = ++this.#nextId;
    if (active.exited) return Promise.resolve({ kind: 'crashed', detail: 'the worker had exited', outOfMemory: false });
    return new Promise<Exchange>((resolve) => {
      let killTimer: NodeJS.Timeout | undefined;
      const finish = (exchange: Exchange): void => {
        clearTimeout(timer);
        clearTimeout(killTimer);
        signal.removeEventListener('abort', onAbort);
        worker.off('message', onMessage);
        worker.off('error', onError);
        worker.off('exit', onExit);
        resolve(exchange);
      };
      const interrupt = (reason: number): void => {
        if (killTimer) return;
        Atomics.store(control, REASON_SLOT, reason);
        Atomics.store(control, SIGNAL_SLOT, SIGINT);
        killTimer = setTimeout(() => {
          void worker.terminate();
          finish({ kind: 'killed' });
        }, this.#limits.killGraceMs);
      };
      const timer = setTimeout(() => interrupt(INTERRUPT_REASON.timeout), this.#limits.timeoutMs);
      const onAbort = (): void => interrupt(INTERRUPT_REASON.abort);
      const onMessage = (message: WorkerMessage): void => {
        if (message.type === 'result' && message.id === id) finish({ kind: 'result', message });
        else if (message.type === 'fatal') finish({ kind: 'crashed', detail: message.message, outOfMemory: false });
      };
      const onError = (error: Error & { code?: string }): void =>
        finish({ kind: 'crashed', detail: error.message, outOfMemory: error.code === 'ERR_WORKER_OUT_OF_MEMORY' });
      const onExit = (): void => finish({ kind: 'crashed', detail: 'the worker exited', outOfMemory: false });
      signal.addEventListener('abort', onAbort, { once: true });
      worker.on('message', onMessage);
      worker.on('error', onError);
      worker.on('exit', onExit);
      const { maxLogBytes, maxOutputBytes, maxFileBytes, maxFilesPerRun } = this.#limits;
      const run: RunMessage = { type: 'run', id, code, files, limits: { maxLogBytes, maxOutputBytes, maxFileBytes, maxFilesPerRun } };
      worker.postMessage(run);
    });
  }

  #finish(active: ActiveWorker, exchange: Exchange, notes: string[], hint: string): SandboxRunResult {
    const language = this.#runtime.language;
    const seconds = Math.round(this.#limits.timeoutMs / 1000);
    const restarted = 'the session was restarted, so variables from earlier cells are gone (files in /mnt/data were kept)';
    const after: string[] = [];
    const withNotes = (result: SandboxRunResult): SandboxRunResult => ({ ...result, logs: joinLogs(notes, result.logs, after) });

    if (exchange.kind !== 'result') {
      this.#drop(active);
      if (exchange.kind === 'killed') {
        return withNotes(failure('timeout', `The cell ran past the ${seconds} s time limit and did not stop when interrupted; ${restarted}.`));
      }
      const kind = exchange.outOfMemory ? 'memory' : 'runtime';
      const what = exchange.outOfMemory ? `ran out of memory` : `crashed (${exchange.detail.split('\n')[0]})`;
      return withNotes(failure(kind, `The ${language} runtime ${what}; ${restarted}.`));
    }

    const { saved, removed, broken } = exchange.message;
    // The worker runs untrusted code: names it reports are checked like any other input.
    const safe = <T extends { name: string }>(items: T[]): T[] => items.filter((item) => isSafeRelativeName(item.name));
    const result = { ...exchange.message.result, images: safe(exchange.message.result.images), files: safe(exchange.message.result.files) };
    const returned = new Map<string, Uint8Array>([...result.images, ...result.files].map((file) => [file.name, file.bytes]));
    for (const name of saved.filter(isSafeRelativeName)) {
      const bytes = returned.get(name);
      if (bytes) {
        this.#files.set(name, bytes);
        active.holds.set(name, bytes);
      }
    }
    for (const name of removed) {
      this.#files.delete(name);
      active.holds.delete(name);
    }
    let error = result.error;
    if (error?.kind === 'timeout') error = { kind: 'timeout', message: `The cell ran past the ${seconds} s time limit and was interrupted; variables from earlier cells are kept.` };
    if (error?.kind === 'runtime' && hint && error.message.includes('ModuleNotFoundError')) error = { kind: 'runtime', message: `${error.message} (${hint})` };
    if (broken) {
      this.#drop(active);
      after.push(`[sandbox] The ${language} runtime could not continue (${broken}); ${restarted}.`);
    }
    return withNotes({ ...result, ...(error ? { error } : {}) });
  }

  #drop(active: ActiveWorker): void {
    if (this.#active === active) this.#active = undefined;
    if (!active.exited) void active.worker.terminate();
  }
}
