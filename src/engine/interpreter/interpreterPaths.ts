/**
 * Where the interpreter's parts live. From the source tree (tests, benches) the defaults find
 * them next to this file and in node_modules; the extension bundle passes
 * `bundledInterpreterPaths(<extension>/dist)` because its layout is different (see the
 * packaging note in src/engine/interpreter/README.md).
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export interface InterpreterPaths {
  /** The worker entry: worker/interpreterWorker.ts here, dist/interpreterWorker.cjs when bundled. */
  workerPath: string | URL;
  /** pyodide.mjs, pyodide.asm.mjs, pyodide.asm.wasm, python_stdlib.zip, pyodide-lock.json. */
  pyodideDir: string;
  /** tw_harness.py, twchart.py, tw_local_runner.py, tw_mpl_backend.py. */
  pythonHelpersDir: string;
  /** QuickJS's emscripten-module.wasm (release-sync); the installed package's when absent. */
  quickJsWasmPath?: string;
}

export function interpreterPaths(overrides: Partial<InterpreterPaths> = {}): InterpreterPaths {
  // Inside a bundle (dist/cli.cjs, dist/extension.cjs) this module's URL is the bundle's, and the
  // worker and runtimes sit beside it; `threadwork serve` and the in-editor server rely on this.
  const here = dirname(fileURLToPath(import.meta.url));
  if (Object.keys(overrides).length === 0 && existsSync(join(here, 'interpreterWorker.cjs'))) return bundledInterpreterPaths(here);
  const paths: InterpreterPaths = {
    workerPath: overrides.workerPath ?? new URL('./worker/interpreterWorker.ts', import.meta.url),
    pyodideDir: overrides.pyodideDir ?? dirname(createRequire(import.meta.url).resolve('pyodide/package.json')),
    pythonHelpersDir: overrides.pythonHelpersDir ?? fileURLToPath(new URL('./python/', import.meta.url)),
  };
  if (overrides.quickJsWasmPath) paths.quickJsWasmPath = overrides.quickJsWasmPath;
  return paths;
}

export function bundledInterpreterPaths(distDir: string): InterpreterPaths {
  return {
    workerPath: join(distDir, 'interpreterWorker.cjs'),
    pyodideDir: join(distDir, 'pyodide'),
    pythonHelpersDir: join(distDir, 'python'),
    quickJsWasmPath: join(distDir, 'quickjs', 'emscripten-module.wasm'),
  };
}
