/**
 * Messages between a worker-backed sandbox (host side) and its worker. Both runtimes (Pyodide,
 * QuickJS) speak the same run protocol; only their start-up data differs.
 *
 * Interrupts travel through a shared Int32Array, not a message, because a busy worker reads no
 * messages: slot 0 is Pyodide's signal slot (2 = SIGINT), slot 1 says why it was raised.
 */
import type { SandboxFile, SandboxRunResult } from '../../ports/codeInterpreter.ts';
import type { WasmModule } from './wasmApi.ts';

export const SIGNAL_SLOT = 0;
export const REASON_SLOT = 1;
export const SIGINT = 2;
export const CONTROL_BYTES = 8;

/** Why the running cell was interrupted. */
export const INTERRUPT_REASON = { none: 0, timeout: 1, abort: 2, output: 3 } as const;

export interface RunLimits {
  maxLogBytes: number;
  maxOutputBytes: number;
  maxFileBytes: number;
  maxFilesPerRun: number;
}

export interface PyodideWorkerInit {
  kind: 'pyodide';
  /** Directory holding pyodide.mjs, pyodide.asm.mjs/.wasm, python_stdlib.zip, pyodide-lock.json. */
  pyodideDir: string;
  /** Compiled, memory-capped module from an earlier worker; compiled here when absent. */
  wasmModule?: WasmModule;
  /** Memory snapshot taken right after an earlier worker started, before any user code ran. */
  snapshot?: Uint8Array;
  makeSnapshot: boolean;
  memoryMb: number;
  control: SharedArrayBuffer;
  /** Python modules placed on sys.path (file name -> source). */
  helpers: Record<string, string>;
  /** Pyodide packages to load before the lockdown (only ever before any user code runs). */
  packages: string[];
  /** Where package wheels are looked up (and cached when downloads are allowed). */
  packageCacheDir?: string;
}

export interface QuickJsWorkerInit {
  kind: 'quickjs';
  /** emscripten-module.wasm of quickjs-emscripten's release-sync variant; the package's own when absent. */
  wasmPath?: string;
  memoryMb: number;
  control: SharedArrayBuffer;
}

export type WorkerInit = PyodideWorkerInit | QuickJsWorkerInit;

export interface RunMessage {
  type: 'run';
  id: number;
  code: string;
  files: SandboxFile[];
  limits: RunLimits;
}

export interface ReadyMessage {
  type: 'ready';
  wasmModule?: WasmModule;
  snapshot?: Uint8Array;
  /** Packages that failed to load, with Pyodide's reason. */
  packageErrors?: string[];
}

export interface ResultMessage {
  type: 'result';
  id: number;
  result: SandboxRunResult;
  /** Names (images included) now in /mnt/data because of this cell, and names it deleted there. */
  saved: string[];
  removed: string[];
  /** Set when the runtime can no longer be trusted to run another cell. */
  broken?: string;
}

export interface FatalMessage {
  type: 'fatal';
  message: string;
}

export type WorkerMessage = ReadyMessage | ResultMessage | FatalMessage;
