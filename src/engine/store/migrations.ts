/**
 * The schema, versioned with `PRAGMA user_version`. Each migration runs in one transaction, and
 * an existing database file is copied aside (VACUUM INTO) before its first migration, so a
 * failed upgrade can always be rolled back by hand.
 */
import { existsSync } from 'node:fs';
import type { Database } from './sqlite.ts';
import { transaction } from './sqlite.ts';

/** One object table: a monotonic `seq` breaks created_at ties so pagination is stable within a second. */
function objectTable(name: string, extraColumns = ''): string {
  return `CREATE TABLE ${name} (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    id TEXT NOT NULL UNIQUE,
    created_at INTEGER NOT NULL,
    ${extraColumns}
    data TEXT NOT NULL
  )`;
}

const MIGRATIONS: ReadonlyArray<(db: Database) => void> = [
  // 1: the Assistants objects.
  (db) => {
    db.exec(objectTable('assistants'));
    db.exec(objectTable('threads'));
    db.exec(objectTable('messages', 'thread_id TEXT NOT NULL, run_id TEXT,'));
    db.exec('CREATE INDEX messages_by_thread ON messages(thread_id, created_at, seq)');
    db.exec('CREATE INDEX messages_by_run ON messages(run_id)');
    db.exec(objectTable('runs', 'thread_id TEXT NOT NULL, status TEXT NOT NULL, owner TEXT,'));
    db.exec('CREATE INDEX runs_by_thread ON runs(thread_id, created_at, seq)');
    db.exec('CREATE INDEX runs_by_status ON runs(status)');
    db.exec(objectTable('run_steps', 'run_id TEXT NOT NULL, thread_id TEXT NOT NULL,'));
    db.exec('CREATE INDEX run_steps_by_run ON run_steps(run_id, created_at, seq)');
    db.exec(objectTable('files', 'purpose TEXT NOT NULL,'));
    db.exec('CREATE TABLE file_contents (id TEXT PRIMARY KEY, bytes BLOB NOT NULL)');
    db.exec(objectTable('vector_stores'));
    // Keyed `<vector store id>/<file id>`: a vector-store file shares its id with the file.
    db.exec(objectTable('vector_store_files', 'vector_store_id TEXT NOT NULL, file_id TEXT NOT NULL, status TEXT NOT NULL,'));
    db.exec('CREATE INDEX vector_store_files_by_store ON vector_store_files(vector_store_id, created_at, seq)');
    db.exec('CREATE INDEX vector_store_files_by_file ON vector_store_files(file_id)');
    db.exec(objectTable('file_batches', 'vector_store_id TEXT NOT NULL,'));
    // What built-in tool calls looked like to the model, and file_search result texts (returned only with include[]).
    db.exec('CREATE TABLE tool_call_context (call_id TEXT PRIMARY KEY, run_id TEXT NOT NULL, model_arguments TEXT NOT NULL, model_output TEXT NOT NULL, result_contents TEXT)');
    db.exec('CREATE INDEX tool_call_context_by_run ON tool_call_context(run_id)');
    // Small per-run values that must survive a restart but are not part of the v2 objects (a waiting step's usage).
    db.exec('CREATE TABLE run_scratch (run_id TEXT NOT NULL, key TEXT NOT NULL, value TEXT NOT NULL, PRIMARY KEY (run_id, key))');
    db.exec('CREATE TABLE batch_files (batch_id TEXT NOT NULL, file_id TEXT NOT NULL, PRIMARY KEY (batch_id, file_id))');
  },
];

export const SCHEMA_VERSION = MIGRATIONS.length;

export interface MigrationReport {
  from: number;
  to: number;
  backupPath: string | null;
}

/** Brings the database to the current schema; refuses a file written by a newer Threadwork. */
export function migrate(db: Database, filePath: string | null, migrations: ReadonlyArray<(db: Database) => void> = MIGRATIONS): MigrationReport {
  const target = migrations.length;
  const from = Number((db.prepare('PRAGMA user_version').get() as { user_version: number }).user_version);
  if (from > target) {
    throw new Error(`This database has schema version ${from}, newer than this Threadwork understands (${target}). Update Threadwork.`);
  }
  let backupPath: string | null = null;
  if (from > 0 && from < target && filePath && filePath !== ':memory:' && existsSync(filePath)) {
    backupPath = `${filePath}.v${from}.bak`;
    db.prepare('VACUUM INTO ?').run(backupPath);
  }
  for (let version = from; version < target; version++) {
    transaction(db, () => {
      migrations[version]!(db);
      db.exec(`PRAGMA user_version = ${version + 1}`);
    });
  }
  return { from, to: target, backupPath };
}
