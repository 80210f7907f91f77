/**
 * The few queries vector stores need beyond ObjectTable's: counting files by status (the
 * file_counts roll-up), finding a file's batches, and paging through one batch's files.
 */
import { invalid } from '../errors.ts';
import type { Database } from '../store/sqlite.ts';
import type { ListPage, ListParams } from '../types/common.ts';
import type { FileCounts, VectorStoreFile, VectorStoreFileStatus } from '../types/vectorStore.ts';

export function fileKey(vectorStoreId: string, fileId: string): string {
  return `${vectorStoreId}/${fileId}`;
}

function emptyCounts(): FileCounts {
  return { in_progress: 0, completed: 0, failed: 0, cancelled: 0, total: 0 };
}

function toCounts(rows: Array<{ status: string; n: number }>): FileCounts {
  const counts = emptyCounts();
  for (const row of rows) {
    const status = row.status as VectorStoreFileStatus;
    if (status in counts) counts[status] += Number(row.n);
    counts.total += Number(row.n);
  }
  return counts;
}

/** File counts and bytes of one store (usage counts only what ingestion produced). */
export function storeRollup(db: Database, vectorStoreId: string): { counts: FileCounts; usageBytes: number } {
  const rows = db
    .prepare("SELECT status, COUNT(*) AS n, COALESCE(SUM(json_extract(data, '$.usage_bytes')), 0) AS bytes FROM vector_store_files WHERE vector_store_id = ? GROUP BY status")
    .all(vectorStoreId) as Array<{ status: string; n: number; bytes: number }>;
  return { counts: toCounts(rows), usageBytes: rows.reduce((sum, row) => sum + Number(row.bytes), 0) };
}

export function batchCounts(db: Database, vectorStoreId: string, batchId: string): FileCounts {
  const rows = db
    .prepare(
      "SELECT f.status AS status, COUNT(*) AS n FROM batch_files b JOIN vector_store_files f ON f.id = ? || '/' || b.file_id WHERE b.batch_id = ? GROUP BY f.status",
    )
    .all(vectorStoreId, batchId) as Array<{ status: string; n: number }>;
  return toCounts(rows);
}

/** Batches of this store that include this file (a file can be re-added by a later batch). */
export function batchIdsOfFile(db: Database, vectorStoreId: string, fileId: string): string[] {
  const rows = db
    .prepare('SELECT b.batch_id AS id FROM batch_files b JOIN file_batches fb ON fb.id = b.batch_id WHERE b.file_id = ? AND fb.vector_store_id = ?')
    .all(fileId, vectorStoreId) as Array<{ id: string }>;
  return rows.map((row) => row.id);
}

export function batchFileIds(db: Database, batchId: string): string[] {
  return (db.prepare('SELECT file_id FROM batch_files WHERE batch_id = ?').all(batchId) as Array<{ file_id: string }>).map((row) => row.file_id);
}

/** One page of a batch's files, with the same ordering and cursor rules as every other list. */
export function listBatchFiles(db: Database, vectorStoreId: string, batchId: string, params: ListParams & { filter?: VectorStoreFileStatus }): ListPage<VectorStoreFile> {
  const limit = params.limit ?? 20;
  const order = params.order ?? 'desc';
  const forward = params.before === undefined;
  const conditions = ['b.batch_id = ?'];
  const args: Array<string | number> = [vectorStoreId, batchId];
  if (params.filter) {
    conditions.push('f.status = ?');
    args.push(params.filter);
  }
  const cursorId = params.after ?? params.before;
  if (cursorId !== undefined) {
    const cursor = db.prepare('SELECT created_at, seq FROM vector_store_files WHERE id = ?').get(fileKey(vectorStoreId, cursorId)) as { created_at: number; seq: number } | undefined;
    const param = params.after !== undefined ? 'after' : 'before';
    if (!cursor) throw invalid(`Invalid '${param}': no object with id '${cursorId}' in this list.`, param, 'invalid_value');
    const ascending = (order === 'asc') === forward;
    conditions.push(ascending ? '(f.created_at > ? OR (f.created_at = ? AND f.seq > ?))' : '(f.created_at < ? OR (f.created_at = ? AND f.seq < ?))');
    args.push(cursor.created_at, cursor.created_at, cursor.seq);
  }
  const direction = (order === 'asc') === forward ? 'ASC' : 'DESC';
  const rows = db
    .prepare(
      `SELECT f.data AS data FROM batch_files b JOIN vector_store_files f ON f.id = ? || '/' || b.file_id WHERE ${conditions.join(' AND ')} ORDER BY f.created_at ${direction}, f.seq ${direction} LIMIT ?`,
    )
    .all(...args, limit + 1) as Array<{ data: string }>;
  const data = rows.slice(0, limit).map((row) => JSON.parse(row.data) as VectorStoreFile);
  if (!forward) data.reverse();
  return { object: 'list', data, first_id: data[0]?.id ?? null, last_id: data.at(-1)?.id ?? null, has_more: rows.length > limit };
}

export function inProgressFileKeys(db: Database): string[] {
  return (db.prepare("SELECT id FROM vector_store_files WHERE status = 'in_progress' ORDER BY seq").all() as Array<{ id: string }>).map((row) => row.id);
}
