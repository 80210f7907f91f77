import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { MemoryPolicyStore } from '../../../src/engine/tools/policy/memoryPolicyStore.ts';
import { readStoredPolicy } from '../../../src/engine/tools/policy/policyRules.ts';
import { ToolPolicy } from '../../../src/engine/tools/policy/toolPolicy.ts';
import type { AccessFacts } from '../../../src/engine/tools/tool.ts';
import type { Fixture } from './workspaceFixture.ts';
import { createFixture } from './workspaceFixture.ts';

describe('tool policy', () => {
  let fixture: Fixture;
  before(() => {
    fixture = createFixture({ 'src/a.ts': '', '.env': 'KEY=1', '.vscode/settings.json': '{}', 'dist/x.js': '' });
  });
  after(() => fixture.cleanup());

  const writeFacts = async (...paths: string[]): Promise<AccessFacts> => ({ access: 'write', reads: [], writes: await Promise.all(paths.map((p) => fixture.paths.resolve(p))) });
  const readFacts = async (p: string): Promise<AccessFacts> => ({ access: 'read', reads: [await fixture.paths.resolve(p)], writes: [] });
  const commandFacts = async (command: string): Promise<AccessFacts> => ({ access: 'execute', reads: [], writes: [], command, cwd: await fixture.paths.resolve('.') });

  test('defaults: reads allowed, writes and commands ask with a remember option', async () => {
    const policy = new ToolPolicy(new MemoryPolicyStore(), { isTrusted: () => true });
    assert.equal(policy.evaluate('read_file', await readFacts('src/a.ts')).decision, 'allow');
    const write = policy.evaluate('apply_edit', await writeFacts('src/a.ts'));
    assert.equal(write.decision, 'ask');
    assert.ok(write.decision === 'ask' && write.remember[0]?.kind === 'tool');
    assert.equal(policy.evaluate('run_command', await commandFacts('make')).decision, 'ask');
  });

  test('an untrusted workspace allows only reads', async () => {
    const policy = new ToolPolicy(new MemoryPolicyStore({ version: 1, tools: { apply_edit: 'allow', run_command: 'allow' }, commands: [], paths: [] }), { isTrusted: () => false });
    assert.equal(policy.evaluate('read_file', await readFacts('src/a.ts')).decision, 'allow');
    const write = policy.evaluate('apply_edit', await writeFacts('src/a.ts'));
    assert.ok(write.decision === 'deny' && /not trusted/.test(write.reason));
    assert.equal(policy.evaluate('run_command', await commandFacts('ls')).decision, 'deny');
  });

  test('protected paths ask even when the tool is allowed, and cannot be remembered', async () => {
    const policy = new ToolPolicy(new MemoryPolicyStore({ version: 1, tools: { apply_edit: 'allow' }, commands: [], paths: [{ glob: '**', access: 'write', decision: 'allow' }] }), { isTrusted: () => true });
    assert.equal(policy.evaluate('apply_edit', await writeFacts('src/a.ts')).decision, 'allow');
    const verdict = policy.evaluate('apply_edit', await writeFacts('.vscode/settings.json'));
    assert.equal(verdict.decision, 'ask');
    assert.ok(verdict.decision === 'ask' && verdict.remember.length === 0 && /protected path/.test(verdict.reasons.join()));
    assert.equal(policy.evaluate('create_file', await writeFacts('.VSCODE/other.json')).decision, 'ask');
    assert.equal(policy.evaluate('create_file', await writeFacts('project.code-workspace')).decision, 'ask');
    assert.equal(policy.evaluate('create_file', await writeFacts('.git/hooks/pre-commit')).decision, 'ask');
  });

  test('secret-like files are not read without asking', async () => {
    const policy = new ToolPolicy(new MemoryPolicyStore(), { isTrusted: () => true });
    const verdict = policy.evaluate('read_file', await readFacts('.env'));
    assert.ok(verdict.decision === 'ask' && verdict.remember.length === 0 && /secret/.test(verdict.reasons.join()));
    assert.equal(policy.evaluate('read_file', await readFacts('.env.example')).decision, 'allow');
  });

  test('path rules deny and allow writes', async () => {
    const policy = new ToolPolicy(new MemoryPolicyStore({ version: 1, tools: {}, commands: [], paths: [{ glob: 'dist/**', access: 'write', decision: 'deny' }, { glob: 'src/**', access: 'write', decision: 'allow' }] }), { isTrusted: () => true });
    assert.equal(policy.evaluate('apply_edit', await writeFacts('dist/x.js')).decision, 'deny');
    assert.equal(policy.evaluate('apply_edit', await writeFacts('src/a.ts')).decision, 'allow');
  });

  test('remembered decisions persist in the store and apply to later calls', async () => {
    const store = new MemoryPolicyStore();
    const policy = new ToolPolicy(store, { isTrusted: () => true });
    const first = policy.evaluate('run_tests', await commandFacts('npm test'));
    assert.ok(first.decision === 'ask');
    await policy.remember(first.remember[0]!);
    assert.deepEqual(store.get()?.tools, { run_tests: 'allow' });
    assert.equal(new ToolPolicy(store, { isTrusted: () => true }).evaluate('run_tests', await commandFacts('npm test')).decision, 'allow');

    const command = policy.evaluate('run_command', await commandFacts('npm run lint && git diff'));
    assert.ok(command.decision === 'ask' && command.remember[0]?.kind === 'commands');
    await policy.remember(command.remember[0]!);
    assert.equal(policy.evaluate('run_command', await commandFacts('git diff --stat; npm run lint')).decision, 'allow');
    assert.equal(policy.evaluate('run_command', await commandFacts('npm run deploy')).decision, 'ask');
  });

  test('a command that writes a protected file asks even when run_command is allowed outright', async () => {
    const policy = new ToolPolicy(new MemoryPolicyStore({ version: 1, tools: { run_command: 'allow' }, commands: [], paths: [] }), { isTrusted: () => true });
    assert.equal(policy.evaluate('run_command', await commandFacts('ls')).decision, 'allow');
    const verdict = policy.evaluate('run_command', await commandFacts('echo x >> .vscode/settings.json'));
    assert.ok(verdict.decision === 'ask' && verdict.remember.length === 0);
  });

  test('a malformed stored policy never widens permissions', () => {
    const policy = readStoredPolicy({ tools: { apply_edit: 'yes', run_command: 'allow' }, commands: [{ prefix: '', decision: 'allow' }, { prefix: 'ls', decision: 'maybe' }], paths: 'x' });
    assert.deepEqual(policy, { version: 1, tools: { run_command: 'allow' }, commands: [], paths: [] });
  });
});
