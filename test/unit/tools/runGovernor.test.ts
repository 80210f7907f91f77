import assert from 'node:assert/strict';
import { test } from 'node:test';
import { canonicalArguments, RunGovernor } from '../../../src/engine/tools/runGovernor.ts';

test('argument order and whitespace do not make calls different', () => {
  assert.equal(canonicalArguments('{"b":1,"a":{"y":2,"x":1}}'), canonicalArguments('{ "a": {"x":1, "y":2}, "b": 1 }'));
  assert.notEqual(canonicalArguments('{"a":1}'), canonicalArguments('{"a":2}'));
});

test('the same call with a changing result is progress, not a loop', () => {
  const governor = new RunGovernor({ maxIdenticalCalls: 3 });
  for (let attempt = 0; attempt < 6; attempt++) {
    assert.equal(governor.afterToolCall('run_tests', '{}', `failures: ${6 - attempt}`, false).stop, undefined);
  }
});

test('identical results that differ only in durations count as the same', () => {
  const governor = new RunGovernor({ maxIdenticalCalls: 3 });
  governor.afterToolCall('run_tests', '{}', 'Exit code 1 after 1.2 s.', false);
  governor.afterToolCall('run_tests', '{}', 'Exit code 1 after 3.4 s.', false);
  assert.equal(governor.afterToolCall('run_tests', '{}', 'Exit code 1 after 0.9 s.', false).stop?.reason, 'repeated_call');
});

test('the tool-call budget refuses the call past the limit', () => {
  const governor = new RunGovernor({ maxToolCalls: 2 });
  assert.equal(governor.beforeToolCall('read_file', '{}'), undefined);
  assert.equal(governor.beforeToolCall('read_file', '{}'), undefined);
  const stop = governor.beforeToolCall('read_file', '{}');
  assert.equal(stop?.reason, 'max_tool_calls');
  assert.match(stop!.message, /after 2 tool calls/);
});

test('a streak of failing calls ends the run; a success resets it', () => {
  const governor = new RunGovernor({ maxConsecutiveErrors: 3 });
  governor.afterToolCall('apply_edit', '{"n":1}', 'not found', true);
  governor.afterToolCall('apply_edit', '{"n":2}', 'not found', true);
  governor.afterToolCall('read_file', '{}', 'ok', false);
  governor.afterToolCall('apply_edit', '{"n":3}', 'not found', true);
  governor.afterToolCall('apply_edit', '{"n":4}', 'not found', true);
  const verdict = governor.afterToolCall('apply_edit', '{"n":5}', 'The search text was not found in x.ts.', true);
  assert.equal(verdict.stop?.reason, 'consecutive_errors');
  assert.match(verdict.stop!.message, /3 tool calls in a row failed.*apply_edit: The search text was not found/);
});

test('the token budget', () => {
  const governor = new RunGovernor({ maxTotalTokens: 1000 });
  assert.equal(governor.recordUsage(400, 100), undefined);
  assert.equal(governor.recordUsage(400, 100)?.reason, 'max_tokens');
  assert.equal(governor.tokens, 1000);
});
