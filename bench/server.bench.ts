// bench:server — throughput and latency of `threadwork serve` next to a bare node:http server
// that answers with the same bytes, measured side by side in one run:
//   GET  /v1/threads/{id}/messages   (a thread of 20 messages, the default page of 20)
//   POST /v1/threads/{id}/messages   (each client on its own thread, so no run lock is involved)
// The load comes from a child process (50 concurrent keep-alive clients on 127.0.0.1, bounded by
// request count and time), so the server under test has its own process. Each pair is measured
// in alternating rounds; the best round of each side is reported, with the ratio to the bare server.
// Next to throughput it reports the server's CPU time per request (the least over the rounds), a
// figure that holds up when other processes compete for the cores, and what the engine call
// alone costs in-process, so the HTTP layer's share is visible.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { Agent, createServer, request as httpRequest, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import os, { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Engine } from '../src/engine/engine.ts';
import { startServer } from '../src/server/apiServer.ts';

const CONCURRENCY = Number(process.env['CONCURRENCY'] ?? 50);
const DURATION_MS = Number(process.env['DURATION_MS'] ?? 3_000);
const MAX_REQUESTS = Number(process.env['MAX_REQUESTS'] ?? 200_000);
const WARMUP_MS = Number(process.env['WARMUP_MS'] ?? 1_000);
const ROUNDS = Number(process.env['ROUNDS'] ?? 4);
const TOKEN = 'bench-token';
const HEADERS = { authorization: `Bearer ${TOKEN}`, 'openai-beta': 'assistants=v2', 'content-type': 'application/json' };

interface LoadSpec {
  port: number;
  method: 'GET' | 'POST';
  /** One path per client (client i uses paths[i % paths.length]). */
  paths: string[];
  body?: string;
  durationMs: number;
  maxRequests: number;
}

interface LoadResult {
  requests: number;
  errors: number;
  seconds: number;
  rps: number;
  p50: number;
  p99: number;
  /** CPU time the server process spent per request (user + system, µs): robust when other processes compete for the cores. */
  cpuPerRequest: number;
}

// ---- the load generator (child process) ----

async function generateLoad(spec: LoadSpec): Promise<LoadResult> {
  const agent = new Agent({ keepAlive: true, maxSockets: CONCURRENCY });
  const latencies: number[] = [];
  let started = 0;
  let errors = 0;
  const deadline = performance.now() + spec.durationMs;
  const one = (path: string): Promise<boolean> =>
    new Promise((resolve) => {
      const request = httpRequest({ agent, host: '127.0.0.1', port: spec.port, method: spec.method, path, headers: HEADERS }, (response) => {
        response.resume();
        response.once('end', () => resolve(response.statusCode === 200));
        response.once('error', () => resolve(false));
      });
      request.once('error', () => resolve(false));
      request.end(spec.body);
    });
  const client = async (index: number): Promise<void> => {
    const path = spec.paths[index % spec.paths.length]!;
    while (performance.now() < deadline && started < spec.maxRequests) {
      started++;
      const begin = performance.now();
      const ok = await one(path);
      latencies.push(performance.now() - begin);
      if (!ok) errors++;
    }
  };
  const begin = performance.now();
  await Promise.all(Array.from({ length: CONCURRENCY }, (_, i) => client(i)));
  const seconds = (performance.now() - begin) / 1000;
  agent.destroy();
  latencies.sort((a, b) => a - b);
  const at = (q: number): number => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? 0;
  return { requests: latencies.length, errors, seconds, rps: latencies.length / seconds, p50: at(0.5), p99: at(0.99), cpuPerRequest: 0 };
}

/** Runs one measurement in a child process; the servers live in this process, so its CPU time is theirs. */
async function runLoad(spec: LoadSpec): Promise<LoadResult> {
  const child = spawn(process.execPath, [fileURLToPath(import.meta.url), '--load'], { stdio: ['pipe', 'pipe', 'inherit'] });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', resolve);
  });
  // The child takes a moment to start; CPU is counted from its first request to its last.
  const cpuBefore = process.cpuUsage();
  child.stdin.end(JSON.stringify(spec));
  const code = await exited;
  const cpu = process.cpuUsage(cpuBefore);
  if (code !== 0) throw new Error(`load generator exited with ${code}`);
  const result = JSON.parse(output) as LoadResult;
  result.cpuPerRequest = (cpu.user + cpu.system) / Math.max(1, result.requests);
  return result;
}

// ---- the servers ----

/** A bare node:http server answering every request with fixed bytes and headers, after reading the body. */
async function bareServer(answers: { GET: { body: Buffer; headers: IncomingHttpHeaders }; POST: { body: Buffer; headers: IncomingHttpHeaders } }): Promise<Server> {
  const server = createServer((request, response) => {
    const answer = answers[request.method === 'POST' ? 'POST' : 'GET'];
    request.resume();
    request.once('end', () => {
      response.writeHead(200, {
        'content-type': String(answer.headers['content-type']),
        'content-length': answer.body.length,
        'openai-poll-after-ms': String(answer.headers['openai-poll-after-ms']),
      });
      response.end(answer.body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return server;
}

function fetchOnce(port: number, method: string, path: string, body?: string): Promise<{ body: Buffer; headers: IncomingHttpHeaders; status: number }> {
  return new Promise((resolve, reject) => {
    const request = httpRequest({ host: '127.0.0.1', port, method, path, headers: HEADERS }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.once('end', () => resolve({ body: Buffer.concat(chunks), headers: response.headers, status: response.statusCode ?? 0 }));
    });
    request.once('error', reject);
    request.end(body);
  });
}

/** Median CPU time per call of the engine work behind each scenario, without HTTP (CPU, not wall time: other processes may hold the cores). */
function engineCosts(engine: Engine, listThreadId: string, postThreads: string[]): { list: number; create: number } {
  const median = (work: (i: number) => void): number => {
    const batches: number[] = [];
    for (let batch = 0; batch < 20; batch++) {
      const before = process.cpuUsage();
      for (let i = 0; i < 100; i++) work(i);
      const used = process.cpuUsage(before);
      batches.push((used.user + used.system) / 100);
    }
    return batches.sort((a, b) => a - b)[10]!;
  };
  return {
    list: median(() => engine.messages.listJson(listThreadId)),
    create: median((i) => engine.messages.create(postThreads[i % postThreads.length]!, { role: 'user', content: 'An in-process message for the engine-only figure.' })),
  };
}

const fmt = (value: number, digits = 0): string => value.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'threadwork-bench-server-'));
  const engine = new Engine({ databasePath: join(dir, 'bench.sqlite'), modelBackend: null });
  const api = await startServer({ engine, token: TOKEN, log: (message) => process.stderr.write(`${message}\n`) });
  const listThread = engine.threads.create({
    messages: Array.from({ length: 20 }, (_, i) => ({ role: (i % 2 ? 'assistant' : 'user') as 'user' | 'assistant', content: `Message ${i + 1}: ${'a reasonably sized line of conversation text, '.repeat(3)}` })),
  });
  const postThreads = Array.from({ length: CONCURRENCY }, () => engine.threads.create().id);
  const postBody = JSON.stringify({ role: 'user', content: 'A new message for the benchmark, about the length of a typical question.' });
  const listPath = `/v1/threads/${listThread.id}/messages`;

  const listed = await fetchOnce(api.port, 'GET', listPath);
  const created = await fetchOnce(api.port, 'POST', `/v1/threads/${postThreads[0]}/messages`, postBody);
  if (listed.status !== 200 || created.status !== 200) throw new Error(`setup requests failed: ${listed.status} ${created.status}`);
  const listedCount = (JSON.parse(listed.body.toString()) as { data: unknown[] }).data.length;
  const bare = await bareServer({ GET: listed, POST: created });
  const barePort = (bare.address() as AddressInfo).port;

  const only = process.env['SCENARIO'];
  const scenarios = [
    { name: `GET messages (${listedCount} per page, ${listed.body.length} bytes)`, method: 'GET' as const, paths: [listPath], body: undefined },
    { name: `POST message (${created.body.length}-byte answer)`, method: 'POST' as const, paths: postThreads.map((id) => `/v1/threads/${id}/messages`), body: postBody },
  ].filter((scenario) => !only || scenario.method === only.toUpperCase());
  console.log(`bench:server — ${CONCURRENCY} keep-alive clients in a child process, ${DURATION_MS} ms per measurement (≤ ${MAX_REQUESTS} requests), best of ${ROUNDS} alternating rounds, node ${process.version}`);
  const engineCost = engineCosts(engine, listThread.id, postThreads);
  console.log(`engine alone, in-process CPU per call (median of 20 batches of 100): messages.listJson ${fmt(engineCost.list, 1)} µs, messages.create ${fmt(engineCost.create, 1)} µs`);
  const rows: string[][] = [];
  let worstRatio = Infinity;
  let worstCpuRatio = Infinity;
  for (const scenario of scenarios) {
    const spec = (port: number, durationMs: number): LoadSpec => ({ port, method: scenario.method, paths: scenario.paths, ...(scenario.body ? { body: scenario.body } : {}), durationMs, maxRequests: MAX_REQUESTS });
    await runLoad(spec(api.port, WARMUP_MS));
    await runLoad(spec(barePort, WARMUP_MS));
    const ours: LoadResult[] = [];
    const theirs: LoadResult[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      ours.push(await runLoad(spec(api.port, DURATION_MS)));
      theirs.push(await runLoad(spec(barePort, DURATION_MS)));
    }
    const best = (results: LoadResult[]): LoadResult => results.reduce((a, b) => (b.rps > a.rps ? b : a));
    const mine = best(ours);
    const base = best(theirs);
    const errors = ours.reduce((sum, r) => sum + r.errors, 0) + theirs.reduce((sum, r) => sum + r.errors, 0);
    if (errors > 0) throw new Error(`${scenario.name}: ${errors} requests failed`);
    const ratio = mine.rps / base.rps;
    worstRatio = Math.min(worstRatio, ratio);
    const cpuOf = (results: LoadResult[]): number => Math.min(...results.map((r) => r.cpuPerRequest));
    const cpuRatio = cpuOf(theirs) / cpuOf(ours);
    worstCpuRatio = Math.min(worstCpuRatio, cpuRatio);
    rows.push([scenario.name, 'threadwork serve', fmt(mine.rps), fmt(mine.p50, 2), fmt(mine.p99, 2), `${fmt(ratio * 100, 1)}%`, fmt(cpuOf(ours)), `${fmt(cpuRatio * 100, 1)}%`]);
    rows.push(['', 'bare node:http, same bytes', fmt(base.rps), fmt(base.p50, 2), fmt(base.p99, 2), '100%', fmt(cpuOf(theirs)), '100%']);
  }
  const header = ['scenario', 'server', 'req/s', 'p50 ms', 'p99 ms', 'vs bare', 'server CPU µs/req', 'capacity vs bare'];
  const widths = header.map((title, i) => Math.max(title.length, ...rows.map((row) => row[i]!.length)));
  const line = (cells: string[]): string => cells.map((cell, i) => (i >= 2 ? cell.padStart(widths[i]!) : cell.padEnd(widths[i]!))).join('  ');
  console.log(line(header));
  for (const row of rows) console.log(line(row));
  console.log(`Lowest ratio: ${fmt(worstRatio * 100, 1)}% of the bare server's throughput (target: at least 50%).`);
  console.log(`Lowest capacity ratio (bare CPU per request / ours): ${fmt(worstCpuRatio * 100, 1)}% — the throughput ratio to expect when the server, not the machine, is the limit.`);
  console.log(`Load while measuring: ${os.loadavg().map((value) => value.toFixed(2)).join(' ')} on ${os.availableParallelism()} cores.`);

  await new Promise<void>((resolve) => bare.close(() => resolve()));
  await api.close();
  await engine.close();
  rmSync(dir, { recursive: true, force: true });
}

if (process.argv.includes('--load')) {
  let input = '';
  process.stdin.on('data', (chunk: Buffer) => (input += chunk.toString()));
  process.stdin.once('end', () => {
    generateLoad(JSON.parse(input) as LoadSpec).then(
      (result) => process.stdout.write(JSON.stringify(result)),
      (error: unknown) => {
        process.stderr.write(`${String(error)}\n`);
        process.exitCode = 1;
      },
    );
  });
} else {
  main().catch((error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  });
}
