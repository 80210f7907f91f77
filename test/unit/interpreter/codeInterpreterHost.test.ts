// Sessions per thread: reuse, isolation, idle close, shutdown, and routing Python to the runner
// that was configured. JavaScript sessions keep this quick; the Python runners have their own files.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SandboxedCodeInterpreterHost } from '../../../src/engine/interpreter/codeInterpreterHost.ts';

const never = new AbortController().signal;
const js = (code: string) => ({ language: 'javascript' as const, code, files: [] });

test('one session per thread: state is kept within a thread and never shared across threads', async () => {
  const host = new SandboxedCodeInterpreterHost({ javascriptMemoryMb: 32 });
  try {
    const first = host.sessionFor('thread_a');
    assert.equal(host.sessionFor('thread_a'), first);
    await first.run(js('var owner = "a"'), never);
    assert.equal((await host.sessionFor('thread_a').run(js('owner'), never)).logs, 'a\n');
    const other = await host.sessionFor('thread_b').run(js('typeof owner'), never);
    assert.equal(other.logs, 'undefined\n');
  } finally {
    await host.dispose();
  }
});

test('an idle session is closed and the next call starts afresh', async () => {
  const host = new SandboxedCodeInterpreterHost({ idleMs: 200 });
  try {
    const session = host.sessionFor('thread_idle');
    await session.run(js('var remembered = 1'), never);
    assert.equal((await session.run(js('typeof remembered'), never)).logs, 'number\n');
    await new Promise((resolve) => setTimeout(resolve, 600));
    assert.equal((await session.run(js('typeof remembered'), never)).logs, 'undefined\n');
  } finally {
    await host.dispose();
  }
});

test('after shutdown sessions refuse to run', async () => {
  const host = new SandboxedCodeInterpreterHost();
  const session = host.sessionFor('thread_shutdown');
  await session.run(js('1'), never);
  await host.dispose();
  await assert.rejects(session.run(js('1'), never), /shut down/);
});

test('with the local runner configured, Python goes to python3 under bubblewrap', async () => {
  const workRoot = mkdtempSync(join(tmpdir(), 'tw-host-test-'));
  const host = new SandboxedCodeInterpreterHost({ python: 'local', local: { workRoot } });
  try {
    const result = await host.sessionFor('thread_local').run({ language: 'python', code: 'import sys, pandas\nprint(sys.version_info[:2] >= (3, 8), "pandas" in sys.modules)', files: [] }, never);
    assert.equal(result.error, undefined, result.logs);
    assert.equal(result.logs, 'True True\n');
  } finally {
    await host.dispose();
    rmSync(workRoot, { recursive: true, force: true });
  }
});
