/**
 * Reads and writes of the retrieval tables (schema.ts). Every change to one file (its row, text,
 * chunks, keyword rows and vectors) is one transaction, so a crash leaves the file either fully
 * old or fully new, never half indexed.
 */
import type { Database, Statement } from '../store/sqlite.ts';
import { transaction } from '../store/sqlite.ts';
import type { ChunkLimits } from './chunkingOptions.ts';
import type { FileRole } from './fileRole.ts';
import { fileRole } from './fileRole.ts';
import type { PreparedDocument } from './prepareDocument.ts';
import { dropKeywordTable, ensureKeywordTable, keywordTable } from './schema.ts';
import { blobToVector, vectorToBlob } from './vectorCodec.ts';

export type StoredFileStatus = 'indexed' | 'unsupported';

export interface StoredFile {
  id: number;
  key: string;
  path: string;
  role: FileRole;
  status: StoredFileStatus;
  errorCode: string | null;
  errorMessage: string | null;
  contentHash: string;
  size: number;
  mtimeMs: number | null;
  limits: ChunkLimits;
  tokenCount: number;
  chunkCount: number;
  usageBytes: number;
  indexedAt: number;
}

interface FileRow {
  id: number;
  key: string;
  path: string;
  status: string;
  error_code: string | null;
  error_message: string | null;
  content_hash: string;
  size: number;
  mtime_ms: number | null;
  max_tokens: number;
  overlap_tokens: number;
  token_count: number;
  chunk_count: number;
  usage_bytes: number;
  indexed_at: number;
}

function toStoredFile(row: FileRow): StoredFile {
  return {
    id: row.id,
    key: row.key,
    path: row.path,
    role: fileRole(row.path),
    status: row.status as StoredFileStatus,
    errorCode: row.error_code,
    errorMessage: row.error_message,
    contentHash: row.content_hash,
    size: row.size,
    mtimeMs: row.mtime_ms,
    limits: { maxTokens: row.max_tokens, overlapTokens: row.overlap_tokens },
    tokenCount: row.token_count,
    chunkCount: row.chunk_count,
    usageBytes: row.usage_bytes,
    indexedAt: row.indexed_at,
  };
}

export interface FileMeta {
  key: string;
  path: string;
  contentHash: string;
  size: number;
  mtimeMs: number | null;
  limits: ChunkLimits;
}

export interface ChunkVectors {
  space: string;
  /** One per prepared chunk, in order. */
  vectors: Float32Array[];
}

export class RetrievalStore {
  readonly db: Database;
  readonly #statements = new Map<string, Statement>();

  constructor(db: Database) {
    this.db = db;
  }

  statement(sql: string): Statement {
    let statement = this.#statements.get(sql);
    if (!statement) {
      statement = this.db.prepare(sql);
      this.#statements.set(sql, statement);
    }
    return statement;
  }

  collectionId(name: string): number | undefined {
    const row = this.statement('SELECT id FROM retrieval_collections WHERE name = ?').get(name) as { id: number } | undefined;
    return row?.id;
  }

  ensureCollection(name: string): number {
    const existing = this.collectionId(name);
    if (existing !== undefined) return existing;
    return transaction(this.db, () => {
      this.statement('INSERT INTO retrieval_collections (name) VALUES (?) ON CONFLICT(name) DO NOTHING').run(name);
      const id = this.collectionId(name)!;
      ensureKeywordTable(this.db, id);
      return id;
    });
  }

  file(collectionId: number, key: string): StoredFile | undefined {
    const row = this.statement('SELECT * FROM retrieval_files WHERE collection_id = ? AND key = ?').get(collectionId, key) as FileRow | undefined;
    return row ? toStoredFile(row) : undefined;
  }

  files(collectionId: number): Map<string, StoredFile> {
    const rows = this.statement('SELECT * FROM retrieval_files WHERE collection_id = ?').all(collectionId) as unknown as FileRow[];
    return new Map(rows.map((row) => [row.key, toStoredFile(row)]));
  }

  /** Replaces whatever was stored for the file with `document`. */
  writeDocument(collectionId: number, meta: FileMeta, document: PreparedDocument, vectors?: ChunkVectors): StoredFile {
    return transaction(this.db, () => {
      const fileId = this.#upsertFileRow(collectionId, meta, {
        status: 'indexed',
        tokenCount: document.tokenCount,
        chunkCount: document.chunks.length,
        usageBytes: usageBytes(document, vectors),
      });
      this.statement('INSERT INTO retrieval_texts (file_id, text) VALUES (?, ?)').run(fileId, document.text);
      const insertChunk = this.statement(`INSERT INTO retrieval_chunks
        (file_id, ordinal, start_offset, end_offset, start_line, end_line, token_count, text_hash)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?)`);
      const insertTerms = this.statement(`INSERT INTO ${keywordTable(collectionId)} (rowid, path, body) VALUES (?, ?, ?)`);
      const insertVector = this.statement('INSERT INTO retrieval_vectors (chunk_id, space, vector) VALUES (?, ?, ?)');
      document.chunks.forEach((chunk, ordinal) => {
        const { lastInsertRowid } = insertChunk.run(fileId, ordinal, chunk.startChar, chunk.endChar, chunk.startLine, chunk.endLine, chunk.tokenCount, chunk.textHash);
        insertTerms.run(lastInsertRowid, document.pathTerms, chunk.terms);
        const vector = vectors?.vectors[ordinal];
        if (vectors && vector) insertVector.run(lastInsertRowid, vectors.space, vectorToBlob(vector));
      });
      return this.file(collectionId, meta.key)!;
    });
  }

  /** Records a file that cannot be indexed (binary, too large…), so it is reported and not retried until it changes. */
  writeUnsupported(collectionId: number, meta: FileMeta, code: string, message: string): StoredFile {
    return transaction(this.db, () => {
      this.#upsertFileRow(collectionId, meta, { status: 'unsupported', tokenCount: 0, chunkCount: 0, usageBytes: 0, errorCode: code, errorMessage: message });
      return this.file(collectionId, meta.key)!;
    });
  }

  /** The content is unchanged but its stat moved (touched, checked out again): remember the new mtime. */
  touch(fileId: number, mtimeMs: number | null): void {
    this.statement('UPDATE retrieval_files SET mtime_ms = ? WHERE id = ?').run(mtimeMs, fileId);
  }

  removeFile(collectionId: number, key: string): boolean {
    return transaction(this.db, () => {
      const existing = this.statement('SELECT id FROM retrieval_files WHERE collection_id = ? AND key = ?').get(collectionId, key) as { id: number } | undefined;
      if (!existing) return false;
      this.#deleteFileContents(collectionId, existing.id);
      this.statement('DELETE FROM retrieval_files WHERE id = ?').run(existing.id);
      return true;
    });
  }

  removeCollection(name: string): boolean {
    return transaction(this.db, () => {
      const id = this.collectionId(name);
      if (id === undefined) return false;
      this.statement('DELETE FROM retrieval_vectors WHERE chunk_id IN (SELECT c.id FROM retrieval_chunks c JOIN retrieval_files f ON f.id = c.file_id WHERE f.collection_id = ?)').run(id);
      this.statement('DELETE FROM retrieval_chunks WHERE file_id IN (SELECT id FROM retrieval_files WHERE collection_id = ?)').run(id);
      this.statement('DELETE FROM retrieval_texts WHERE file_id IN (SELECT id FROM retrieval_files WHERE collection_id = ?)').run(id);
      this.statement('DELETE FROM retrieval_files WHERE collection_id = ?').run(id);
      // Statements prepared on the dropped tables would fail from now on.
      this.#forgetStatements(keywordTable(id));
      dropKeywordTable(this.db, id);
      this.statement('DELETE FROM retrieval_collections WHERE id = ?').run(id);
      return true;
    });
  }

  /** Stored vectors of chunks with these text hashes, in `space`: an edit re-embeds only what changed. */
  vectorsForTexts(space: string, textHashes: readonly string[]): Map<string, Float32Array> {
    const found = new Map<string, Float32Array>();
    const lookup = this.statement(`SELECT v.vector AS vector FROM retrieval_chunks c
      JOIN retrieval_vectors v ON v.chunk_id = c.id
      WHERE c.text_hash = ? AND v.space = ? LIMIT 1`);
    for (const hash of new Set(textHashes)) {
      const row = lookup.get(hash, space) as { vector: Uint8Array } | undefined;
      if (row) found.set(hash, blobToVector(row.vector));
    }
    return found;
  }

  #upsertFileRow(collectionId: number, meta: FileMeta, state: { status: StoredFileStatus; tokenCount: number; chunkCount: number; usageBytes: number; errorCode?: string; errorMessage?: string }): number {
    const existing = this.statement('SELECT id FROM retrieval_files WHERE collection_id = ? AND key = ?').get(collectionId, meta.key) as { id: number } | undefined;
    if (existing) this.#deleteFileContents(collectionId, existing.id);
    const values = [
      meta.path, state.status, state.errorCode ?? null, state.errorMessage ?? null, meta.contentHash, meta.size, meta.mtimeMs,
      meta.limits.maxTokens, meta.limits.overlapTokens, state.tokenCount, state.chunkCount, state.usageBytes, Math.floor(Date.now() / 1000),
    ] as const;
    if (existing) {
      this.statement(`UPDATE retrieval_files SET path = ?, status = ?, error_code = ?, error_message = ?, content_hash = ?, size = ?,
        mtime_ms = ?, max_tokens = ?, overlap_tokens = ?, token_count = ?, chunk_count = ?, usage_bytes = ?, indexed_at = ? WHERE id = ?`).run(...values, existing.id);
      return existing.id;
    }
    const { lastInsertRowid } = this.statement(`INSERT INTO retrieval_files
      (path, status, error_code, error_message, content_hash, size, mtime_ms, max_tokens, overlap_tokens, token_count, chunk_count, usage_bytes, indexed_at, collection_id, key)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`).run(...values, collectionId, meta.key);
    return Number(lastInsertRowid);
  }

  #forgetStatements(table: string): void {
    for (const sql of [...this.#statements.keys()]) if (sql.includes(table)) this.#statements.delete(sql);
  }

  #deleteFileContents(collectionId: number, fileId: number): void {
    const chunkIds = this.statement('SELECT id FROM retrieval_chunks WHERE file_id = ?').all(fileId) as Array<{ id: number }>;
    const deleteTerms = this.statement(`DELETE FROM ${keywordTable(collectionId)} WHERE rowid = ?`);
    for (const { id } of chunkIds) deleteTerms.run(id);
    // Explicit rather than ON DELETE CASCADE: a connection opened without foreign keys must not leave orphans.
    this.statement('DELETE FROM retrieval_vectors WHERE chunk_id IN (SELECT id FROM retrieval_chunks WHERE file_id = ?)').run(fileId);
    this.statement('DELETE FROM retrieval_chunks WHERE file_id = ?').run(fileId);
    this.statement('DELETE FROM retrieval_texts WHERE file_id = ?').run(fileId);
  }
}

/** v2's usage_bytes counts parsed chunks and embeddings, not the raw file. */
function usageBytes(document: PreparedDocument, vectors?: ChunkVectors): number {
  let bytes = 0;
  for (const chunk of document.chunks) bytes += chunk.endOffset - chunk.startOffset;
  if (vectors) for (const vector of vectors.vectors) bytes += vector ? vector.byteLength : 0;
  return bytes;
}
