import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Decision } from '../../../src/engine/tools/policy/policyRules.ts';
import { ToolPolicy } from '../../../src/engine/tools/policy/toolPolicy.ts';
import { effectiveDecision, POLICY_STATE_KEY, WorkspacePolicyStore, type PolicyMemento } from '../../../src/vscode/tools/workspacePolicyStore.ts';

/** A Memento with VS Code's semantics: values go through JSON, as they do in the state database. */
class JsonMemento implements PolicyMemento {
  readonly values = new Map<string, string>();
  get<T>(key: string): T | undefined {
    const raw = this.values.get(key);
    return raw === undefined ? undefined : (JSON.parse(raw) as T);
  }
  async update(key: string, value: unknown): Promise<void> {
    if (value === undefined) this.values.delete(key);
    else this.values.set(key, JSON.stringify(value));
  }
}

const writeFacts = { access: 'write' as const, reads: [], writes: [{ input: 'a.ts', folder: { name: 'w', path: '/w' }, real: '/w/a.ts', relative: 'a.ts', lexicalRelative: 'a.ts', exists: true, display: 'a.ts' }] };

describe('tool decisions kept in workspaceState', () => {
  test('an "Always allow" answer survives a new store over the same state (a window reload) and Reset forgets it', async () => {
    const state = new JsonMemento();
    const trusted = { isTrusted: () => true };
    const first = new ToolPolicy(new WorkspacePolicyStore(state, () => ({})), trusted);
    const verdict = first.evaluate('apply_edit', writeFacts);
    assert.equal(verdict.decision, 'ask');
    assert.ok(verdict.decision === 'ask' && verdict.remember[0]);
    await first.remember(verdict.remember[0]!);

    const reloadedStore = new WorkspacePolicyStore(state, () => ({}));
    assert.equal(new ToolPolicy(reloadedStore, trusted).evaluate('apply_edit', writeFacts).decision, 'allow');
    assert.equal(reloadedStore.rememberedCount(), 1);

    await reloadedStore.reset();
    assert.equal(state.values.has(POLICY_STATE_KEY), false);
    assert.equal(new ToolPolicy(new WorkspacePolicyStore(state, () => ({})), trusted).evaluate('apply_edit', writeFacts).decision, 'ask');
  });

  test('settings lie on top of remembered answers and are never copied into the state', async () => {
    const state = new JsonMemento();
    let settings: Record<string, Decision> = { run_tests: 'allow', delete_file: 'deny' };
    const store = new WorkspacePolicyStore(state, () => settings);
    const policy = new ToolPolicy(store, { isTrusted: () => true });
    assert.equal(policy.evaluate('delete_file', writeFacts).decision, 'deny');
    await policy.remember({ kind: 'tool', tool: 'apply_edit', label: 'Always allow apply_edit' });
    assert.deepEqual(state.get<{ tools: Record<string, string> }>(POLICY_STATE_KEY)?.tools, { apply_edit: 'allow' });
    settings = {};
    assert.equal(policy.evaluate('delete_file', writeFacts).decision, 'ask');
    // A setting explicitly stricter than a remembered answer wins.
    settings = { apply_edit: 'ask' };
    assert.equal(policy.evaluate('apply_edit', writeFacts).decision, 'ask');
  });

  test('a malformed stored value cannot widen anything', () => {
    const state = new JsonMemento();
    state.values.set(POLICY_STATE_KEY, JSON.stringify({ tools: { apply_edit: 'yes please', run_command: 'allow ' }, commands: 'all' }));
    const policy = new ToolPolicy(new WorkspacePolicyStore(state, () => ({})), { isTrusted: () => true });
    assert.equal(policy.evaluate('apply_edit', writeFacts).decision, 'ask');
  });

  test('workspace settings can only make a tool stricter; user settings decide freely', () => {
    assert.equal(effectiveDecision({ workspaceValue: 'allow' }, 'ask'), undefined);
    assert.equal(effectiveDecision({ workspaceFolderValue: 'allow' }, 'ask'), undefined);
    assert.equal(effectiveDecision({ globalValue: 'allow' }, 'ask'), 'allow');
    assert.equal(effectiveDecision({ globalValue: 'allow', workspaceValue: 'deny' }, 'ask'), 'deny');
    assert.equal(effectiveDecision({ globalValue: 'deny', workspaceValue: 'allow' }, 'ask'), 'deny');
    assert.equal(effectiveDecision({ workspaceValue: 'ask' }, 'allow'), 'ask');
    assert.equal(effectiveDecision({ globalValue: 'sometimes' }, 'ask'), undefined);
    assert.equal(effectiveDecision(undefined, 'ask'), undefined);
  });
});
