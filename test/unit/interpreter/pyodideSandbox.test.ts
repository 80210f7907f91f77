// Python on Pyodide, offline, through the same WorkerSandbox the host hands to the run loop.
// One runtime (one cold start, then snapshots) and one main session are shared by the tests.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:net';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { PyodideRuntime } from '../../../src/engine/interpreter/pyodideRuntime.ts';
import { WorkerSandbox } from '../../../src/engine/interpreter/workerSandbox.ts';
import { resolveLimits } from '../../../src/engine/interpreter/limits.ts';
import type { SandboxFile, SandboxRunResult } from '../../../src/engine/ports/codeInterpreter.ts';
import { monthlyCsv, pngScanlines, pngSize } from './fixtures.ts';

const limits = resolveLimits({ timeoutMs: 2000, killGraceMs: 1000, memoryMb: 384, maxLogBytes: 4096 });
const runtime = new PyodideRuntime({ memoryMb: limits.memoryMb });
const never = new AbortController().signal;
const encode = (text: string): Uint8Array => new TextEncoder().encode(text);
const decode = (bytes: Uint8Array): string => new TextDecoder().decode(bytes);

let session: WorkerSandbox;
const run = (code: string, files: SandboxFile[] = []): Promise<SandboxRunResult> => session.run({ language: 'python', code, files }, never);

before(() => {
  session = new WorkerSandbox(runtime, limits);
});
after(async () => {
  await session.dispose();
});

describe('Pyodide sandbox: analysis and charts offline', () => {
  test('sums a CSV per month with the csv module and prints the right totals', async () => {
    const { csv, totals } = monthlyCsv();
    const result = await run(
      [
        'import csv, collections',
        'totals = collections.defaultdict(float)',
        'with open("/mnt/data/sales.csv", newline="") as f:',
        '    for row in csv.DictReader(f):',
        '        totals[row["date"][:7]] += float(row["amount"])',
        'for month in sorted(totals):',
        '    print(month, f"{totals[month]:.2f}")',
      ].join('\n'),
      [{ name: 'sales.csv', bytes: encode(csv) }],
    );
    assert.equal(result.error, undefined, result.logs);
    for (const [month, total] of totals) assert.ok(result.logs.includes(`${month} ${total.toFixed(2)}\n`), `${month} ${total.toFixed(2)} in:\n${result.logs}`);
  });

  test('keeps variables between calls and prints the last expression like a notebook', async () => {
    const result = await run('len(totals), round(sum(totals.values()), 2)');
    const { totals } = monthlyCsv();
    const sum = [...totals.values()].reduce((a, b) => a + b, 0);
    assert.equal(result.logs.trim(), `(${totals.size}, ${Math.round(sum * 100) / 100})`);
  });

  test('twchart draws a bar chart PNG of the requested size, shown as an image', async () => {
    const result = await run('import twchart\nmonths = sorted(totals)\ntwchart.bar(months, [totals[m] for m in months], title="Monthly revenue", width=500, height=300).show()');
    assert.equal(result.error, undefined, result.logs);
    assert.equal(result.files.length, 0);
    assert.equal(result.images.length, 1);
    const image = result.images[0]!;
    assert.equal(image.mimeType, 'image/png');
    assert.deepEqual(pngSize(image.bytes), { width: 500, height: 300 });
    // The pixels decode: the corner is the white background and the first bar's blue is present.
    const pixels = pngScanlines(image.bytes);
    assert.equal(pixels.length, 300 * (1 + 500 * 3));
    assert.deepEqual([...pixels.subarray(1, 4)], [255, 255, 255]);
    assert.ok(pixels.includes(Buffer.from([0x4c, 0x78, 0xa8])), 'bar colour present');
  });

  test('a line chart saved as SVG comes back as an SVG image with the given size', async () => {
    const result = await run('twchart.line(["Q1","Q2","Q3"], {"a": [1, 3, 2], "b": [2, 2, 4]}, title="Trend", width=420, height=260).save("/mnt/data/trend.svg")');
    assert.equal(result.error, undefined, result.logs);
    const svg = result.images.find((image) => image.name === 'trend.svg');
    assert.ok(svg, JSON.stringify(result.images.map((image) => image.name)));
    assert.equal(svg.mimeType, 'image/svg+xml');
    const text = decode(svg.bytes);
    assert.match(text, /^<svg [^>]*width="420" height="260"/);
    assert.equal((text.match(/<line /g) ?? []).length, 4, 'two segments per series');
    assert.ok(text.includes('>Trend</text>'));
  });

  test('new files are returned, unchanged ones are not, and changed inputs replace old ones', async () => {
    const first = await run('open("/mnt/data/report.txt", "w").write("ok")');
    assert.deepEqual(first.files.map((file) => [file.name, decode(file.bytes)]), [['report.txt', 'ok']]);
    const again = await run('print(open("/mnt/data/sales.csv").readline().strip())', [{ name: 'sales.csv', bytes: encode('date,amount\nreplaced\n') }]);
    assert.equal(again.logs, 'date,amount\n');
    assert.deepEqual(again.files, []);
  });

  test('an exception returns the traceback in the logs and a runtime error', async () => {
    const result = await run('def f():\n    return 1 / 0\nf()');
    assert.equal(result.error?.kind, 'runtime');
    assert.equal(result.error?.message, 'ZeroDivisionError: division by zero');
    assert.match(result.logs, /line 2, in f\n\s+return 1 \/ 0/);
    assert.doesNotMatch(result.logs, /tw_harness/);
  });

  test('input() fails at once instead of waiting for a reader', async () => {
    const result = await run('try:\n    input("name? ")\nexcept OSError as e:\n    print("no stdin:", type(e).__name__)\nprint("alive")');
    assert.match(result.logs, /no stdin: OSError\nalive\n$/);
  });

  test('numpy is reported as unavailable offline, without a network attempt', async () => {
    const result = await run('import numpy as np');
    assert.equal(result.error?.kind, 'runtime');
    assert.match(result.error?.message ?? '', /ModuleNotFoundError: No module named 'numpy' \(numpy is not available offline/);
    assert.match(result.logs, /^\[sandbox\] numpy is not available in this sandbox/);
  });
});

describe('Pyodide sandbox: limits', () => {
  test('an infinite loop is interrupted at the time limit and the session keeps its variables', async () => {
    await run('kept = 7');
    const started = Date.now();
    const result = await run('while True:\n    pass');
    const elapsed = Date.now() - started;
    assert.equal(result.error?.kind, 'timeout');
    assert.match(result.error?.message ?? '', /2 s time limit/);
    assert.ok(elapsed >= limits.timeoutMs - 100 && elapsed < limits.timeoutMs + limits.killGraceMs, `took ${elapsed} ms`);
    assert.equal((await run('kept')).logs, '7\n');
  });

  test('a memory bomb ends in a memory error and the session survives', async () => {
    const result = await run('hog = []\nwhile True:\n    hog.append(bytearray(10**7))');
    assert.equal(result.error?.kind, 'memory');
    assert.match(result.error?.message ?? '', /384 MB/);
    assert.equal((await run('del hog\nkept + 1')).logs, '8\n');
  });

  test('a 100 MB print is stopped with an output-limit error and the logs stay small', async () => {
    const result = await run('print("x" * 100_000_000)\nprint("never reached")');
    assert.equal(result.error?.kind, 'output_limit');
    assert.ok(result.logs.length < limits.maxLogBytes + 200, `${result.logs.length} characters of logs`);
    assert.match(result.logs, /bytes of output omitted/);
    assert.doesNotMatch(result.logs, /never reached/);
  });

  test('code that swallows the interrupt is killed, the session restarts, files come back', async () => {
    await run('open("/mnt/data/keep.txt", "w").write("kept")');
    const result = await run('while True:\n    try:\n        while True:\n            pass\n    except KeyboardInterrupt:\n        pass');
    assert.equal(result.error?.kind, 'timeout');
    assert.match(result.error?.message ?? '', /restarted/);
    const after = await run('print(open("/mnt/data/keep.txt").read(), "kept" in globals())');
    assert.equal(after.error, undefined, after.logs);
    assert.equal(after.logs, 'kept False\n');
  });

  test('aborting a call interrupts it and rejects with the reason', async () => {
    const controller = new AbortController();
    const pending = session.run({ language: 'python', code: 'while True:\n    pass', files: [] }, controller.signal);
    setTimeout(() => controller.abort(new Error('run cancelled')), 300);
    await assert.rejects(pending, /run cancelled/);
    assert.equal((await run('print("next")')).logs, 'next\n');
  });
});

describe('Pyodide sandbox: escape attempts', () => {
  let server: Server;
  let connections = 0;
  let port = 0;
  let secretDir = '';
  let secretPath = '';
  const workspaceFile = join(process.cwd(), 'package.json');
  before(async () => {
    server = createServer((socket) => {
      connections += 1;
      socket.destroy();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as { port: number }).port;
    secretDir = mkdtempSync(join(homedir(), '.tw-secret-'));
    secretPath = join(secretDir, 'id_rsa');
    writeFileSync(secretPath, 'SECRET KEY');
  });
  after(() => {
    server.close();
    rmSync(secretDir, { recursive: true, force: true });
  });

  test('host files (a key under ~ and a workspace file) cannot be read', async () => {
    assert.ok(existsSync(workspaceFile));
    const result = await run(`for p in [${JSON.stringify(secretPath)}, ${JSON.stringify(workspaceFile)}, "/etc/hostname"]:\n    try:\n        print("READ", p, open(p).read()[:20])\n    except OSError as e:\n        print("denied", type(e).__name__)`);
    assert.doesNotMatch(result.logs, /READ/);
    assert.equal((result.logs.match(/denied FileNotFoundError/g) ?? []).length, 3, result.logs);
  });

  test('sockets, urllib and pyfetch reach nothing', async () => {
    const result = await run(
      [
        'import socket, urllib.request',
        'for attempt in (',
        `    lambda: socket.create_connection(("127.0.0.1", ${port}), timeout=2).sendall(b"x"),`,
        `    lambda: urllib.request.urlopen("http://127.0.0.1:${port}/", timeout=2).read(),`,
        '):',
        '    try:',
        '        attempt(); print("CONNECTED")',
        '    except Exception as e:',
        '        print("blocked", type(e).__name__)',
        'try:',
        '    from pyodide.http import pyfetch',
        `    pyfetch("http://127.0.0.1:${port}/").send(None); print("FETCHED")`,
        'except Exception as e:',
        '    print("blocked", type(e).__name__)',
      ].join('\n'),
    );
    assert.doesNotMatch(result.logs, /CONNECTED|FETCHED/);
    assert.equal((result.logs.match(/^blocked /gm) ?? []).length, 3, result.logs);
    await new Promise((resolve) => setTimeout(resolve, 100));
    assert.equal(connections, 0);
  });

  test('the js and pyodide_js bridges are gone and JS proxies lead to no Function constructor', async () => {
    const result = await run(
      [
        'for name in ("js", "pyodide_js"):',
        '    try:',
        '        __import__(name); print("IMPORTED", name)',
        '    except ImportError:',
        '        print("no", name)',
        'from pyodide.ffi import to_js',
        'print("constructor", to_js([1]).constructor.constructor)',
      ].join('\n'),
    );
    assert.equal(result.logs, 'no js\nno pyodide_js\nconstructor None\n');
  });

  test('JavaScript reached through ctypes cannot touch the host; the session restarts', async () => {
    const marker = join(secretDir, 'written-through-ctypes');
    const js = `process.getBuiltinModule('fs').writeFileSync(${JSON.stringify(marker)}, 'pwned')`;
    const result = await run(`import ctypes\nctypes.CDLL(None).emscripten_run_script(${JSON.stringify(js)}.encode())\nprint("RAN")`);
    assert.doesNotMatch(result.logs, /^RAN/m);
    assert.equal(existsSync(marker), false);
    assert.equal(readFileSync(secretPath, 'utf8'), 'SECRET KEY');
    assert.equal((await run('print(1 + 1)')).logs.trim().split('\n').pop(), '2');
  });

  test('writes outside /mnt/data stay inside the virtual file system', async () => {
    const outside = join(tmpdir(), `tw-escape-${process.pid}.txt`);
    const result = await run(`import os\nos.makedirs(${JSON.stringify(tmpdir())}, exist_ok=True)\nopen(${JSON.stringify(outside)}, "w").write("x")\nprint("wrote virtually")`);
    assert.equal(result.logs, 'wrote virtually\n');
    assert.equal(existsSync(outside), false);
  });
});

describe('Pyodide sandbox: sessions', () => {
  test('with downloads on but no network, a package import fails cleanly and the session carries on', async () => {
    const cacheDir = mkdtempSync(join(tmpdir(), 'tw-wheels-'));
    const online = new PyodideRuntime({ memoryMb: limits.memoryMb, packageCacheDir: cacheDir, allowPackageDownloads: true });
    const downloading = new WorkerSandbox(online, limits);
    try {
      await downloading.run({ language: 'python', code: 'before = 1', files: [] }, never);
      const result = await downloading.run({ language: 'python', code: 'import six', files: [] }, never);
      assert.equal(result.error?.kind, 'runtime');
      assert.match(result.error?.message ?? '', /ModuleNotFoundError: No module named 'six' \(six could not be downloaded/);
      assert.match(result.logs, /^\[sandbox\] Could not load six from Pyodide's package index \(.+\)/);
      assert.equal((await downloading.run({ language: 'python', code: 'before', files: [] }, never)).logs, '1\n', 'the old session was kept');
    } finally {
      await downloading.dispose();
      rmSync(cacheDir, { recursive: true, force: true });
    }
  });

  test('a second session starts from the snapshot and shares nothing with the first', async () => {
    await run('shared_secret = 42');
    const other = new WorkerSandbox(runtime, limits);
    try {
      const started = Date.now();
      const result = await other.run({ language: 'python', code: 'print("shared_secret" in globals(), sorted(__import__("os").listdir("/mnt/data")))', files: [] }, never);
      assert.equal(result.logs, 'False []\n');
      assert.ok(runtime.hasSnapshot);
      assert.ok(Date.now() - started < 5000, `warm start took ${Date.now() - started} ms`);
    } finally {
      await other.dispose();
    }
  });
});
