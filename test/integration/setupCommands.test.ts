// The editor actions and setup commands inside code-server's real extension host, through
// @vscode/test-electron and the code-server shim, on two profiles: the first registers, configures
// (key into SecretStorage), asks, serves and exports; a fresh one imports the export. Then, out
// here: the two exports agree message by message, the key reached the model server only as the
// Authorization of its own endpoint, and it appears in no settings, log, database or exported file.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { build } from 'esbuild';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { runTests } from '@vscode/test-electron';
import { repoRoot, sampleWorkspace, testOutputDir } from '../e2e/support/codeServer.ts';
import { startScriptedModelServer, type RecordedRequest } from '../support/modelServer/index.ts';

const shim = join(repoRoot, 'test', 'integration', 'runner', 'vscode-shim.sh');
const outDir = join(testOutputDir, 'integration-setup');
const KEY = `sk-test-${Date.now().toString(36)}-never-in-a-file`;

interface HostReport {
  phase: string;
  results: { name: string; ok: boolean; error?: string }[];
}

interface Archive {
  threads: Array<{ thread: { created_at: number; metadata: Record<string, string> }; messages: Array<{ id: string; role: string; created_at: number; status: string; content: unknown[]; metadata: Record<string, string> }> }>;
}

function collector(): { stream: Writable; text: () => string } {
  const chunks: Buffer[] = [];
  const stream = new Writable({ write(chunk: Buffer, _encoding, done) { chunks.push(chunk); done(); } });
  return { stream, text: () => Buffer.concat(chunks).toString('utf8') };
}

function filesUnder(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, encoding: 'utf8' }).map((relative) => join(dir, relative)).filter((path) => statSync(path).isFile());
}

async function runPhase(phase: 'first' | 'fresh', profile: string, suite: string, env: Record<string, string>): Promise<{ report: HostReport; printed: string }> {
  const resultsFile = join(outDir, `${phase}-results.json`);
  rmSync(resultsFile, { force: true });
  const output = collector();
  let code: number | undefined;
  let failure: unknown;
  try {
    code = await runTests({
      vscodeExecutablePath: shim,
      extensionDevelopmentPath: repoRoot,
      extensionTestsPath: suite,
      launchArgs: [`--user-data-dir=${join(profile, 'user-data')}`, `--extensions-dir=${join(profile, 'extensions')}`, sampleWorkspace],
      extensionTestsEnv: { ...env, THREADWORK_SETUP_PHASE: phase, THREADWORK_HOST_RESULTS: resultsFile },
      stdout: output.stream,
      stderr: output.stream,
    });
  } catch (error) {
    failure = error;
  }
  writeFileSync(join(outDir, `${phase}-shim-output.log`), output.text());
  const printed = output.text();
  assert.ok(existsSync(resultsFile), `phase ${phase} wrote no results (${String(failure ?? code)}):\n${printed.slice(-6000)}`);
  const report = JSON.parse(readFileSync(resultsFile, 'utf8')) as HostReport;
  assert.deepEqual(report.results.filter((result) => !result.ok), [], `phase ${phase} failed:\n${printed.slice(-4000)}`);
  assert.equal(failure, undefined);
  assert.equal(code, 0);
  return { report, printed };
}

function comparable(archive: Archive): unknown[] {
  return archive.threads[0]!.messages.map((message) => ({ role: message.role, created_at: message.created_at, status: message.status, content: message.content }));
}

test('editor actions and setup in the extension host: commands, SecretStorage, server, export and import on a fresh profile', { timeout: 600_000 }, async () => {
  assert.ok(existsSync(join(repoRoot, 'dist', 'extension.cjs')), 'dist/extension.cjs is missing: run npm run build first');
  mkdirSync(outDir, { recursive: true });
  const suite = join(outDir, 'setupSuite.cjs');
  await build({
    entryPoints: [join(repoRoot, 'test', 'integration', 'host', 'setupSuite.ts')],
    bundle: true, platform: 'node', format: 'cjs', target: 'node22', external: ['vscode'], outfile: suite, logLevel: 'warning',
  });
  chmodSync(shim, 0o755);
  const model = await startScriptedModelServer({ models: ['scripted-chat-model'] });
  model.setHandler((request) => (Array.isArray(request.body['tools']) && JSON.stringify(request.body['tools']).includes('report_probe_word')
    ? { toolCalls: [{ name: 'report_probe_word', arguments: { word: 'ready' } }] }
    : { text: 'It multiplies the unit price in cents by the quantity, after refusing a bad quantity.', usage: { promptTokens: 300, completionTokens: 20 } }));
  const transfer = mkdtempSync(join(tmpdir(), 'tw-transfer-'));
  const first = mkdtempSync(join(tmpdir(), 'tw-setup-a-'));
  const fresh = mkdtempSync(join(tmpdir(), 'tw-setup-b-'));
  try {
    const env = { THREADWORK_TRANSFER_DIR: transfer, THREADWORK_MODEL_URL: model.url, THREADWORK_TEST_KEY: KEY };
    const one = await runPhase('first', first, suite, env);
    assert.ok(one.report.results.length >= 7, `only ${one.report.results.length} checks ran`);
    await runPhase('fresh', fresh, suite, env);

    // Export, import into a fresh profile, export again: the same conversation, message by message.
    const exported = JSON.parse(readFileSync(join(transfer, 'export.json'), 'utf8')) as Archive;
    const reimported = JSON.parse(readFileSync(join(transfer, 'reimported.json'), 'utf8')) as Archive;
    assert.equal(exported.threads[0]!.messages.length, 2);
    assert.deepEqual(comparable(reimported), comparable(exported));
    assert.equal(reimported.threads[0]!.thread.metadata['title'], exported.threads[0]!.thread.metadata['title']);
    assert.deepEqual(reimported.threads[0]!.messages.map((message) => message.metadata['imported_from']), exported.threads[0]!.messages.map((message) => message.id));

    // The key left SecretStorage only as the Authorization header of its own endpoint.
    const port = new URL(model.url).port;
    const generation = (host: string): RecordedRequest[] => model.requests.filter((request) => request.endpoint !== undefined && request.headers['host'] === host);
    const own = generation(`127.0.0.1:${port}`);
    const other = generation(`localhost:${port}`);
    assert.ok(own.length >= 3 && other.length >= 1, `requests: ${own.length} to 127.0.0.1, ${other.length} to localhost`);
    assert.ok(own.every((request) => request.headers['authorization'] === `Bearer ${KEY}`), 'every call to the key\'s endpoint carries it (also after switching back)');
    assert.ok(other.every((request) => request.headers['authorization'] === undefined), 'the other endpoint never receives the key');

    // ... and appears in no settings, log, database or exported file of either profile.
    const scanned = [
      ...filesUnder(join(first, 'user-data', 'User')).filter((path) => !path.includes(`${join('User', 'workspaceStorage')}`) || path.includes('threadwork')),
      ...filesUnder(join(first, 'user-data', 'logs')),
      ...filesUnder(join(fresh, 'user-data', 'User')),
      ...filesUnder(join(fresh, 'user-data', 'logs')),
      ...filesUnder(transfer),
    ];
    assert.ok(scanned.some((path) => path.endsWith('settings.json')), 'the settings file was scanned');
    assert.ok(scanned.some((path) => /Threadwork\.log$/.test(path)), 'the Threadwork log was scanned');
    assert.ok(scanned.some((path) => path.endsWith('threadwork.sqlite')), 'the database was scanned');
    const leaks = scanned.filter((path) => readFileSync(path).includes(KEY));
    assert.deepEqual(leaks, [], 'files containing the API key');
  } finally {
    await model.close();
    for (const dir of [transfer, first, fresh]) rmSync(dir, { recursive: true, force: true });
  }
});
