// JavaScript cells in QuickJS (wasm) inside a worker thread.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { QuickJsRuntime } from '../../../src/engine/interpreter/quickJsRuntime.ts';
import { WorkerSandbox } from '../../../src/engine/interpreter/workerSandbox.ts';
import { resolveLimits } from '../../../src/engine/interpreter/limits.ts';
import type { SandboxFile, SandboxRunResult } from '../../../src/engine/ports/codeInterpreter.ts';

const limits = resolveLimits({ timeoutMs: 1500, killGraceMs: 1000, maxLogBytes: 2048 });
const never = new AbortController().signal;
let session: WorkerSandbox;
const run = (code: string, files: SandboxFile[] = []): Promise<SandboxRunResult> => session.run({ language: 'javascript', code, files }, never);

before(() => {
  session = new WorkerSandbox(new QuickJsRuntime({ memoryMb: 32 }), limits);
});
after(async () => {
  await session.dispose();
});

test('console output is captured and the last value is printed', async () => {
  const result = await run('console.log("rows", [1, 2], { total: 3 }); console.error("warn"); var kept = 41; kept + 1');
  assert.equal(result.error, undefined);
  assert.equal(result.logs, 'rows [1,2] {"total":3}\nwarn\n42\n');
});

test('no Node or host API is reachable from the VM', async () => {
  const result = await run('[typeof require, typeof process, typeof fetch, typeof globalThis.std, typeof globalThis.os, typeof setTimeout].join(" ")');
  assert.equal(result.logs, 'undefined undefined undefined undefined undefined undefined\n');
});

test('files under /mnt/data can be read and written, and written ones come back', async () => {
  const csv = 'month,amount\n2024-01,10\n2024-01,5\n2024-02,7\n';
  const result = await run(
    'const sums = {}; for (const line of readFile("/mnt/data/sales.csv").trim().split("\\n").slice(1)) { const [m, a] = line.split(","); sums[m] = (sums[m] ?? 0) + Number(a); } writeFile("sums.json", JSON.stringify(sums)); sums',
    [{ name: 'sales.csv', bytes: new TextEncoder().encode(csv) }],
  );
  assert.equal(result.logs, '{"2024-01":15,"2024-02":7}\n');
  assert.deepEqual(result.files.map((file) => [file.name, new TextDecoder().decode(file.bytes)]), [['sums.json', '{"2024-01":15,"2024-02":7}']]);
});

test('an endless loop is interrupted and the session keeps its variables', async () => {
  const started = Date.now();
  const result = await run('while (true) {}');
  assert.equal(result.error?.kind, 'timeout');
  assert.ok(Date.now() - started < limits.timeoutMs + limits.killGraceMs, 'interrupted, not killed');
  assert.equal((await run('kept')).logs, '41\n');
});

test('allocating past the memory limit is a memory error, and the session goes on', async () => {
  // QuickJS can take seconds to unwind out-of-memory after many small allocations, so this session
  // allows more time and the bomb doubles its allocations.
  const roomy = new WorkerSandbox(new QuickJsRuntime({ memoryMb: 32 }), { ...limits, timeoutMs: 20_000 });
  try {
    const result = await roomy.run({ language: 'javascript', code: 'var kept = 1; const hog = []; for (let n = 1 << 20; ; n *= 2) hog.push(new Uint8Array(n));', files: [] }, never);
    assert.equal(result.error?.kind, 'memory');
    assert.match(result.error?.message ?? '', /32 MB/);
    assert.equal((await roomy.run({ language: 'javascript', code: 'kept + 1', files: [] }, never)).logs, '2\n');
  } finally {
    await roomy.dispose();
  }
});

test('printing without end is stopped by the output limit', async () => {
  const result = await run('for (;;) console.log("x".repeat(1000))');
  assert.equal(result.error?.kind, 'output_limit');
  assert.ok(result.logs.length < limits.maxLogBytes + 200);
});

test('a thrown error is a runtime error with its stack in the logs', async () => {
  const result = await run('function f() { return null.x } f()');
  assert.equal(result.error?.kind, 'runtime');
  assert.match(result.error?.message ?? '', /^TypeError: cannot read property 'x' of null/);
  assert.match(result.logs, /at f \(cell\.js/);
});
