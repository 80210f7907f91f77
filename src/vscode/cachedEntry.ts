/**
 * The extension's `main`: a few lines that load the real bundle (dist/extension.cjs) through a V8
 * code cache kept in the extension's storage. Compiling the bundle was most of the activation time
 * left once the heavy work had been made lazy; with the cache, a window after the first skips it.
 * The cache is keyed by the bundle's size and date and the runtime's version, so an update or a
 * different VS Code simply compiles once more; a rejected cache is rewritten. Nothing here is global:
 * only this extension's bundle goes through the cache.
 *
 * The bundle is loaded and wired one event-loop turn after `activate` returns, not inside it: VS Code
 * activates every onStartupFinished extension in one batch and calls their `activate`s one after
 * another, so a synchronous `activate` holds back the rest of the batch (and is what VS Code's
 * activation figure counts). The same work still runs, a turn later, once the batch is through.
 * Nothing waits on it wrongly: VS Code runs a contributed command, resolves a view or reports the
 * extension as active only once the promise `activate` returns has settled, i.e. once everything
 * is registered.
 */
import { mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Script } from 'node:vm';
import type * as vscode from 'vscode';

/** How the bundle was loaded, handed to `activate` so the output channel can say where activation time went. */
export interface CodeLoading {
  /** Reading, compiling (or deserializing) and evaluating the bundle's top level. */
  ms: number;
  /** 'used': compiled code came from the cache; 'written': none yet, one is written shortly; 'rejected': the cache did not fit and is rewritten. */
  cache: 'used' | 'written' | 'rejected';
}

interface ExtensionModule {
  activate(context: vscode.ExtensionContext, loading?: CodeLoading): unknown;
  deactivate?(): unknown;
}

/** Written a little after activation, so the functions activation ran are in the cache compiled. */
const WRITE_DELAY_MS = 3_000;

let loaded: ExtensionModule | undefined;

export function activate(context: vscode.ExtensionContext): Promise<unknown> {
  return new Promise((resolve, reject) => {
    setImmediate(() => {
      try {
        resolve(loadAndActivate(context));
      } catch (error) {
        reject(error instanceof Error ? error : new Error(String(error)));
      }
    });
  });
}

function loadAndActivate(context: vscode.ExtensionContext): unknown {
  const started = performance.now();
  const bundle = fileURLToPath(new URL('./extension.cjs', import.meta.url));
  const { exports, cache } = loadWithCodeCache(bundle, join(context.globalStorageUri.fsPath, 'code-cache'));
  loaded = exports;
  return loaded.activate(context, { ms: performance.now() - started, cache });
}

/** Before the bundle has loaded there is nothing to undo: VS Code disposes `context.subscriptions`. */
export function deactivate(): unknown {
  return loaded?.deactivate?.();
}

function loadWithCodeCache(file: string, cacheDir: string): { exports: ExtensionModule; cache: CodeLoading['cache'] } {
  const source = readFileSync(file, 'utf8');
  const { size, mtimeMs } = statSync(file);
  const cacheFile = join(cacheDir, `extension-${size}-${Math.round(mtimeMs)}-${process.versions.v8}.bin`);
  let cachedData: Buffer | undefined;
  try {
    cachedData = readFileSync(cacheFile);
  } catch {
    // First load of this bundle on this runtime.
  }
  // The wrapper sits on a line of its own, so stack traces keep the bundle's line numbers.
  const script = new Script(`(function (exports, require, module, __filename, __dirname) {\n${source}\n})`, {
    filename: file,
    lineOffset: -1,
    ...(cachedData ? { cachedData } : {}),
  });
  const module = { exports: {} as ExtensionModule };
  (script.runInThisContext() as (...args: unknown[]) => void)(module.exports, createRequire(file), module, file, dirname(file));
  const cache = !cachedData ? 'written' : script.cachedDataRejected ? 'rejected' : 'used';
  if (cache !== 'used') setTimeout(() => writeCache(script, cacheDir, cacheFile), WRITE_DELAY_MS).unref();
  return { exports: module.exports, cache };
}

function writeCache(script: Script, cacheDir: string, cacheFile: string): void {
  try {
    mkdirSync(cacheDir, { recursive: true });
    for (const old of readdirSync(cacheDir)) if (join(cacheDir, old) !== cacheFile) rmSync(join(cacheDir, old), { force: true });
    writeFileSync(cacheFile, script.createCachedData());
  } catch {
    // A cache is an optimisation: without one the next window compiles again.
  }
}
