// The worker realm lockdown is the boundary that holds even when sandboxed code reaches
// JavaScript (Pyodide's built-in ctypes can). Each probe here runs in a locked worker as if it
// were such code, holding ordinary references, and must fail.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Worker } from 'node:worker_threads';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const lockdownUrl = new URL('../../../src/engine/interpreter/worker/realmLockdown.ts', import.meta.url).href;

const probes = String.raw`
const { parentPort, workerData } = require('node:worker_threads');
(async () => {
  const fs = require('node:fs');
  const fsPromises = require('node:fs/promises');
  const childProcess = require('node:child_process');
  const net = require('node:net');
  const esmFs = await import('node:fs');
  const { lockDownRealm } = await import(workerData.lockdownUrl);
  lockDownRealm();
  const attempts = {
    'fs.readFileSync': () => fs.readFileSync('/etc/hostname', 'utf8'),
    'fs.writeFileSync': () => fs.writeFileSync(workerData.target, 'pwned'),
    'fs.promises.readFile': () => fs.promises.readFile('/etc/hostname'),
    'fs/promises.writeFile': () => fsPromises.writeFile(workerData.target, 'pwned'),
    'esm fs namespace': () => esmFs.writeFileSync(workerData.target, 'pwned'),
    'dynamic import fs': async () => (await import('node:fs')).writeFileSync(workerData.target, 'pwned'),
    'child_process.execSync': () => childProcess.execSync('id'),
    'child_process.spawn': () => childProcess.spawn('id'),
    'net.connect': () => net.connect(workerData.port, '127.0.0.1'),
    'process.binding': () => process.binding('fs'),
    'process.getBuiltinModule': () => process.getBuiltinModule('fs'),
    'process.dlopen': () => process.dlopen({}, '/nonexistent.node'),
    'process.kill': () => process.kill(process.pid, 0),
    'process.env': () => { if (Object.keys(process.env).length > 0) return Object.keys(process.env); throw new Error('empty'); },
    'eval': () => eval('1 + 1'),
    'indirect eval': () => (0, globalThis.eval)('1 + 1'),
    'Function': () => Function('return 1')(),
    'function constructor chain': () => (() => 0).constructor('return 1')(),
    'object constructor chain': () => ({}).constructor.constructor('return 1')(),
    'async function constructor': () => Object.getPrototypeOf(async () => {}).constructor('return 1')(),
    'generator constructor': () => Object.getPrototypeOf(function* () {}).constructor('yield 1')().next(),
    'fetch': () => fetch('http://127.0.0.1:' + workerData.port),
    'WebSocket': () => new WebSocket('ws://127.0.0.1:' + workerData.port),
    'require global': () => globalThis.require('fs'),
    'new Worker': () => new (require('node:worker_threads').Worker)('1', { eval: true }),
    'vm.runInThisContext': () => require('node:vm').runInThisContext('1'),
    'Error.prepareStackTrace': () => { Error.prepareStackTrace = (e, frames) => frames; const s = new Error().stack; if (!Array.isArray(s)) throw new Error('no frames'); return s; },
    'inspector.Session': () => new (require('node:inspector').Session)(),
    'os.userInfo': () => require('node:os').userInfo(),
    'tty.WriteStream on fd 1': () => new (require('node:tty').WriteStream)(1),
    'process.report.writeReport': () => process.report.writeReport(workerData.target),
    'node:test run': () => require('node:test').run({ files: [] }),
    'data: URL import': async () => (await import('data:text/javascript,export default process.getBuiltinModule("fs").readFileSync("/etc/hostname","utf8")')).default,
  };
  const outcomes = {};
  for (const [name, attempt] of Object.entries(attempts)) {
    try {
      const value = await attempt();
      outcomes[name] = 'SUCCEEDED: ' + String(value).slice(0, 80);
    } catch (error) {
      outcomes[name] = 'blocked';
    }
  }
  outcomes['still computes'] = String([1, 2, 3].map((n) => n * 2).join(','));
  parentPort.postMessage(outcomes);
})().catch((error) => parentPort.postMessage({ crashed: String(error && error.stack) }));
`;

test('a locked worker realm refuses every route to files, processes, network and new code', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'tw-lockdown-'));
  const target = join(dir, 'written-by-sandbox');
  const { createServer } = await import('node:net');
  let connections = 0;
  const server = createServer((socket) => {
    connections += 1;
    socket.destroy();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  try {
    const worker = new Worker(probes, { eval: true, workerData: { lockdownUrl, target, port }, env: { SECRET_TOKEN: 'x' }, stdout: true, stderr: true });
    const outcomes = await new Promise<Record<string, string>>((resolve, reject) => {
      worker.once('message', resolve);
      worker.once('error', reject);
    });
    await worker.terminate();
    assert.equal(outcomes.crashed, undefined, outcomes.crashed);
    const escaped = Object.entries(outcomes).filter(([name, outcome]) => name !== 'still computes' && outcome !== 'blocked');
    assert.deepEqual(escaped, []);
    assert.equal(outcomes['still computes'], '2,4,6');
    await new Promise((resolve) => setTimeout(resolve, 100));
    assert.equal(existsSync(target), false, 'no file was written');
    assert.equal(connections, 0, 'no connection reached the listener');
  } finally {
    server.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
