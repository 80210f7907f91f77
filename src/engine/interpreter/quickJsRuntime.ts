/**
 * JavaScript sessions: QuickJS compiled to wasm, in a worker thread (a busy loop never holds the
 * extension host). The VM has its own heap limit and reads the shared interrupt slot, so a
 * timeout interrupts the cell and keeps the session's variables.
 */
import { interpreterPaths, type InterpreterPaths } from './interpreterPaths.ts';
import type { WorkerRuntime } from './workerSandbox.ts';
import { startWorker, type StartedWorker } from './workerThread.ts';
import type { QuickJsWorkerInit } from './worker/protocol.ts';

export interface QuickJsRuntimeOptions {
  paths?: Partial<InterpreterPaths>;
  /** QuickJS heap limit (the VM reports "out of memory" past it). */
  memoryMb: number;
  startTimeoutMs?: number;
}

export class QuickJsRuntime implements WorkerRuntime {
  readonly language = 'JavaScript';
  readonly #options: QuickJsRuntimeOptions;
  readonly #paths: InterpreterPaths;

  constructor(options: QuickJsRuntimeOptions) {
    this.#options = options;
    this.#paths = interpreterPaths(options.paths);
  }

  start(control: SharedArrayBuffer): Promise<StartedWorker> {
    const init: QuickJsWorkerInit = {
      kind: 'quickjs',
      memoryMb: this.#options.memoryMb,
      control,
      ...(this.#paths.quickJsWasmPath ? { wasmPath: this.#paths.quickJsWasmPath } : {}),
    };
    // The VM's heap lives in wasm memory; the worker's own V8 heap only needs room for glue.
    return startWorker(this.#paths.workerPath, init, { heapMb: 96, startTimeoutMs: this.#options.startTimeoutMs ?? 30_000 });
  }
}
