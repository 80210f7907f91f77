import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { setTimeout as delay } from 'node:timers/promises';
import { after, before, describe, test } from 'node:test';
import { runShellCommand } from '../../../src/engine/tools/processRunner.ts';
import type { Fixture } from './workspaceFixture.ts';
import { createFixture } from './workspaceFixture.ts';

/** A killed child may linger as a zombie until reaped; that counts as gone. */
function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
}

async function waitUntilGone(pid: number): Promise<boolean> {
  for (let attempt = 0; attempt < 40; attempt++) {
    if (!isAlive(pid)) return true;
    await delay(50);
  }
  return false;
}

const limits = { headBytes: 4096, tailBytes: 4096 };

describe('running shell commands', () => {
  let fixture: Fixture;
  before(() => {
    fixture = createFixture();
  });
  after(() => fixture.cleanup());

  test('captures stdout and stderr with the exit code, in the given folder', async () => {
    const outcome = await runShellCommand({ command: 'pwd; echo out; echo err >&2; exit 3', cwd: fixture.root, timeoutMs: 10_000, ...limits });
    assert.equal(outcome.exitCode, 3);
    assert.equal(outcome.output, `${fixture.root}\nout\nerr\n`);
    assert.equal(outcome.timedOut, false);
  });

  test('a timeout kills the command and the children it started', async () => {
    const started = Date.now();
    const outcome = await runShellCommand({ command: 'sleep 30 & echo "child $!"; wait', cwd: fixture.root, timeoutMs: 400, ...limits });
    assert.equal(outcome.timedOut, true);
    assert.ok(Date.now() - started < 5000);
    const child = Number(/child (\d+)/.exec(outcome.output)?.[1]);
    assert.ok(child > 0, outcome.output);
    assert.equal(await waitUntilGone(child), true, 'the background sleep was killed with the group');
  });

  test('aborting the signal cancels the command and its children', async () => {
    const controller = new AbortController();
    const running = runShellCommand({ command: 'sh -c "sleep 30" & echo "child $!"; sleep 30', cwd: fixture.root, timeoutMs: 60_000, signal: controller.signal, ...limits });
    await delay(300);
    controller.abort();
    const outcome = await running;
    assert.equal(outcome.cancelled, true);
    const child = Number(/child (\d+)/.exec(outcome.output)?.[1]);
    assert.equal(await waitUntilGone(child), true);
  });

  test('processes left in the background when the command ends are stopped', async () => {
    const outcome = await runShellCommand({ command: 'sleep 30 > /dev/null 2>&1 & echo "child $!"', cwd: fixture.root, timeoutMs: 10_000, ...limits });
    assert.equal(outcome.exitCode, 0);
    const child = Number(/child (\d+)/.exec(outcome.output)?.[1]);
    assert.equal(await waitUntilGone(child), true);
  });

  test('long output keeps its head and tail', async () => {
    const outcome = await runShellCommand({ command: 'seq 1 200000', cwd: fixture.root, timeoutMs: 10_000, headBytes: 20, tailBytes: 20 });
    assert.ok(outcome.output.startsWith('1\n2\n3\n'));
    assert.ok(outcome.output.trimEnd().endsWith('199999\n200000'));
    assert.match(outcome.output, /bytes of output omitted/);
    assert.ok(outcome.omittedBytes > 1_000_000);
  });
});
