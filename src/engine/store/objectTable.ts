/**
 * One table of v2 objects stored as JSON, with the columns needed to find and order them.
 * Pagination follows v2: newest first by default, `after`/`before` cursors by object id, ties
 * within one second broken by insertion order so every object is listed exactly once.
 */
import { invalid } from '../errors.ts';
import type { ListPage, ListParams } from '../types/common.ts';
import type { Database, Statement } from './sqlite.ts';

export type ColumnValue = string | number | null;

export interface ObjectTableOptions<T> {
  /** Extra indexed columns, derived from the object on every write. */
  columns?: Record<string, (object: T) => ColumnValue>;
}

export class ObjectTable<T extends { created_at: number }> {
  private readonly statements = new Map<string, Statement>();
  private readonly columnNames: string[];
  private readonly insertSql: string;
  private readonly updateSql: string;
  private readonly db: Database;
  private readonly options: ObjectTableOptions<T>;
  readonly table: string;

  constructor(db: Database, table: string, options: ObjectTableOptions<T> = {}) {
    this.db = db;
    this.table = table;
    this.options = options;
    this.columnNames = Object.keys(options.columns ?? {});
    // Written on every insert and update: the statements' text is built once.
    const names = ['id', 'created_at', ...this.columnNames, 'data'];
    this.insertSql = `INSERT INTO ${table} (${names.join(', ')}) VALUES (${names.map(() => '?').join(', ')})`;
    this.updateSql = `UPDATE ${table} SET ${[...this.columnNames.map((name) => `${name} = ?`), 'data = ?'].join(', ')} WHERE id = ?`;
  }

  private statement(sql: string): Statement {
    let statement = this.statements.get(sql);
    if (!statement) {
      statement = this.db.prepare(sql);
      this.statements.set(sql, statement);
    }
    return statement;
  }

  private columnValues(object: T): ColumnValue[] {
    return this.columnNames.map((name) => this.options.columns![name]!(object));
  }

  insert(key: string, object: T): void {
    this.statement(this.insertSql).run(
      key,
      object.created_at,
      ...this.columnValues(object),
      JSON.stringify(object),
    );
  }

  update(key: string, object: T): void {
    const result = this.statement(this.updateSql).run(...this.columnValues(object), JSON.stringify(object), key);
    if (Number(result.changes) !== 1) throw new Error(`${this.table}: no row with id ${key} to update`);
  }

  get(key: string): T | undefined {
    const row = this.statement(`SELECT data FROM ${this.table} WHERE id = ?`).get(key) as { data: string } | undefined;
    return row ? (JSON.parse(row.data) as T) : undefined;
  }

  /** Whether a row exists, without reading its object. */
  has(key: string): boolean {
    return this.statement(`SELECT 1 AS found FROM ${this.table} WHERE id = ?`).get(key) !== undefined;
  }

  delete(key: string): boolean {
    return Number(this.statement(`DELETE FROM ${this.table} WHERE id = ?`).run(key).changes) > 0;
  }

  /** Every object matching `where`, in insertion order (for internal scans, not API lists). */
  all(where: Record<string, ColumnValue> = {}): T[] {
    const { clause, args } = whereClause(where);
    const rows = this.statement(`SELECT data FROM ${this.table}${clause ? ` WHERE ${clause}` : ''} ORDER BY created_at, seq`).all(...args) as Array<{ data: string }>;
    return rows.map((row) => JSON.parse(row.data) as T);
  }

  count(where: Record<string, ColumnValue> = {}): number {
    const { clause, args } = whereClause(where);
    const row = this.statement(`SELECT COUNT(*) AS n FROM ${this.table}${clause ? ` WHERE ${clause}` : ''}`).get(...args) as { n: number };
    return Number(row.n);
  }

  /**
   * One page in v2's list shape. `idOf` maps a stored object to the id clients use as a cursor
   * (vector-store files are stored under a composite key but paged by their file id).
   */
  list(where: Record<string, ColumnValue>, params: ListParams, options: { defaultLimit?: number; cursorKey?: (cursor: string) => string; idOf?: (object: T) => string } = {}): ListPage<T> {
    const { rows, hasMore } = this.pageRows(where, params, options);
    const data = rows.map((row) => JSON.parse(row.data) as T);
    const idOf = options.idOf ?? ((object: T) => (object as unknown as { id: string }).id);
    return {
      object: 'list',
      data,
      first_id: data.length ? idOf(data[0]!) : null,
      last_id: data.length ? idOf(data[data.length - 1]!) : null,
      has_more: hasMore,
    };
  }

  /**
   * The same page as `list`, as JSON text spliced from the stored rows, for tables whose row key
   * is the object's id: no parse/stringify round trip on the server's hottest read.
   */
  listJson(where: Record<string, ColumnValue>, params: ListParams, options: { defaultLimit?: number } = {}): string {
    const { rows, hasMore } = this.pageRows(where, params, options);
    const first = rows[0]?.id;
    const last = rows[rows.length - 1]?.id;
    return `{"object":"list","data":[${rows.map((row) => row.data).join(',')}],"first_id":${first === undefined ? 'null' : JSON.stringify(first)},"last_id":${last === undefined ? 'null' : JSON.stringify(last)},"has_more":${hasMore}}`;
  }

  private pageRows(where: Record<string, ColumnValue>, params: ListParams, options: { defaultLimit?: number; cursorKey?: (cursor: string) => string }): { rows: Array<{ id: string; data: string }>; hasMore: boolean } {
    const limit = params.limit ?? options.defaultLimit ?? 20;
    const order = params.order ?? 'desc';
    const { clause, args } = whereClause(where);
    const conditions = clause ? [clause] : [];
    const cursorArgs: ColumnValue[] = [];
    const cursorId = params.after ?? params.before;
    // `before` walks toward the start of the order, so it reads in the opposite direction and flips back.
    const forward = params.before === undefined;
    if (cursorId !== undefined) {
      const key = options.cursorKey ? options.cursorKey(cursorId) : cursorId;
      const cursor = this.statement(`SELECT created_at, seq FROM ${this.table} WHERE id = ?`).get(key) as { created_at: number; seq: number } | undefined;
      if (!cursor) throw invalid(`Invalid '${params.after !== undefined ? 'after' : 'before'}': no object with id '${cursorId}' in this list.`, params.after !== undefined ? 'after' : 'before', 'invalid_value');
      const ascending = (order === 'asc') === forward;
      conditions.push(ascending ? '(created_at > ? OR (created_at = ? AND seq > ?))' : '(created_at < ? OR (created_at = ? AND seq < ?))');
      cursorArgs.push(cursor.created_at, cursor.created_at, cursor.seq);
    }
    const direction = (order === 'asc') === forward ? 'ASC' : 'DESC';
    const sql = `SELECT id, data FROM ${this.table}${conditions.length ? ` WHERE ${conditions.join(' AND ')}` : ''} ORDER BY created_at ${direction}, seq ${direction} LIMIT ?`;
    const rows = this.statement(sql).all(...args, ...cursorArgs, limit + 1) as Array<{ id: string; data: string }>;
    const hasMore = rows.length > limit;
    if (hasMore) rows.length = limit;
    if (!forward) rows.reverse();
    return { rows, hasMore };
  }
}

function whereClause(where: Record<string, ColumnValue>): { clause: string; args: ColumnValue[] } {
  const entries = Object.entries(where);
  return {
    clause: entries.map(([column, value]) => (value === null ? `${column} IS NULL` : `${column} = ?`)).join(' AND '),
    args: entries.filter(([, value]) => value !== null).map(([, value]) => value),
  };
}
