// The store: WAL mode, transactions that roll back whole, migrations that back the file up first.
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { migrate, SCHEMA_VERSION } from '../../../src/engine/store/migrations.ts';
import { openDatabase, transaction } from '../../../src/engine/store/sqlite.ts';
import { EngineStore } from '../../../src/engine/store/engineStore.ts';

function tempFile(): { dir: string; path: string } {
  const dir = mkdtempSync(join(tmpdir(), 'threadwork-store-'));
  return { dir, path: join(dir, 'db.sqlite') };
}

test('a new store is in WAL mode at the current schema version', async () => {
  const { dir, path } = tempFile();
  try {
    const store = EngineStore.open(path);
    assert.equal((store.db.prepare('PRAGMA journal_mode').get() as { journal_mode: string }).journal_mode, 'wal');
    assert.equal((store.db.prepare('PRAGMA user_version').get() as { user_version: number }).user_version, SCHEMA_VERSION);
    assert.equal(store.migration.backupPath, null);
    await store.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a transaction that throws leaves nothing behind', () => {
  const db = openDatabase(':memory:');
  db.exec('CREATE TABLE t (x INTEGER)');
  assert.throws(() =>
    transaction(db, () => {
      db.prepare('INSERT INTO t VALUES (1)').run();
      throw new Error('boom');
    }),
  );
  assert.equal((db.prepare('SELECT COUNT(*) AS n FROM t').get() as { n: number }).n, 0);
  assert.equal(db.isTransaction, false);
});

test('migrating an existing file copies it aside first, and the copy is the old schema with its rows', () => {
  const { dir, path } = tempFile();
  try {
    const first = (db: ReturnType<typeof openDatabase>): void => db.exec('CREATE TABLE notes (text TEXT)');
    const second = (db: ReturnType<typeof openDatabase>): void => db.exec('ALTER TABLE notes ADD COLUMN author TEXT');
    let db = openDatabase(path);
    assert.deepEqual(migrate(db, path, [first]), { from: 0, to: 1, backupPath: null });
    db.prepare("INSERT INTO notes VALUES ('kept')").run();
    db.close();

    db = openDatabase(path);
    const report = migrate(db, path, [first, second]);
    assert.equal(report.from, 1);
    assert.equal(report.to, 2);
    assert.ok(report.backupPath && existsSync(report.backupPath));
    db.prepare("INSERT INTO notes VALUES ('new', 'me')").run();
    db.close();

    const backup = openDatabase(report.backupPath, { readOnly: true });
    assert.equal((backup.prepare('PRAGMA user_version').get() as { user_version: number }).user_version, 1);
    assert.deepEqual(backup.prepare('SELECT * FROM notes').all().map((row) => ({ ...row })), [{ text: 'kept' }]);
    backup.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a database from a newer Threadwork is refused, not damaged', () => {
  const db = openDatabase(':memory:');
  db.exec('PRAGMA user_version = 99');
  assert.throws(() => migrate(db, null), /newer than this Threadwork understands/);
});
