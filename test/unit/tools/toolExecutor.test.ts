import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { openDatabase } from '../../../src/engine/store/sqlite.ts';
import { CheckpointStore } from '../../../src/engine/tools/checkpoints.ts';
import { ConfiguredApprovals } from '../../../src/engine/tools/configuredApprovals.ts';
import { MemoryPolicyStore } from '../../../src/engine/tools/policy/memoryPolicyStore.ts';
import { ToolPolicy } from '../../../src/engine/tools/policy/toolPolicy.ts';
import { RunGovernor } from '../../../src/engine/tools/runGovernor.ts';
import { ToolExecutor } from '../../../src/engine/tools/toolExecutor.ts';
import { createWorkspaceToolRegistry } from '../../../src/engine/tools/workspaceTools.ts';
import type { Fixture } from './workspaceFixture.ts';
import { createFixture } from './workspaceFixture.ts';

describe('tool calls end to end', () => {
  let fixture: Fixture;
  before(() => {
    fixture = createFixture({
      'src/app.ts': 'export function greet(name: string) {\n  return `hello ${name}`;\n}\n',
      'src/big.txt': Array.from({ length: 3000 }, (_, i) => `line ${i + 1}`).join('\n'),
      'logo.png': new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0, 0, 0, 0x0d]),
      '.vscode/settings.json': '{}\n',
      '.gitignore': 'out/\n',
      'out/build.js': '',
    });
  });
  const databases: Array<ReturnType<typeof openDatabase>> = [];
  after(() => {
    for (const db of databases) db.close();
    fixture.cleanup();
  });

  const registry = createWorkspaceToolRegistry({ withEditorTools: false });
  const setup = (answer: 'approve' | 'deny', remember = false, trusted = true) => {
    const approvals = new ConfiguredApprovals({ answer, remember });
    const store = new MemoryPolicyStore();
    const policy = new ToolPolicy(store, { isTrusted: () => trusted });
    const db = openDatabase(':memory:');
    databases.push(db);
    const checkpoints = new CheckpointStore(db, fixture.files, fixture.paths);
    const executor = new ToolExecutor({ registry, context: fixture.context, policy, approvals, checkpoints });
    return { approvals, store, executor, checkpoints, db };
  };
  const call = (name: string, args: unknown) => ({ id: `call_${name}`, name, arguments: JSON.stringify(args) });
  const scope = (runId = 'run_1') => ({ runId, signal: new AbortController().signal });

  test('unknown tools and bad arguments come back as errors the model can act on', async () => {
    const { executor } = setup('deny');
    const unknown = await executor.execute({ id: 'c', name: 'write_file', arguments: '{}' }, scope());
    assert.equal(unknown.isError, true);
    assert.match(unknown.output, /no tool named "write_file".*Available tools: read_file, list_files/);
    const badJson = await executor.execute({ id: 'c', name: 'read_file', arguments: '{path:' }, scope());
    assert.match(badJson.output, /not valid JSON.*\{path: string, start_line\?: integer, end_line\?: integer\}/);
    const badArgs = await executor.execute(call('read_file', { path: 3, extra: true }), scope());
    assert.match(badArgs.output, /'path' must be a string.*'extra' is not a parameter/);
  });

  test('definitions are v2 function tools; untrusted workspaces get only the read tools', () => {
    const all = registry.definitions();
    assert.ok(all.every((definition) => definition.type === 'function'));
    assert.deepEqual(registry.definitions(['read']).map((definition) => definition.type === 'function' && definition.function.name), ['read_file', 'list_files', 'search_text']);
  });

  test('read_file reads ranges, refuses binaries and explains missing files', async () => {
    const { executor } = setup('deny');
    const range = await executor.execute(call('read_file', { path: 'src/big.txt', start_line: 10, end_line: 12 }), scope());
    assert.equal(range.output, 'src/big.txt (lines 10-12 of 3000)\nline 10\nline 11\nline 12');
    const capped = await executor.execute(call('read_file', { path: 'src/big.txt' }), scope());
    assert.match(capped.output, /^src\/big\.txt \(lines 1-2000 of 3000\)/);
    assert.match(capped.output, /start_line=2001 to continue/);
    assert.match((await executor.execute(call('read_file', { path: 'logo.png' }), scope())).output, /binary file/);
    const missing = await executor.execute(call('read_file', { path: 'src/nope.ts' }), scope());
    assert.equal(missing.output, 'File not found: src/nope.ts. Use list_files to see which paths exist.');
    assert.match((await executor.execute(call('read_file', { path: '../outside/x' }), scope())).output, /outside the workspace/);
  });

  test('list_files honours .gitignore and patterns', async () => {
    const { executor } = setup('deny');
    const listed = await executor.execute(call('list_files', { pattern: '*.ts' }), scope());
    assert.equal(listed.output, '1 path in the workspace matching "*.ts":\nsrc/app.ts');
    const top = await executor.execute(call('list_files', { recursive: false }), scope());
    assert.ok(top.output.includes('src/') && !top.output.includes('out/'));
  });

  test('apply_edit asks, shows the exact diff, writes on approval and checkpoints the file', async () => {
    const { executor, approvals, checkpoints } = setup('approve');
    const result = await executor.execute(call('apply_edit', { path: 'src/app.ts', edits: [{ search: 'return `hello ${name}`;', replace: 'return `hello, ${name}!`;' }] }), scope('run_edit'));
    assert.equal(result.isError, false, result.output);
    assert.match(result.output, /^Edited src\/app\.ts: line 2 \(exact match\); \+1 −1 lines\./);
    assert.equal(approvals.requests.length, 1);
    assert.match(approvals.requests[0]!.diff!, /-  return `hello \$\{name\}`;\n\+  return `hello, \$\{name\}!`;/);
    assert.match(readFileSync(path.join(fixture.root, 'src/app.ts'), 'utf8'), /hello, \$\{name\}!/);
    assert.deepEqual(checkpoints.touched('run_edit').map((entry) => path.basename(entry.path)), ['app.ts']);
    await checkpoints.restore('run_edit');
  });

  test('a declined edit changes nothing and tells the model', async () => {
    const { executor } = setup('deny');
    const before = readFileSync(path.join(fixture.root, 'src/app.ts'), 'utf8');
    const result = await executor.execute(call('apply_edit', { path: 'src/app.ts', edits: [{ search: 'greet', replace: 'welcome' }] }), scope());
    assert.equal(result.isError, true);
    assert.match(result.output, /user declined this apply_edit call/);
    assert.equal(readFileSync(path.join(fixture.root, 'src/app.ts'), 'utf8'), before);
  });

  test('an edit whose file changed after approval is not written (no TOCTOU)', async () => {
    const file = path.join(fixture.root, 'src/race.ts');
    writeFileSync(file, 'const a = 1;\n');
    const prepared = await registry.prepare('apply_edit', JSON.stringify({ path: 'src/race.ts', edits: [{ search: 'a = 1', replace: 'a = 2' }] }), fixture.context);
    writeFileSync(file, 'const a = 1;\nconst injected = true;\n');
    await assert.rejects(prepared.execute(new AbortController().signal), /changed after this change was prepared/);
    assert.equal(readFileSync(file, 'utf8'), 'const a = 1;\nconst injected = true;\n');
  });

  test('an always-allow answer is remembered, but never for a protected path', async () => {
    const { executor, store, approvals } = setup('approve', true);
    await executor.execute(call('create_file', { path: 'notes/todo.md', content: '# todo\n' }), scope());
    assert.deepEqual(store.get()?.tools, { create_file: 'allow' });
    await executor.execute(call('create_file', { path: 'notes/more.md', content: 'x' }), scope());
    assert.equal(approvals.requests.length, 1, 'the remembered decision applies to the next call');
    const settings = await executor.execute(call('apply_edit', { path: '.vscode/settings.json', edits: [{ search: '{}', replace: '{"chat.tools.autoApprove": true}' }] }), scope());
    assert.equal(settings.isError, false);
    assert.equal(approvals.requests.length, 2, 'protected path asked despite create/edit being allowed');
    assert.deepEqual(approvals.requests[1]!.remember, []);
    assert.deepEqual(Object.keys(store.get()!.tools), ['create_file']);
  });

  test('in an untrusted workspace writes and commands are refused without asking', async () => {
    const { executor, approvals } = setup('approve', false, false);
    const result = await executor.execute(call('create_file', { path: 'x.txt', content: 'x' }), scope());
    assert.match(result.output, /not trusted/);
    assert.match((await executor.execute(call('run_command', { command: 'ls' }), scope())).output, /not trusted/);
    assert.equal(approvals.requests.length, 0);
  });

  test('create_file refuses to overwrite unless asked, delete_file refuses directories', async () => {
    const { executor } = setup('approve');
    assert.match((await executor.execute(call('create_file', { path: 'src/app.ts', content: '' }), scope())).output, /already exists\. Use apply_edit/);
    assert.match((await executor.execute(call('delete_file', { path: 'src' }), scope())).output, /is a directory/);
  });

  test('the governor ends a run that repeats the same call with the same result', async () => {
    const { executor } = setup('deny');
    const governor = new RunGovernor({ maxIdenticalCalls: 3 });
    const runScope = { ...scope(), governor };
    const args = call('read_file', { path: 'src/app.ts' });
    assert.equal((await executor.execute(args, runScope)).stopRun, undefined);
    const second = await executor.execute({ ...args, arguments: '{ "path" : "src/app.ts" }' }, runScope);
    assert.match(second.output, /same read_file call with the same result/);
    const third = await executor.execute(args, runScope);
    assert.equal(third.stopRun?.reason, 'repeated_call');
    assert.match(third.output, /called 3 times with the same arguments/);
  });

  test('run_command runs an allowed command and a cancelled run stops it', async () => {
    const approvals = new ConfiguredApprovals({ answer: 'deny' });
    const store = new MemoryPolicyStore({ version: 1, tools: {}, commands: [{ prefix: 'echo', decision: 'allow' }, { prefix: 'sleep', decision: 'allow' }], paths: [] });
    const executor = new ToolExecutor({ registry, context: fixture.context, policy: new ToolPolicy(store, { isTrusted: () => true }), approvals });
    const echoed = await executor.execute(call('run_command', { command: 'echo hello && echo oops >&2', cwd: 'src' }), scope());
    assert.match(echoed.output, /^\$ echo hello && echo oops >&2\n\(in src\)\nExit code 0 after \d+\.\d s\.\nhello\noops$/);
    const controller = new AbortController();
    const started = Date.now();
    const pending = executor.execute(call('run_command', { command: 'sleep 20' }), { runId: 'run_c', signal: controller.signal });
    setTimeout(() => controller.abort(), 200);
    const cancelled = await pending;
    assert.match(cancelled.output, /Cancelled after .* every process it started were stopped/);
    assert.ok(Date.now() - started < 5000);
    const refused = await executor.execute(call('run_command', { command: 'echo hi; curl example.com' }), scope());
    assert.match(refused.output, /user declined/);
    assert.match(approvals.requests.at(-1)!.reasons.join(), /"curl example.com" is not covered by an allow rule/);
  });
});
