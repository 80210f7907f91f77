/**
 * Code interpreter start-up and speed, measured side by side in one run:
 *
 * - Pyodide cold start: a new runtime's first session, to the end of its first (empty) cell:
 *   wasm compile + interpreter start + the snapshot later sessions start from;
 * - Pyodide warm start: a new session on the same runtime (compiled module + snapshot cached);
 * - a fixed pure-Python compute loop in Pyodide next to the same loop in the local runner's
 *   python3 under bubblewrap (the limit: native CPython), timed inside Python and per call;
 * - QuickJS session start, for reference.
 *
 *   npm run bench:interpreter [-- --repeat N]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { resolveLimits } from '../src/engine/interpreter/limits.ts';
import { LocalPythonRuntime } from '../src/engine/interpreter/local/localPythonRuntime.ts';
import { LocalPythonSandbox } from '../src/engine/interpreter/local/localPythonSandbox.ts';
import { PyodideRuntime } from '../src/engine/interpreter/pyodideRuntime.ts';
import { QuickJsRuntime } from '../src/engine/interpreter/quickJsRuntime.ts';
import { WorkerSandbox } from '../src/engine/interpreter/workerSandbox.ts';
import type { CodeSandbox } from '../src/engine/ports/codeInterpreter.ts';

const args = process.argv.slice(2);
const repeatAt = args.indexOf('--repeat');
const REPEAT = repeatAt >= 0 ? Number(args[repeatAt + 1]) : 3;
const never = new AbortController().signal;
const limits = resolveLimits({ timeoutMs: 120_000 });

// Integer arithmetic, a dict and string formatting: what data-wrangling cells spend time on.
const LOOP = `
import time
start = time.perf_counter()
counts = {}
total = 0
for i in range(1_500_000):
    total += (i * i) % 7
    key = i % 97
    counts[key] = counts.get(key, 0) + 1
labels = [f"{k}:{v}" for k, v in counts.items()]
print(f"{(time.perf_counter() - start) * 1000:.1f}", total, len(labels))
`;

const median = (values: number[]): number => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
const ms = (value: number): string => `${value.toFixed(0).padStart(7)} ms`;

async function timed(session: CodeSandbox, language: 'python' | 'javascript', code: string): Promise<{ wallMs: number; logs: string }> {
  const started = performance.now();
  const result = await session.run({ language, code, files: [] }, never);
  if (result.error) throw new Error(`${result.error.kind}: ${result.error.message}\n${result.logs}`);
  return { wallMs: performance.now() - started, logs: result.logs };
}

async function loopTimes(session: CodeSandbox): Promise<{ insideMs: number; wallMs: number; check: string }> {
  await timed(session, 'python', LOOP); // warm-up: first run imports and allocates
  const inside: number[] = [];
  const wall: number[] = [];
  let check = '';
  for (let i = 0; i < REPEAT; i += 1) {
    const { wallMs, logs } = await timed(session, 'python', LOOP);
    const [elapsed, ...rest] = logs.trim().split(' ');
    inside.push(Number(elapsed));
    wall.push(wallMs);
    check = rest.join(' ');
  }
  return { insideMs: median(inside), wallMs: median(wall), check };
}

async function main(): Promise<void> {
  console.log(`code interpreter bench (node ${process.version}, ${REPEAT} timed runs per loop, medians)\n`);

  const runtime = new PyodideRuntime({ memoryMb: limits.memoryMb });
  const cold = new WorkerSandbox(runtime, limits);
  const coldMs = (await timed(cold, 'python', 'pass')).wallMs;
  const warmStarts: number[] = [];
  for (let i = 0; i < REPEAT; i += 1) {
    const warm = new WorkerSandbox(runtime, limits);
    warmStarts.push((await timed(warm, 'python', 'pass')).wallMs);
    await warm.dispose();
  }
  const warmMs = median(warmStarts);
  const pyodideLoop = await loopTimes(cold);
  await cold.dispose();

  const workRoot = mkdtempSync(join(tmpdir(), 'tw-bench-'));
  const localRuntime = new LocalPythonRuntime({ workRoot });
  const availability = await localRuntime.check();
  let localLoop: { insideMs: number; wallMs: number; check: string } | undefined;
  let localStartMs = Number.NaN;
  if (availability.available) {
    const local = new LocalPythonSandbox(localRuntime, limits);
    localStartMs = (await timed(local, 'python', 'pass')).wallMs;
    localLoop = await loopTimes(local);
    await local.dispose();
  }
  rmSync(workRoot, { recursive: true, force: true });

  const quickJs = new WorkerSandbox(new QuickJsRuntime({ memoryMb: 64 }), limits);
  const quickJsStartMs = (await timed(quickJs, 'javascript', '0')).wallMs;
  await quickJs.dispose();

  console.log('start-up (new session to the end of an empty first cell)');
  console.log(`  Pyodide cold start            ${ms(coldMs)}`);
  console.log(`  Pyodide warm start (snapshot) ${ms(warmMs)}   warm/cold = ${(warmMs / coldMs).toFixed(3)}  (${(coldMs / warmMs).toFixed(1)}x faster)`);
  console.log(`  local python3 + bubblewrap    ${ms(localStartMs)}`);
  console.log(`  QuickJS                       ${ms(quickJsStartMs)}`);
  console.log('\ncompute loop (1.5M iterations: arithmetic, dict, f-strings)');
  console.log(`  Pyodide          inside ${ms(pyodideLoop.insideMs)}   per call ${ms(pyodideLoop.wallMs)}   [${pyodideLoop.check}]`);
  if (localLoop) {
    console.log(`  local python3    inside ${ms(localLoop.insideMs)}   per call ${ms(localLoop.wallMs)}   [${localLoop.check}]`);
    console.log(`  Pyodide / local python3 (the limit): ${(pyodideLoop.insideMs / localLoop.insideMs).toFixed(2)}x inside, ${(pyodideLoop.wallMs / localLoop.wallMs).toFixed(2)}x per call`);
    if (localLoop.check !== pyodideLoop.check) console.log('  WARNING: the two runs computed different results');
  } else {
    console.log(`  local python3: unavailable (${availability.available ? '' : availability.reason})`);
  }
}

await main();
