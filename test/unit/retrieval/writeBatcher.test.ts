import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { openDatabase } from '../../../src/engine/store/sqlite.ts';
import type { WriterLock } from '../../../src/engine/retrieval/writeBatcher.ts';
import { WriteBatcher } from '../../../src/engine/retrieval/writeBatcher.ts';

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
