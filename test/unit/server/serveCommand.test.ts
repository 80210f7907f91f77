/** `threadwork serve`: flags, the upstream choice, the token, and a clean stop on SIGTERM. */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import OpenAI from 'openai';
import { runServeCommand } from '../../../src/cli/serveCommand.ts';
import { Engine } from '../../../src/engine/engine.ts';
import { startScriptedModelServer, type ScriptedModelServer } from '../../support/modelServer/index.ts';

const CLI = fileURLToPath(new URL('../../../src/cli.ts', import.meta.url));

function capture(): { write(text: string): boolean; text(): string } {
  let text = '';
  return {
    write: (chunk: string) => {
      text += chunk;
      return true;
    },
    text: () => text,
  };
}

async function waitForOutput(read: () => string, pattern: RegExp, timeoutMs = 20_000): Promise<RegExpExecArray> {
  const started = Date.now();
  for (;;) {
    const match = pattern.exec(read());
    if (match) return match;
    if (Date.now() - started > timeoutMs) throw new Error(`no ${pattern} in output:\n${read()}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('threadwork serve', () => {
  let model: ScriptedModelServer;
  const dirs: string[] = [];
  const tempDir = (): string => {
    const dir = mkdtempSync(join(tmpdir(), 'threadwork-serve-'));
    dirs.push(dir);
    return dir;
  };
  before(async () => {
    model = await startScriptedModelServer();
  });
  after(async () => {
    await model.close();
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });

  test('--help prints the usage and succeeds; an unknown flag or bad value is a usage error (exit 2)', async () => {
    const out = capture();
    assert.equal(await runServeCommand(['--help'], { stdout: out, stderr: capture(), env: {} }), 0);
    assert.match(out.text(), /Usage: threadwork serve/);
    for (const args of [['--bogus'], ['--port', 'eighty'], ['--provider', 'soap'], ['extra']]) {
      const err = capture();
      assert.equal(await runServeCommand(args, { stdout: capture(), stderr: err, env: {} }), 2, args.join(' '));
      assert.match(err.text(), /threadwork serve: /);
    }
  });

  test('without an upstream, runs fail with a clear last_error; the token is kept in the data directory', async () => {
    const dataDir = tempDir();
    const controller = new AbortController();
    const out = capture();
    const exit = runServeCommand(['--port', '0', '--data-dir', dataDir], { stdout: out, stderr: capture(), env: {}, signal: controller.signal });
    const [, url] = await waitForOutput(out.text, /server on (http:\/\/127\.0\.0\.1:\d+\/v1)/);
    const [, token] = await waitForOutput(out.text, /Token: (\S+)/);
    assert.match(out.text(), /Upstream model API: none/);
    assert.equal(statSync(join(dataDir, 'server-token')).mode & 0o777, 0o600);
    const client = new OpenAI({ baseURL: url!, apiKey: token!, maxRetries: 0 });
    const assistant = await client.beta.assistants.create({ model: 'gpt-4o' });
    const run = await client.beta.threads.createAndRunPoll({ assistant_id: assistant.id, thread: { messages: [{ role: 'user', content: 'hi' }] } }, { pollIntervalMs: 20 });
    assert.equal(run.status, 'failed');
    assert.match(run.last_error?.message ?? '', /No model provider is configured/);
    controller.abort();
    assert.equal(await exit, 0);

    const again = capture();
    const second = new AbortController();
    const secondExit = runServeCommand(['--port', '0', '--data-dir', dataDir], { stdout: again, stderr: capture(), env: {}, signal: second.signal });
    const [, sameToken] = await waitForOutput(again.text, /Token: (\S+)/);
    assert.equal(sameToken, token);
    second.abort();
    assert.equal(await secondExit, 0);
  });

  test('a real process: --model forces the upstream model; SIGTERM stops it cleanly and the active run ends cancelled', async () => {
    const dataDir = tempDir();
    const child = spawn(process.execPath, [CLI, 'serve', '--port', '0', '--data-dir', dataDir, '--token', 'cli-token', '--base-url', model.url, '--model', 'forced-model'], {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, OPENAI_API_KEY: '' },
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    try {
      const [, url] = await waitForOutput(() => output, /server on (http:\/\/127\.0\.0\.1:\d+\/v1)/);
      assert.match(output, /chat-completions at .*, model forced-model for every run/);
      const client = new OpenAI({ baseURL: url!, apiKey: 'cli-token', maxRetries: 0 });
      const assistant = await client.beta.assistants.create({ model: 'gpt-4o' });
      model.enqueue({ text: 'short' });
      const done = await client.beta.threads.createAndRunPoll({ assistant_id: assistant.id, thread: { messages: [{ role: 'user', content: 'hi' }] } }, { pollIntervalMs: 20 });
      assert.equal(done.status, 'completed');
      assert.equal(done.model, 'gpt-4o', 'the API keeps the name the client chose');
      assert.equal(model.chatRequests().at(-1)!.model, 'forced-model', 'upstream gets the forced model');

      model.enqueue({ text: 'a long answer that will be interrupted by the shutdown', chunkSize: 2, delayMs: 100 });
      const stream = client.beta.threads.createAndRunStream({ assistant_id: assistant.id, thread: { messages: [{ role: 'user', content: 'go on' }] } });
      const runId = await new Promise<string>((resolve) => stream.once('textDelta', () => resolve(stream.currentRun()!.id)));
      const ended = stream.finalRun().then((run) => run.status, () => 'stream error');
      child.kill('SIGTERM');
      assert.equal(await exited, 0, output);
      assert.match(output, /Stopped\./);
      assert.equal(await ended, 'cancelled', 'the open stream saw the run end cancelled before the server went away');

      const engine = new Engine({ databasePath: join(dataDir, 'threadwork.sqlite'), modelBackend: null });
      try {
        const stored = engine.store.runs.get(runId)!;
        assert.equal(stored.status, 'cancelled');
        assert.deepEqual(engine.repair.ended, [], 'nothing was left for startup repair');
        const [message] = engine.messages.list(stored.thread_id, { run_id: runId }).data;
        assert.equal(message!.status, 'incomplete');
      } finally {
        await engine.close();
      }
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
      await exited;
    }
  });
});
