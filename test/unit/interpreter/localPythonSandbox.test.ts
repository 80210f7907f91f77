// The opt-in local runner: Debian's python3 with pandas and matplotlib, under bubblewrap.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:net';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { LocalPythonRuntime } from '../../../src/engine/interpreter/local/localPythonRuntime.ts';
import { LocalPythonSandbox } from '../../../src/engine/interpreter/local/localPythonSandbox.ts';
import { resolveLimits } from '../../../src/engine/interpreter/limits.ts';
import type { SandboxFile, SandboxRunResult } from '../../../src/engine/ports/codeInterpreter.ts';
import { monthlyCsv, pngSize } from './fixtures.ts';

const limits = resolveLimits({ timeoutMs: 6000, killGraceMs: 1000, memoryMb: 1024, maxLogBytes: 4096 });
const workRoot = mkdtempSync(join(tmpdir(), 'tw-local-test-'));
const runtime = new LocalPythonRuntime({ workRoot });
const never = new AbortController().signal;
const encode = (text: string): Uint8Array => new TextEncoder().encode(text);
const decode = (bytes: Uint8Array): string => new TextDecoder().decode(bytes);

/** Host pids whose command line contains `needle` (arguments joined by NUL). */
function processesRunning(needle: string): string[] {
  return readdirSync('/proc').filter((pid) => {
    if (!/^\d+$/.test(pid)) return false;
    try {
      return readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(needle);
    } catch {
      return false;
    }
  });
}

let session: LocalPythonSandbox;
const run = (code: string, files: SandboxFile[] = []): Promise<SandboxRunResult> => session.run({ language: 'python', code, files }, never);

before(() => {
  session = new LocalPythonSandbox(runtime, limits);
});
after(async () => {
  await session.dispose();
  assert.deepEqual(readdirSync(workRoot), [], 'the session removed its work folder');
  rmSync(workRoot, { recursive: true, force: true });
});

describe('local Python runner: pandas and matplotlib', () => {
  test('bubblewrap and python3 are found and work here', async () => {
    const availability = await runtime.check();
    assert.equal(availability.available, true, availability.available ? '' : availability.reason);
  });

  test('pandas describe() of a CSV, with per-month sums', async () => {
    const { csv, totals } = monthlyCsv();
    const result = await run(
      [
        'import pandas as pd',
        'df = pd.read_csv("/mnt/data/sales.csv", parse_dates=["date"])',
        'print(df["amount"].describe().round(2).to_string())',
        'monthly = df.groupby(df["date"].dt.strftime("%Y-%m"))["amount"].sum()',
        'for month, total in monthly.items():',
        '    print(month, f"{total:.2f}")',
      ].join('\n'),
      [{ name: 'sales.csv', bytes: encode(csv) }],
    );
    assert.equal(result.error, undefined, result.logs);
    assert.match(result.logs, /^count\s+180\.0+$/m);
    for (const label of ['mean', 'std', 'min', '25%', '50%', '75%', 'max']) assert.match(result.logs, new RegExp(`^${label}\\s+[\\d.]+$`, 'm'));
    for (const [month, total] of totals) assert.ok(result.logs.includes(`${month} ${total.toFixed(2)}\n`), `${month} in:\n${result.logs}`);
  });

  test('matplotlib: a shown figure and a saved one come back as PNG images', async () => {
    const result = await run(
      [
        'import matplotlib.pyplot as plt',
        'fig, ax = plt.subplots(figsize=(6, 4), dpi=100)',
        'monthly.plot.bar(ax=ax)',
        'fig.savefig("/mnt/data/monthly.png")',
        'plt.show()',
      ].join('\n'),
    );
    assert.equal(result.error, undefined, result.logs);
    assert.deepEqual(result.images.map((image) => image.name).sort(), ['figure-1.png', 'monthly.png']);
    for (const image of result.images) {
      assert.equal(image.mimeType, 'image/png');
      assert.deepEqual(pngSize(image.bytes), { width: 600, height: 400 });
    }
  });

  test('variables persist between calls and other files come back as files', async () => {
    const result = await run('monthly.to_csv("/mnt/data/monthly.csv")\nlen(monthly)');
    assert.equal(result.logs, `${monthlyCsv().totals.size}\n`);
    assert.deepEqual(result.files.map((file) => file.name), ['monthly.csv']);
    assert.match(decode(result.files[0]!.bytes), /^date,amount\n2024-01,/);
  });

  test('twchart is importable here too', async () => {
    const result = await run('import twchart\ntwchart.line(["a", "b"], [1, 2], width=300, height=200)');
    assert.equal(result.images.length, 1, result.logs);
    assert.deepEqual(pngSize(result.images[0]!.bytes), { width: 300, height: 200 });
  });
});

describe('local Python runner: limits', () => {
  test('an infinite loop is interrupted at the time limit and variables survive', async () => {
    await run('kept = 7');
    const result = await run('while True:\n    pass');
    assert.equal(result.error?.kind, 'timeout');
    assert.match(result.error?.message ?? '', /6 s time limit and was interrupted/);
    assert.equal((await run('kept')).logs, '7\n');
  });

  test('a memory bomb hits the address-space limit as a MemoryError', async () => {
    const result = await run('hog = []\nwhile True:\n    hog.append(bytearray(10**7))');
    assert.equal(result.error?.kind, 'memory');
    assert.equal((await run('del hog\nkept + 1')).logs, '8\n');
  });

  test('a 100 MB print is stopped with an output-limit error', async () => {
    const result = await run('print("x" * 100_000_000)\nprint("never reached")');
    assert.equal(result.error?.kind, 'output_limit');
    assert.ok(result.logs.length < limits.maxLogBytes + 200);
    assert.doesNotMatch(result.logs, /never reached/);
  });

  test('code ignoring SIGINT is killed with its whole process tree; files stay', async () => {
    await run('open("/mnt/data/before-kill.txt", "w").write("x")');
    const started = Date.now();
    // A duration no other process on the machine uses, so a concurrent test run cannot be mistaken for ours.
    const marker = `300.${process.pid}${Date.now() % 100000}`;
    const result = await run(`import signal, subprocess\nsubprocess.Popen(["sleep", "${marker}"])\nsignal.signal(signal.SIGINT, signal.SIG_IGN)\nwhile True:\n    pass`);
    assert.equal(result.error?.kind, 'timeout');
    assert.match(result.error?.message ?? '', /restarted/);
    assert.ok(Date.now() - started < limits.timeoutMs + limits.killGraceMs + 2000);
    await new Promise((resolve) => setTimeout(resolve, 300));
    assert.deepEqual(processesRunning(`sleep\u0000${marker}`), [], 'the child process died with the sandbox');
    const next = await run('import os\nprint("before-kill.txt" in os.listdir("/mnt/data"), "kept" in globals())');
    assert.equal(next.logs, 'True False\n');
  });
});

describe('local Python runner: escape attempts', () => {
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

  test('host files (a key under ~, ~/.ssh, a workspace file) cannot be read', async () => {
    const paths = [secretPath, join(homedir(), '.ssh'), workspaceFile, '/etc/hostname'];
    const result = await run(`import os\nfor p in ${JSON.stringify(paths)}:\n    try:\n        print("READ", p, os.listdir(p) if os.path.isdir(p) else open(p).read()[:20])\n    except OSError as e:\n        print("denied", type(e).__name__)`);
    assert.doesNotMatch(result.logs, /READ/);
    assert.equal((result.logs.match(/^denied /gm) ?? []).length, paths.length, result.logs);
  });

  test('no network: a local listener gets no connection', async () => {
    const result = await run(`import socket\ntry:\n    socket.create_connection(("127.0.0.1", ${port}), timeout=2); print("CONNECTED")\nexcept OSError as e:\n    print("blocked", e.errno)`);
    assert.match(result.logs, /^blocked \d+$/m);
    await new Promise((resolve) => setTimeout(resolve, 100));
    assert.equal(connections, 0);
  });

  test('writes outside the work folder fail or stay in the private /tmp', async () => {
    const outside = join(workRoot, 'escaped.txt');
    const result = await run(
      [
        `for p in [${JSON.stringify(outside)}, "/usr/escaped.txt", "/mnt/escaped.txt", "/tmp/private.txt", ${JSON.stringify(join(secretDir, 'escaped.txt'))}]:`,
        '    try:',
        '        open(p, "w").write("x"); print("wrote", p)',
        '    except OSError as e:',
        '        print("denied", p)',
      ].join('\n'),
    );
    assert.match(result.logs, /^wrote \/tmp\/private\.txt$/m);
    assert.equal((result.logs.match(/^denied /gm) ?? []).length, 4, result.logs);
    assert.match(result.logs, /^denied \/mnt\/escaped\.txt$/m);
    assert.equal(existsSync(outside), false);
    assert.deepEqual(readdirSync(secretDir), ['id_rsa']);
  });

  test('symbolic links planted in /mnt/data are neither read nor written through by the host', async () => {
    const result = await run(`import os\nos.symlink(${JSON.stringify(secretPath)}, "/mnt/data/leak.txt")\nos.symlink(${JSON.stringify(secretDir)}, "/mnt/data/leakdir")\nos.mkfifo("/mnt/data/pipe")\nprint("planted")`);
    assert.equal(result.logs, 'planted\n');
    assert.deepEqual([...result.files, ...result.images].map((file) => file.name), []);
    const overwrite = await run('print(open("/mnt/data/leak.txt").read())', [{ name: 'leak.txt', bytes: encode('replacement') }]);
    assert.equal(overwrite.logs, 'replacement\n');
    assert.equal(readFileSync(secretPath, 'utf8'), 'SECRET KEY');
  });
});

describe('local Python runner: availability', () => {
  test('without bubblewrap it refuses to run and explains the risk', async () => {
    const unsandboxed = new LocalPythonSandbox(new LocalPythonRuntime({ bwrapPath: '/nonexistent/bwrap', workRoot }), limits);
    const result = await unsandboxed.run({ language: 'python', code: 'print(1)', files: [] }, never);
    assert.equal(result.error?.kind, 'unavailable');
    assert.match(result.error?.message ?? '', /bubblewrap/);
    assert.match(result.error?.message ?? '', /SSH keys/);
    await unsandboxed.dispose();
  });

  test('a Python that is not inside the sandbox is reported clearly', async () => {
    const missing = new LocalPythonRuntime({ pythonPath: '/opt/nowhere/python3', workRoot });
    const availability = await missing.check();
    assert.equal(availability.available, false);
    assert.match(availability.available ? '' : availability.reason, /could not start \/opt\/nowhere\/python3/);
  });
});
