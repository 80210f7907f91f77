/**
 * Where a retrieval worker's entry file is. Run from source (Node strips the types), it is the
 * sibling `.ts` module; in the esbuild bundles it is `retrieval-<name>.cjs` next to the bundle
 * that spawns it (esbuild.js builds those entries).
 */
export function workerEntryUrl(name: string, moduleUrl: string): URL {
  if (moduleUrl.endsWith('.ts')) return new URL(`./${name}.ts`, moduleUrl);
  return new URL(`./retrieval-${name}.cjs`, moduleUrl);
}
