/**
 * What Python sessions on Pyodide share in one extension host: where the files are, the
 * compiled (memory-capped) wasm module and a memory snapshot of a freshly started interpreter
 * (the last two shared by every runtime in the process with the same files and memory cap).
 * The first session pays the cold start (several seconds); later ones start from the snapshot.
 * The snapshot is taken before any user code has run, so no session ever inherits another's state.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PyodidePackageIndex } from './pyodidePackages.ts';
import { interpreterPaths, type InterpreterPaths } from './interpreterPaths.ts';
import type { PackagePlan, WorkerRuntime } from './workerSandbox.ts';
import { startWorker, type StartedWorker } from './workerThread.ts';
import type { PyodideWorkerInit } from './worker/protocol.ts';
import type { WasmModule } from './worker/wasmApi.ts';

export interface PyodideRuntimeOptions {
  paths?: Partial<InterpreterPaths>;
  /** Wasm heap cap for Python (MemoryError past it). */
  memoryMb: number;
  /** V8 heap of the worker thread itself. */
  heapMb?: number;
  startTimeoutMs?: number;
  /** Where downloaded wheels are kept; they are used from there even with downloads off. */
  packageCacheDir?: string;
  /** Fetch missing packages from Pyodide's CDN (needs a packageCacheDir and a network). */
  allowPackageDownloads?: boolean;
  /** Start later sessions from a memory snapshot (about 31 MB held in memory). */
  useSnapshot?: boolean;
}

const HELPER_FILES = ['tw_harness.py', 'twchart.py'];

/**
 * Compiled module and snapshot depend only on Pyodide's files and the memory cap, so runtimes
 * share them (a host rebuilt after a settings change starts warm). Keyed by directory and cap.
 */
interface StartCache {
  wasmModule?: WasmModule;
  snapshot?: Uint8Array;
  /** The start that is filling the cache; others wait for it rather than all starting cold. */
  filling?: Promise<unknown>;
}
const startCaches = new Map<string, StartCache>();

export class PyodideRuntime implements WorkerRuntime {
  readonly language = 'Python';
  readonly #options: PyodideRuntimeOptions;
  readonly #paths: InterpreterPaths;
  #helpers: Record<string, string> | undefined;
  #packages: PyodidePackageIndex | undefined;
  readonly #cache: StartCache;

  constructor(options: PyodideRuntimeOptions) {
    this.#options = options;
    this.#paths = interpreterPaths(options.paths);
    const key = `${this.#paths.pyodideDir}|${options.memoryMb}`;
    this.#cache = startCaches.get(key) ?? {};
    startCaches.set(key, this.#cache);
  }

  get hasSnapshot(): boolean {
    return this.#cache.snapshot !== undefined;
  }

  async start(control: SharedArrayBuffer, packages: string[]): Promise<StartedWorker> {
    const cache = this.#cache;
    while (cache.filling) await cache.filling.catch(() => undefined);
    const useSnapshot = this.#options.useSnapshot ?? true;
    const init: PyodideWorkerInit = {
      kind: 'pyodide',
      pyodideDir: this.#paths.pyodideDir,
      makeSnapshot: useSnapshot && !cache.snapshot,
      memoryMb: this.#options.memoryMb,
      control,
      helpers: this.#helperSources(),
      packages,
      ...(cache.wasmModule ? { wasmModule: cache.wasmModule } : {}),
      ...(useSnapshot && cache.snapshot ? { snapshot: cache.snapshot } : {}),
      ...(this.#options.packageCacheDir ? { packageCacheDir: this.#options.packageCacheDir } : {}),
    };
    const starting = startWorker(this.#paths.workerPath, init, { heapMb: this.#options.heapMb ?? 256, startTimeoutMs: this.#options.startTimeoutMs ?? 120_000 });
    if (!cache.wasmModule || init.makeSnapshot) cache.filling = starting;
    try {
      const started = await starting;
      cache.wasmModule ??= started.ready.wasmModule;
      cache.snapshot ??= started.ready.snapshot;
      if (packages.length > 0 && started.ready.packageErrors && started.ready.packageErrors.length > 0) {
        await started.worker.terminate();
        throw new Error(summarizePackageErrors(started.ready.packageErrors));
      }
      return started;
    } finally {
      if (cache.filling === starting) cache.filling = undefined;
    }
  }

  planPackages(code: string, loaded: ReadonlySet<string>): PackagePlan {
    this.#packages ??= new PyodidePackageIndex(join(this.#paths.pyodideDir, 'pyodide-lock.json'), [
      this.#paths.pyodideDir,
      ...(this.#options.packageCacheDir ? [this.#options.packageCacheDir] : []),
    ]);
    const index = this.#packages;
    const missing = index.packagesFor(code).filter((name) => !loaded.has(name));
    if (missing.length === 0) return { kind: 'ready' };
    const names = index.importNamesOf(missing).filter((name) => new RegExp(`\\b${name}\\b`).test(code));
    const shown = names.length > 0 ? names : missing;
    const downloads = this.#options.allowPackageDownloads === true && this.#options.packageCacheDir !== undefined;
    if (downloads || index.availableLocally(missing)) return { kind: 'load', packages: missing, names: shown };
    const list = shown.join(', ');
    return {
      kind: 'unavailable',
      note:
        `[sandbox] ${list} ${shown.length === 1 ? 'is' : 'are'} not available in this sandbox: offline, Pyodide has only the Python standard library, and package downloads are off. ` +
        'For tables use csv and statistics; for charts use twchart (import twchart; help(twchart)).',
      hint: `${list} is not available offline here; use csv/statistics, and twchart for charts`,
    };
  }

  #helperSources(): Record<string, string> {
    this.#helpers ??= Object.fromEntries(HELPER_FILES.map((name) => [name, readFileSync(join(this.#paths.pythonHelpersDir, name), 'utf8')]));
    return this.#helpers;
  }
}

/** Pyodide reports "The following error occurred while loading x:" then the reason, per package. */
function summarizePackageErrors(errors: string[]): string {
  const reasons = [...new Set(errors.filter((line) => !/^The following error occurred while loading/.test(line)).map((line) => line.trim()))];
  return reasons.join('; ') || errors.join('; ');
}
