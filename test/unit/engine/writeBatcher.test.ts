import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { openDatabase, type Database } from '../../../src/engine/store/sqlite.ts';
import type { WriterLock } from '../../../src/engine/store/writeBatcher.ts';
import { WriteBatcher } from '../../../src/engine/store/writeBatcher.ts';

/** The lock of another writer (a second worker), held or released by the test. */
function heldLock(): WriterLock & { holder: 'other' | 'batcher' | null; releaseOther(): void; blockingAcquires: number } {
  let wake: Array<() => void> = [];
  const lock = {
    holder: 'other' as 'other' | 'batcher' | null,
    blockingAcquires: 0,
    acquire(): void {
      lock.blockingAcquires++;
      if (lock.holder !== null) throw new Error('a blocking acquire would deadlock this thread');
      lock.holder = 'batcher';
    },
    tryAcquire(): boolean {
      if (lock.holder !== null) return false;
      lock.holder = 'batcher';
      return true;
    },
    released(): Promise<void> {
      return new Promise((resolve) => wake.push(resolve));
    },
    release(): void {
      lock.holder = null;
    },
    releaseOther(): void {
      lock.holder = null;
      const waiting = wake;
      wake = [];
      for (const resolve of waiting) resolve();
    },
  };
  return lock;
}

describe('WriteBatcher', () => {
  test('a write waits for another writer\'s lock without blocking the thread, then commits with the writes queued meanwhile', async () => {
    const db = openDatabase(':memory:');
    db.exec('CREATE TABLE t (n INTEGER)');
    const lock = heldLock();
    const batcher = new WriteBatcher(db, { coalesceMs: 0, lock });
    const first = batcher.write(() => db.prepare('INSERT INTO t (n) VALUES (1)').run());
    // The thread stays free while the lock is taken: timers run, and more writes queue up.
    await new Promise((resolve) => setTimeout(resolve, 20));
    const second = batcher.write(() => db.prepare('INSERT INTO t (n) VALUES (2)').run());
    await new Promise((resolve) => setImmediate(resolve));
    assert.equal((db.prepare('SELECT count(*) AS n FROM t').get() as { n: number }).n, 0, 'nothing written while the other writer holds the lock');
    let committed = 0;
    const transactions = { count: 0 };
    const original = db.exec.bind(db);
    db.exec = (sql: string) => {
      if (sql === 'COMMIT') transactions.count++;
      return original(sql);
    };
    lock.releaseOther();
    await Promise.all([first, second]).then(() => committed++);
    assert.equal(committed, 1);
    assert.equal((db.prepare('SELECT count(*) AS n FROM t').get() as { n: number }).n, 2);
    assert.equal(transactions.count, 1, 'both writes in one transaction');
    assert.equal(lock.holder, null, 'the lock is given back');
    assert.equal(lock.blockingAcquires, 0);
    await batcher.drained();
    db.close();
  });
});

describe('WriteBatcher with savepoints and no coalescing wait (the engine store\'s shared commits)', () => {
  let dir: string;
  let path: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'threadwork-shared-commit-'));
    path = join(dir, 'db.sqlite');
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const openWithTable = (): Database => {
    const db = openDatabase(path, { busyTimeoutMs: 0 });
    db.exec('CREATE TABLE IF NOT EXISTS t (x INTEGER)');
    return db;
  };
  const countRows = (db: Database): number => Number((db.prepare('SELECT COUNT(*) AS n FROM t').get() as { n: number }).n);

  test('writes queued in one turn commit together, and only then do their callers hear', async () => {
    const writer = openWithTable();
    const reader = openDatabase(path);
    const batcher = new WriteBatcher(writer, { coalesceMs: 0, savepoints: true });
    const seenByReader: number[] = [];
    let settled = 0;
    const writes = [1, 2, 3].map((x) =>
      batcher
        .write(() => {
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

  test('a write that throws is undone alone and nothing runs twice; the others in its batch commit', async () => {
    const db = openWithTable();
    const batcher = new WriteBatcher(db, { coalesceMs: 0, savepoints: true });
    let runs = 0;
    const results = await Promise.allSettled([
      batcher.write(() => {
        runs++;
        return db.prepare('INSERT INTO t VALUES (1)').run();
      }),
      batcher.write(() => {
        db.prepare('INSERT INTO t VALUES (2)').run();
        throw new Error('invalid input');
      }),
      batcher.write(() => db.prepare('INSERT INTO t VALUES (3)').run()),
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
    assert.equal(runs, 1);
    assert.equal(db.isTransaction, false);
    db.close();
  });

  for (const savepoints of [true, false]) {
    test(`when the database stays locked every waiting caller is told, and nothing is written (savepoints ${savepoints ? 'on' : 'off'})`, async () => {
      const db = openWithTable();
      const other = openDatabase(path);
      other.exec('BEGIN IMMEDIATE'); // another process holds the write lock
      const batcher = new WriteBatcher(db, { coalesceMs: 0, savepoints });
      const results = await Promise.allSettled([batcher.write(() => db.prepare('INSERT INTO t VALUES (1)').run()), batcher.write(() => db.prepare('INSERT INTO t VALUES (2)').run())]);
      assert.deepEqual(
        results.map((result) => result.status),
        ['rejected', 'rejected'],
      );
      assert.match(String((results[0] as PromiseRejectedResult).reason), /locked|busy/i);
      other.exec('ROLLBACK');
      assert.equal(countRows(db), 0);
      assert.equal(db.isTransaction, false);
      await batcher.drained();
      other.close();
      db.close();
    });
  }
});
