// Bundles from one set of options: the extension (node, cjs, vscode external), the CLI (node, cjs,
// the same engine without vscode), the webview (browser, iife) and the engine's worker threads.
import * as esbuild from 'esbuild';
import { cpSync, mkdirSync } from 'node:fs';
import { isBuiltin } from 'node:module';

const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');

const base = {
  bundle: true,
  sourcemap: !production,
  minify: production,
  logLevel: 'info',
  legalComments: 'none',
};

// Each `import … from 'vscode'` (or a Node built-in) in an ES module becomes its own
// `__toESM(require(…))` in a CommonJS bundle, which copies every property of the module: `vscode`'s
// few hundred, 33 times over, during activation. Routing them through one small ES module per name
// makes that copy once; every importer then reads the shared namespace.
const sharedExternals = {
  name: 'shared-externals',
  setup(build) {
    const shared = (path) => path === 'vscode' || isBuiltin(path);
    build.onResolve({ filter: /^[a-z0-9:_/]+$/ }, (args) => {
      if (!shared(args.path)) return undefined;
      if (args.namespace === 'shared-external') return { path: args.path, external: true };
      return { path: args.path, namespace: 'shared-external' };
    });
    build.onLoad({ filter: /.*/, namespace: 'shared-external' }, (args) => ({
      // The default import is the CommonJS `module.exports` itself, as `__toESM` would have made it.
      contents: `export * from '${args.path}';\nexport default require('${args.path}');\n`,
      loader: 'js',
    }));
  },
};

const node = {
  ...base,
  platform: 'node',
  format: 'cjs',
  target: 'node22',
  // Loaded at run time only where present (see src/engine/store/sqlite.ts and the interpreter).
  external: ['vscode', 'pyodide', 'quickjs-emscripten', '@vscode/ripgrep', '@vscode/tree-sitter-wasm'],
  // The bundles are CommonJS; `import.meta.url` is rewritten to the bundle's own file URL.
  define: { 'import.meta.url': 'importMetaUrl' },
  inject: ['scripts/import-meta-url.js'],
  plugins: [sharedExternals],
};

const builds = [
  { ...node, entryPoints: ['src/extension.ts'], outfile: 'dist/extension.cjs' },
  // package.json's `main`: loads extension.cjs through a V8 code cache (src/vscode/cachedEntry.ts).
  // Its few named imports of built-ins need no shared copy: plain `require`s keep its own load (on VS Code's clock) smallest.
  { ...node, entryPoints: ['src/vscode/cachedEntry.ts'], outfile: 'dist/main.cjs', plugins: [] },
  { ...node, entryPoints: ['src/cli.ts'], outfile: 'dist/cli.cjs', banner: { js: '#!/usr/bin/env node' } },
  { ...base, entryPoints: ['webview/main.ts'], outfile: 'dist/webview.js', platform: 'browser', format: 'iife', target: 'es2022' },
  // The code interpreter's sandbox runs in its own worker thread, loaded from its own file.
  { ...node, entryPoints: ['src/engine/interpreter/worker/interpreterWorker.ts'], outfile: 'dist/interpreterWorker.cjs', external: ['pyodide'] },
  // The knowledge base chunks and searches vectors off the main thread (see src/engine/retrieval/workerEntry.ts).
  { ...node, entryPoints: ['src/engine/retrieval/prepareWorker.ts'], outfile: 'dist/retrieval-prepareWorker.cjs' },
  { ...node, entryPoints: ['src/engine/retrieval/vectorWorker.ts'], outfile: 'dist/retrieval-vectorWorker.cjs' },
  // The o200k_base tokenizer (2.7 MB of merge ranks), loaded on the first token count rather than at activation (src/engine/tokens/o200k.ts).
  { ...node, entryPoints: ['src/engine/tokens/o200kTokenizer.ts'], outfile: 'dist/tokenizer-o200k.cjs' },
  // The openai SDK (over half of the extension's code, and it makes Node load undici when evaluated), loaded with the first model client rather than at activation (src/providers/openaiSdk.ts).
  { ...node, entryPoints: ['src/providers/openaiSdkExports.ts'], outfile: 'dist/openai.cjs' },
];

mkdirSync('dist', { recursive: true });
cpSync('webview/styles.css', 'dist/webview.css');
// Runtimes the interpreter loads at run time: Pyodide's core, the shipped Python helpers, QuickJS's wasm.
for (const file of ['pyodide.mjs', 'pyodide.asm.mjs', 'pyodide.asm.wasm', 'python_stdlib.zip', 'pyodide-lock.json']) cpSync(`node_modules/pyodide/${file}`, `dist/pyodide/${file}`);
cpSync('src/engine/interpreter/python', 'dist/python', { recursive: true, filter: (path) => !path.includes('__pycache__') });
cpSync('node_modules/@jitl/quickjs-wasmfile-release-sync/dist/emscripten-module.wasm', 'dist/quickjs/emscripten-module.wasm');
if (watch) {
  for (const options of builds) await (await esbuild.context(options)).watch();
} else {
  await Promise.all(builds.map((options) => esbuild.build(options)));
}
