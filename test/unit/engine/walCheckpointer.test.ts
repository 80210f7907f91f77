// Background WAL checkpoints and shared commits at the store level: the log is copied back by a
// worker's connection, not inside a commit on the event loop, and closing commits what is queued.
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, readlinkSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, test } from 'node:test';
import { Engine } from '../../../src/engine/engine.ts';
import { EngineStore } from '../../../src/engine/store/engineStore.ts';

let dir: string;
let path: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'threadwork-checkpoint-'));
  path = join(dir, 'db.sqlite');
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

test('closing the store commits the writes still queued', async () => {
  const engine = new Engine({ databasePath: path, modelBackend: null });
  const thread = engine.threads.create();
  const created = engine.inSharedCommit(() => engine.messages.create(thread.id, { role: 'user', content: 'written just before close' }));
  await engine.close();
  const message = await created;
  const reopened = new Engine({ databasePath: path, modelBackend: null });
  assert.equal(reopened.messages.retrieve(thread.id, message.id).content[0]?.type, 'text');
  await reopened.close();
});

test('the WAL is checkpointed by a background connection, with the main one only as a backstop', { timeout: 15_000 }, async () => {
  const store = EngineStore.open(path);
  const autocheckpoint = (): number => Number((store.db.prepare('PRAGMA wal_autocheckpoint').get() as { wal_autocheckpoint: number }).wal_autocheckpoint);
  assert.equal(autocheckpoint(), 1000, "SQLite's default until the first write");
  const sizeBefore = statSync(path).size;
  const checkpointed = new Promise<{ log: number; checkpointed: number }>((resolve) => {
    const stop = store.onCheckpoint((report) => {
      if (report.log > 0 && report.checkpointed === report.log) {
        stop();
        resolve(report);
      }
    });
  });
  const thread = { id: 'thread_checkpoint', object: 'thread' as const, created_at: 1, metadata: {}, tool_resources: {} };
  store.transaction(() => store.threads.insert(thread.id, thread));
  // Well under the backstop's 16,384 pages, so only the background connection can have copied them.
  for (let batch = 0; batch < 20; batch++) {
    store.transaction(() => {
      for (let i = 0; i < 50; i++) {
        const id = `msg_${batch}_${i}`;
        store.messages.insert(id, {
          id,
          object: 'thread.message',
          created_at: batch,
          thread_id: thread.id,
          status: 'completed',
          incomplete_details: null,
          completed_at: batch,
          incomplete_at: null,
          role: 'user',
          content: [{ type: 'text', text: { value: 'x'.repeat(2000), annotations: [] } }],
          assistant_id: null,
          run_id: null,
          attachments: null,
          metadata: {},
        });
      }
    });
  }
  assert.equal(autocheckpoint(), 16_384);
  const report = await checkpointed;
  assert.ok(report.log > 100, `the log held ${report.log} frames`);
  assert.ok(statSync(path).size > sizeBefore + 1_000_000, 'the pages reached the database file');
  await store.close();
});

/** Paths under `folder` that this process holds open (Linux: /proc/self/fd; worker threads share the table). */
function openPathsUnder(folder: string): string[] {
  const held: string[] = [];
  for (const fd of readdirSync('/proc/self/fd')) {
    try {
      const target = readlinkSync(`/proc/self/fd/${fd}`);
      if (target.startsWith(folder)) held.push(target);
    } catch {
      // The descriptor readdir itself used is gone by now.
    }
  }
  return held;
}

test('close resolves once the checkpoint connection is closed too: nothing holds the files, and the log is gone', { timeout: 15_000 }, async () => {
  const store = EngineStore.open(path);
  const checkpointed = new Promise<void>((resolve) => {
    const stop = store.onCheckpoint(() => {
      stop();
      resolve();
    });
  });
  const thread = { id: 'thread_close', object: 'thread' as const, created_at: 1, metadata: {}, tool_resources: {} };
  store.transaction(() => store.threads.insert(thread.id, thread));
  await checkpointed;
  assert.ok(openPathsUnder(dir).length >= 2, 'both connections hold the database while open');
  await store.close();
  assert.deepEqual(openPathsUnder(dir), []);
  assert.equal(existsSync(`${path}-wal`), false, 'the last connection to close removed the log');
  const reopened = EngineStore.open(path);
  assert.equal(reopened.threads.get(thread.id)?.id, thread.id);
  await reopened.close();
});

test('close settles in a process with nothing else to do: the thread is held while it is waited for', { timeout: 30_000 }, () => {
  const engineUrl = new URL('../../../src/engine/engine.ts', import.meta.url).href;
  const script = [
    `const { Engine } = await import(${JSON.stringify(engineUrl)});`,
    `const engine = new Engine({ databasePath: ${JSON.stringify(path)}, modelBackend: null });`,
    'engine.threads.create();',
    // Long enough for the checkpoint thread to start and run once.
    'await new Promise((resolve) => setTimeout(resolve, 500));',
    'await engine.close();',
    "console.log('closed');",
  ].join('\n');
  const scriptPath = join(dir, 'close.mjs');
  writeFileSync(scriptPath, script);
  const child = spawnSync(process.execPath, [scriptPath], { encoding: 'utf8', timeout: 25_000 });
  assert.equal(child.stdout.trim(), 'closed', child.stderr);
  assert.equal(child.status, 0);
});
