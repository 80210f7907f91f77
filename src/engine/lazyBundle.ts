/**
 * Loads a heavy module on first use instead of with the code that imports it. Run from source
 * (`.ts`), the module is required as it is; in the esbuild bundles it is its own file beside the
 * calling bundle (esbuild.js builds one entry per lazy module), so activation never evaluates it.
 */
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

/** Whether the caller (`import.meta.url`) runs from source rather than from a bundle. */
export function runsFromSource(callerUrl: string): boolean {
  return callerUrl.endsWith('.ts');
}

/**
 * `sourceModule` (relative to the caller) when run from source, else `bundleFile` beside the bundle.
 * A local `require`, so the bundler leaves the file to be read at run time.
 */
export function requireLazyModule<T>(callerUrl: string, sourceModule: string, bundleFile: string): T {
  const requireHere = createRequire(callerUrl);
  return requireHere(runsFromSource(callerUrl) ? sourceModule : fileURLToPath(new URL(`./${bundleFile}`, callerUrl))) as T;
}
