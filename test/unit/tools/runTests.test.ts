import assert from 'node:assert/strict';
import path from 'node:path';
import { afterEach, describe, test } from 'node:test';
import { ConfiguredApprovals } from '../../../src/engine/tools/configuredApprovals.ts';
import { MemoryPolicyStore } from '../../../src/engine/tools/policy/memoryPolicyStore.ts';
import { ToolPolicy } from '../../../src/engine/tools/policy/toolPolicy.ts';
import { detectTestCommand } from '../../../src/engine/tools/testCommandDetection.ts';
import { ToolExecutor } from '../../../src/engine/tools/toolExecutor.ts';
import { createWorkspaceToolRegistry } from '../../../src/engine/tools/workspaceTools.ts';
import type { Fixture } from './workspaceFixture.ts';
import { createFixture } from './workspaceFixture.ts';

describe('test command detection', () => {
  let fixture: Fixture | undefined;
  afterEach(() => fixture?.cleanup());
  const detect = async (tree: Record<string, string>, options: { start?: string; filter?: string; configured?: string } = {}) => {
    fixture = createFixture(tree);
    return detectTestCommand(fixture.files, fixture.root, path.join(fixture.root, options.start ?? ''), options);
  };

  test('package.json scripts.test, with the package manager from the lockfile', async () => {
    assert.equal((await detect({ 'package.json': '{"scripts":{"test":"vitest run"}}' }))?.command, 'npm test');
    assert.equal((await detect({ 'package.json': '{"scripts":{"test":"jest"}}', 'pnpm-lock.yaml': '' }, { filter: 'parser works' }))?.command, "pnpm test 'parser works'");
    assert.equal((await detect({ 'package.json': '{"scripts":{"test":"jest"}}' }, { filter: 'x' }))?.command, 'npm test -- x');
  });

  test("npm's placeholder test script is not a test command", async () => {
    assert.equal(await detect({ 'package.json': '{"scripts":{"test":"echo \\"Error: no test specified\\" && exit 1"}}' }), undefined);
  });

  test('pytest, go test, cargo test and make test', async () => {
    assert.equal((await detect({ 'pyproject.toml': '[tool.pytest.ini_options]\naddopts = "-q"\n' }, { filter: 'login' }))?.command, 'python3 -m pytest -k login');
    assert.equal((await detect({ 'tests/test_api.py': '' }))?.source, 'tests/test_*.py');
    assert.equal((await detect({ 'go.mod': 'module x\n' }, { filter: 'TestParse' }))?.command, 'go test ./... -run TestParse');
    assert.equal((await detect({ 'Cargo.toml': '[package]\n' }))?.command, 'cargo test');
    assert.equal((await detect({ Makefile: 'build:\n\tcc x.c\ntest: build\n\t./run\n' }))?.command, 'make test');
  });

  test('the nearest package wins, walking up from the requested directory', async () => {
    const found = await detect({ 'package.json': '{"scripts":{"test":"root"}}', 'packages/api/go.mod': 'module api\n', 'packages/api/internal/x.go': '' }, { start: 'packages/api/internal' });
    assert.equal(found?.command, 'go test ./...');
    assert.equal(found?.cwd, path.join(fixture!.root, 'packages/api'));
  });

  test('a configured command wins and takes the filter', async () => {
    assert.equal((await detect({ 'go.mod': '' }, { configured: 'npm run test:unit -- --grep ${filter}', filter: 'a b' }))?.command, "npm run test:unit -- --grep 'a b'");
  });

  test('nothing to run is undefined', async () => {
    assert.equal(await detect({ 'README.md': '' }), undefined);
  });
});

describe('run_tests runs the detected command', () => {
  let fixture: Fixture | undefined;
  afterEach(() => fixture?.cleanup());

  test('a passing and a failing suite, once approved and remembered', async () => {
    fixture = createFixture({
      'package.json': JSON.stringify({ scripts: { test: 'node --test' } }),
      'test/ok.test.mjs': "import { test } from 'node:test';\ntest('adds', () => { if (1 + 1 !== 2) throw new Error('math'); });\n",
    });
    const store = new MemoryPolicyStore();
    const approvals = new ConfiguredApprovals({ answer: 'approve', remember: true });
    const executor = new ToolExecutor({ registry: createWorkspaceToolRegistry({ withEditorTools: false }), context: fixture.context, policy: new ToolPolicy(store, { isTrusted: () => true }), approvals });
    const scope = { runId: 'run_t', signal: new AbortController().signal };
    const passed = await executor.execute({ id: '1', name: 'run_tests', arguments: '{}' }, scope);
    assert.match(passed.output, /^Tests passed\. Test command from package\.json scripts\.test \("node --test"\)\.\n\$ npm test\n/);
    assert.equal(approvals.requests[0]?.command, 'npm test');
    fixture.write('test/bad.test.mjs', "import { test } from 'node:test';\ntest('breaks', () => { throw new Error('boom'); });\n");
    const failed = await executor.execute({ id: '2', name: 'run_tests', arguments: '{}' }, scope);
    assert.match(failed.output, /^Tests failed \(exit code 1\)/);
    assert.match(failed.output, /boom/);
    assert.equal(approvals.requests.length, 1, '"always allow run_tests" was remembered');
  });
});
