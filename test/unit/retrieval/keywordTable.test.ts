import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { openDatabase } from '../../../src/engine/store/sqlite.ts';
import type { Database } from '../../../src/engine/store/sqlite.ts';
import { RetrievalStore } from '../../../src/engine/retrieval/indexStore.ts';
import { ensureRetrievalSchema, keywordTable } from '../../../src/engine/retrieval/schema.ts';

function mergeConfig(db: Database, table: string): Record<string, number> {
  const rows = db.prepare(`SELECT k, v FROM ${table}_config WHERE k IN ('automerge', 'crisismerge')`).all() as Array<{ k: string; v: number }>;
  return Object.fromEntries(rows.map((row) => [row.k, Number(row.v)]));
}

describe('keyword tables', () => {
  test('merge less eagerly than FTS5\'s default, and tables made before that get the same policy on open', () => {
    const db = openDatabase(':memory:');
    ensureRetrievalSchema(db);
    const store = new RetrievalStore(db);
    const table = keywordTable(store.ensureCollection('ws'));
    assert.deepEqual(mergeConfig(db, table), { automerge: 16, crisismerge: 64 });
    // An index written by an earlier version: FTS5's default policy.
    db.exec(`INSERT INTO ${table} (${table}, rank) VALUES ('automerge', 4)`);
    db.exec(`INSERT INTO ${table} (${table}, rank) VALUES ('crisismerge', 16)`);
    assert.deepEqual(mergeConfig(db, table), { automerge: 4, crisismerge: 16 });
    ensureRetrievalSchema(db);
    assert.deepEqual(mergeConfig(db, table), { automerge: 16, crisismerge: 64 });
    db.close();
  });
});
