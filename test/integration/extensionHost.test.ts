// Runs test/integration/host/suite.ts inside code-server's real extension host, the standard way:
// @vscode/test-electron's runTests(), given our code-server shim as the VS Code executable. The
// extension under test is the repository itself (--extensionDevelopmentPath), so `npm run build`
// must have run (scripts/test.sh does).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { build } from 'esbuild';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { runTests } from '@vscode/test-electron';
import { repoRoot, sampleWorkspace, testOutputDir } from '../e2e/support/codeServer.ts';

const shim = join(repoRoot, 'test', 'integration', 'runner', 'vscode-shim.sh');
const outDir = join(testOutputDir, 'integration');

/** Collects what the shim prints; it is kept in a log file and shown only when the run fails. */
function collector(): { stream: Writable; text: () => string } {
  const chunks: Buffer[] = [];
  const stream = new Writable({ write(chunk: Buffer, _encoding, done) { chunks.push(chunk); done(); } });
  return { stream, text: () => Buffer.concat(chunks).toString('utf8') };
}

test('the in-host suite passes in code-server through @vscode/test-electron', { timeout: 300_000 }, async () => {
  assert.ok(existsSync(join(repoRoot, 'dist', 'extension.cjs')), 'dist/extension.cjs is missing: run npm run build first');
  mkdirSync(outDir, { recursive: true });
  const suite = join(outDir, 'suite.cjs');
  await build({
    entryPoints: [join(repoRoot, 'test', 'integration', 'host', 'suite.ts')],
    bundle: true, platform: 'node', format: 'cjs', target: 'node22', external: ['vscode'], outfile: suite, logLevel: 'warning',
  });
  // git may not keep the executable bit on every checkout; the shim must be runnable.
  chmodSync(shim, 0o755);
  const resultsFile = join(outDir, 'host-results.json');
  rmSync(resultsFile, { force: true });
  const profile = mkdtempSync(join(tmpdir(), 'tw-it-'));
  const output = collector();
  let code: number | undefined;
  let failure: unknown;
  try {
    code = await runTests({
      vscodeExecutablePath: shim,
      extensionDevelopmentPath: repoRoot,
      extensionTestsPath: suite,
      launchArgs: [`--user-data-dir=${join(profile, 'user-data')}`, `--extensions-dir=${join(profile, 'extensions')}`, sampleWorkspace],
      extensionTestsEnv: { THREADWORK_HOST_RESULTS: resultsFile, THREADWORK_EXPECTED_FOLDER: sampleWorkspace },
      stdout: output.stream,
      stderr: output.stream,
    });
  } catch (error) {
    failure = error;
  } finally {
    writeFileSync(join(outDir, 'shim-output.log'), output.text());
    rmSync(profile, { recursive: true, force: true });
  }
  const printed = output.text();
  assert.equal(failure, undefined, `runTests failed: ${String(failure)}\n${printed.slice(-6000)}`);
  assert.equal(code, 0);
  assert.ok(existsSync(resultsFile), `the in-host suite wrote no results:\n${printed.slice(-6000)}`);
  const report = JSON.parse(readFileSync(resultsFile, 'utf8')) as { node: string; vscode: string; results: { name: string; ok: boolean; error?: string }[] };
  assert.ok(report.results.length >= 5, `only ${report.results.length} in-host checks ran`);
  assert.deepEqual(report.results.filter((r) => !r.ok), []);
  assert.match(report.vscode, /^1\.\d+\.\d+$/);
  assert.match(printed, new RegExp(`in-host suite: ${report.results.length} passed, 0 failed`));
});
