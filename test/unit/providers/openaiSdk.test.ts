// The openai SDK is loaded on the first client, not with the code that merely mentions it: from
// source it is the very module a caller imports, and bundled it is a sibling file that error checks
// never load (only a loaded SDK can have raised one of its errors).
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';
import { APIConnectionError, APIError } from 'openai';
import { createOpenAIClient, resolveProviderSettings } from '../../../src/providers/providerSettings.ts';
import { isTransientFailure, toModelError } from '../../../src/providers/modelFailures.ts';
import { loadedOpenAISdk, openAISdk } from '../../../src/providers/openaiSdk.ts';

const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));
const providersDir = join(repoRoot, 'src', 'providers');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? sourceFiles(path) : path.endsWith('.ts') ? [path] : [];
  });
}

interface BundledFailures {
  isTransientFailure(error: unknown): boolean;
  toModelError(error: unknown, context: { baseURL: string; attempts: number; afterOutput: boolean }): Error;
  openAISdk(): { APIConnectionError: new (options: { message: string }) => Error };
  loadedOpenAISdk(): unknown;
}

void describe('the lazily loaded openai SDK', () => {
  void test('from source it is the same module the caller imports, so instanceof holds both ways', () => {
    assert.equal(openAISdk().APIError, APIError);
    assert.equal(loadedOpenAISdk(), openAISdk());
    const client = createOpenAIClient(resolveProviderSettings({ baseURL: 'http://127.0.0.1:9/v1' }));
    assert.ok(client instanceof openAISdk().OpenAI);
    assert.equal(isTransientFailure(new APIConnectionError({ message: 'refused' })), true);
    assert.match(toModelError(APIError.generate(404, { error: { message: 'gone' } }, undefined, new Headers()), { baseURL: 'http://x', attempts: 1, afterOutput: false }).message, /answered 404: gone/);
  });

  void test('only openaiSdkExports.ts imports values from openai; everything else imports types', () => {
    const valueImport = /^(?:import|export)\s+(?!type\b)[^;]*?\sfrom\s+'openai(?:\/[^']*)?';/gm;
    const offenders = sourceFiles(join(repoRoot, 'src'))
      .filter((file) => readFileSync(file, 'utf8').match(valueImport) !== null)
      .map((file) => relative(repoRoot, file));
    assert.deepEqual(offenders, ['src/providers/openaiSdkExports.ts']);
  });

  void test('bundled, the SDK is a sibling file: checks do not load it, the first client does', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tw-openai-bundle-'));
    try {
      // The options esbuild.js gives the node bundles that matter here.
      const common: esbuild.BuildOptions = {
        bundle: true, platform: 'node', format: 'cjs', target: 'node22', logLevel: 'silent', write: true,
        define: { 'import.meta.url': 'importMetaUrl' }, inject: [join(repoRoot, 'scripts', 'import-meta-url.js')],
      };
      await esbuild.build({
        ...common,
        stdin: {
          contents: "export { isTransientFailure, toModelError } from './modelFailures.ts';\nexport { loadedOpenAISdk, openAISdk } from './openaiSdk.ts';\n",
          resolveDir: providersDir, loader: 'ts', sourcefile: 'failures-entry.ts',
        },
        outfile: join(dir, 'failures.cjs'),
      });
      await esbuild.build({ ...common, entryPoints: [join(providersDir, 'openaiSdkExports.ts')], outfile: join(dir, 'openai.cjs') });
      const bundledRequire = createRequire(join(dir, 'failures.cjs'));
      const bundled = bundledRequire('./failures.cjs') as BundledFailures;
      assert.ok(!readFileSync(join(dir, 'failures.cjs'), 'utf8').includes('class APIError'), 'the SDK stayed out of the bundle');

      // A network TypeError is classified without the SDK, and classifying it does not load it.
      assert.equal(bundled.isTransientFailure(new TypeError('fetch failed')), true);
      assert.match(bundled.toModelError(new Error('boom'), { baseURL: 'http://x', attempts: 1, afterOutput: false }).message, /The model call failed: boom/);
      assert.equal(bundled.loadedOpenAISdk(), undefined);
      assert.equal(Object.keys(bundledRequire.cache).some((file) => file.endsWith('openai.cjs')), false);

      const sdk = bundled.openAISdk();
      assert.equal(bundled.loadedOpenAISdk(), sdk);
      assert.ok(Object.keys(bundledRequire.cache).some((file) => file === join(dir, 'openai.cjs')));
      assert.equal(bundled.isTransientFailure(new sdk.APIConnectionError({ message: 'refused' })), true);
      assert.match(bundled.toModelError(new sdk.APIConnectionError({ message: 'refused' }), { baseURL: 'http://x', attempts: 2, afterOutput: false }).message, /Could not reach the model server at http:\/\/x \(gave up after 2 attempts\)/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
