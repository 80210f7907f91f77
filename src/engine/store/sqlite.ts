/**
 * The one way to open SQLite. `node:sqlite` is loaded at run time with
 * process.getBuiltinModule: a static import would become a top-level require that throws on
 * Node 20 (docs/dependencies.md §2.1), and VS Code ≥ 1.101 ships a Node that has it.
 */
import type * as NodeSqlite from 'node:sqlite';
import type { DatabaseSync as DatabaseSyncType, StatementSync } from 'node:sqlite';

export type Database = DatabaseSyncType;
export type Statement = StatementSync;

export class SqliteUnavailableError extends Error {
  constructor(cause: unknown) {
    super(`Threadwork needs Node 22.13 or later for its built-in SQLite (VS Code 1.101+). This Node is ${process.version}.`);
    this.name = 'SqliteUnavailableError';
    this.cause = cause;
  }
}

function loadSqlite(): typeof NodeSqlite {
  try {
    const sqlite = process.getBuiltinModule?.('node:sqlite') as typeof NodeSqlite | undefined;
    if (!sqlite) throw new Error('node:sqlite is not a builtin module here');
    return sqlite;
  } catch (error) {
    throw new SqliteUnavailableError(error);
  }
}

export interface OpenOptions {
  /** Milliseconds to wait on another process's write lock (two VS Code windows share one file). */
  busyTimeoutMs?: number;
  readOnly?: boolean;
}

/** Opens (or creates) a database file in WAL mode with foreign keys on. `:memory:` works for tests. */
export function openDatabase(path: string, options: OpenOptions = {}): Database {
  const { DatabaseSync } = loadSqlite();
  const db = new DatabaseSync(path, { readOnly: options.readOnly ?? false });
  db.exec(`PRAGMA busy_timeout = ${Math.max(0, Math.floor(options.busyTimeoutMs ?? 5000))}`);
  if (!options.readOnly) {
    db.exec('PRAGMA journal_mode = WAL');
    // NORMAL in WAL mode is durable across process crashes; only an OS crash can lose the last commit.
    db.exec('PRAGMA synchronous = NORMAL');
  }
  db.exec('PRAGMA foreign_keys = ON');
  return db;
}

/**
 * Runs `work` inside one transaction: committed if it returns, rolled back if it throws.
 * IMMEDIATE takes the write lock up front, so two processes never interleave a read-then-write.
 * Nested calls join the outer transaction.
 */
export function transaction<T>(db: Database, work: () => T): T {
  if (db.isTransaction) return work();
  db.exec('BEGIN IMMEDIATE');
  try {
    const result = work();
    db.exec('COMMIT');
    return result;
  } catch (error) {
    if (db.isTransaction) db.exec('ROLLBACK');
    throw error;
  }
}
