// Group commit and background checkpoints: writes queued together share one commit, nobody hears
// "done" before it, one failing write undoes only itself, and the WAL is checkpointed off the event loop.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, test } from 'node:test';
import { Engine } from '../../../src/engine/engine.ts';
import { EngineStore } from '../../../src/engine/store/engineStore.ts';
import { GroupCommit } from '../../../src/engine/store/groupCommit.ts';
import { openDatabase, type Database } from '../../../src/engine/store/sqlite.ts';

let dir: string;
let path: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'threadwork-group-commit-'));
  path = join(dir, 'db.sqlite');
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function openWithTable(): Database {
  const db = openDatabase(path, { busyTimeoutMs: 0 });
  db.exec('CREATE TABLE IF NOT EXISTS t (x INTEGER)');
  return db;
}

const countRows = (db: Database): number => Number((db.prepare('SELECT COUNT(*) AS n FROM t').get() as { n: number }).n);

test('writes queued in one turn commit together, and only then do their callers hear', async () => {
  const writer = openWithTable();
  const reader = openDatabase(path);
  const group = new GroupCommit(writer);
  const seenByReader: number[] = [];
  let settled = 0;
  const writes = [1, 2, 3].map((x) =>
    group
      .run(() => {
        writer.prepare('INSERT INTO t VALUES (?)').run(x);
        // Another connection sees no row of this batch while it is being written.
        seenByReader.push(countRows(reader));
        assert.equal(settled, 0, 'no caller hears before the commit');
        return x * 10;
      })
      .then((value) => {
        settled++;
        return value;
      }),
  );
  assert.deepEqual(await Promise.all(writes), [10, 20, 30]);
  assert.deepEqual(seenByReader, [0, 0, 0]);
  assert.equal(countRows(reader), 3);
  reader.close();
  writer.close();
});

test('a write that throws is undone alone; the others in its batch commit', async () => {
  const db = openWithTable();
  const group = new GroupCommit(db);
  const results = await Promise.allSettled([
    group.run(() => db.prepare('INSERT INTO t VALUES (1)').run()),
    group.run(() => {
      db.prepare('INSERT INTO t VALUES (2)').run();
      throw new Error('invalid input');
    }),
    group.run(() => db.prepare('INSERT INTO t VALUES (3)').run()),
  ]);
  assert.deepEqual(
    results.map((result) => result.status),
    ['fulfilled', 'rejected', 'fulfilled'],
  );
  assert.equal((results[1] as PromiseRejectedResult).reason.message, 'invalid input');
  assert.deepEqual(
    (db.prepare('SELECT x FROM t ORDER BY x').all() as Array<{ x: number }>).map((row) => row.x),
    [1, 3],
  );
  assert.equal(db.isTransaction, false);
  db.close();
});

test('when the commit cannot happen every caller of the batch is told, and nothing is written', async () => {
  const db = openWithTable();
  const other = openDatabase(path);
  other.exec('BEGIN IMMEDIATE'); // another process holds the write lock
  const group = new GroupCommit(db);
  const results = await Promise.allSettled([group.run(() => db.prepare('INSERT INTO t VALUES (1)').run()), group.run(() => db.prepare('INSERT INTO t VALUES (2)').run())]);
  assert.deepEqual(
    results.map((result) => result.status),
    ['rejected', 'rejected'],
  );
  assert.match(String((results[0] as PromiseRejectedResult).reason), /locked|busy/i);
  other.exec('ROLLBACK');
  assert.equal(countRows(db), 0);
  assert.equal(db.isTransaction, false);
  other.close();
  db.close();
});

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
  store.close();
});
