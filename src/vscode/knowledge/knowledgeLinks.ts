/**
 * What the knowledge base remembers beside the index, in its own small database (so its writes
 * never wait on the index workers' write lock):
 * - which vector store indexes which workspace folder (resumed after a reload, not rebuilt);
 * - where each file of a knowledge base came from (re-index reads it again; citations open it);
 * - the line range of every chunk file_search returned, by file and chunk text: a citation names a
 *   file and the step keeps the chunk's text, and this turns the pair back into lines.
 * No `vscode` import.
 */
import { createHash } from 'node:crypto';
import { openDatabase, transaction, type Database } from '../../engine/store/sqlite.ts';

export interface ChunkLines {
  vectorStoreId: string;
  startLine: number;
  endLine: number;
}

export interface SourceRecord {
  fileId: string;
  vectorStoreId: string;
  /** The file's URI as VS Code writes it (`file:///…`). */
  uri: string;
}

/** Chunks remembered; the oldest go first beyond this. */
const MAX_CHUNK_ROWS = 50_000;

export function chunkTextHash(text: string): string {
  return createHash('sha256').update(text).digest('base64url').slice(0, 32);
}

export class KnowledgeLinks {
  readonly db: Database;
  #recordsSincePrune = 0;

  constructor(path: string) {
    this.db = openDatabase(path);
    transaction(this.db, () => {
      this.db.exec(`CREATE TABLE IF NOT EXISTS workspace_stores (
        folder_uri TEXT PRIMARY KEY,
        vector_store_id TEXT NOT NULL
      )`);
      this.db.exec(`CREATE TABLE IF NOT EXISTS knowledge_sources (
        file_id TEXT PRIMARY KEY,
        vector_store_id TEXT NOT NULL,
        uri TEXT NOT NULL
      )`);
      this.db.exec('CREATE INDEX IF NOT EXISTS knowledge_sources_by_store ON knowledge_sources(vector_store_id, uri)');
      this.db.exec(`CREATE TABLE IF NOT EXISTS chunk_lines (
        file_id TEXT NOT NULL,
        text_hash TEXT NOT NULL,
        vector_store_id TEXT NOT NULL,
        start_line INTEGER NOT NULL,
        end_line INTEGER NOT NULL,
        seen_at INTEGER NOT NULL,
        PRIMARY KEY (file_id, text_hash)
      )`);
      this.db.exec('CREATE INDEX IF NOT EXISTS chunk_lines_by_age ON chunk_lines(seen_at)');
    });
  }

  // ---- workspace folders ----

  workspaceStore(folderUri: string): string | undefined {
    const row = this.db.prepare('SELECT vector_store_id FROM workspace_stores WHERE folder_uri = ?').get(folderUri) as { vector_store_id: string } | undefined;
    return row?.vector_store_id;
  }

  setWorkspaceStore(folderUri: string, vectorStoreId: string): void {
    this.db.prepare('INSERT INTO workspace_stores (folder_uri, vector_store_id) VALUES (?, ?) ON CONFLICT(folder_uri) DO UPDATE SET vector_store_id = excluded.vector_store_id').run(folderUri, vectorStoreId);
  }

  /** Every store that indexes a workspace folder (in any window), by store id. */
  workspaceFolders(): Map<string, string> {
    const rows = this.db.prepare('SELECT folder_uri, vector_store_id FROM workspace_stores').all() as Array<{ folder_uri: string; vector_store_id: string }>;
    return new Map(rows.map((row) => [row.vector_store_id, row.folder_uri]));
  }

  // ---- knowledge-base sources ----

  setSource(record: SourceRecord): void {
    this.db.prepare('INSERT INTO knowledge_sources (file_id, vector_store_id, uri) VALUES (?, ?, ?) ON CONFLICT(file_id) DO UPDATE SET vector_store_id = excluded.vector_store_id, uri = excluded.uri')
      .run(record.fileId, record.vectorStoreId, record.uri);
  }

  source(fileId: string): SourceRecord | undefined {
    const row = this.db.prepare('SELECT file_id, vector_store_id, uri FROM knowledge_sources WHERE file_id = ?').get(fileId) as { file_id: string; vector_store_id: string; uri: string } | undefined;
    return row ? { fileId: row.file_id, vectorStoreId: row.vector_store_id, uri: row.uri } : undefined;
  }

  /** The files a store took from `uri` (normally one: adding it again replaces it). */
  sourcesOf(vectorStoreId: string, uri?: string): SourceRecord[] {
    const rows = (uri === undefined
      ? this.db.prepare('SELECT file_id, vector_store_id, uri FROM knowledge_sources WHERE vector_store_id = ?').all(vectorStoreId)
      : this.db.prepare('SELECT file_id, vector_store_id, uri FROM knowledge_sources WHERE vector_store_id = ? AND uri = ?').all(vectorStoreId, uri)) as Array<{ file_id: string; vector_store_id: string; uri: string }>;
    return rows.map((row) => ({ fileId: row.file_id, vectorStoreId: row.vector_store_id, uri: row.uri }));
  }

  forgetSource(fileId: string): void {
    this.db.prepare('DELETE FROM knowledge_sources WHERE file_id = ?').run(fileId);
  }

  forgetStore(vectorStoreId: string): void {
    transaction(this.db, () => {
      this.db.prepare('DELETE FROM knowledge_sources WHERE vector_store_id = ?').run(vectorStoreId);
      this.db.prepare('DELETE FROM workspace_stores WHERE vector_store_id = ?').run(vectorStoreId);
    });
  }

  // ---- chunk lines ----

  recordChunks(hits: ReadonlyArray<{ vectorStoreId: string; fileId: string; text: string; startLine?: number; endLine?: number }>, nowSeconds = Math.floor(Date.now() / 1000)): void {
    const located = hits.filter((hit) => hit.startLine !== undefined);
    if (located.length === 0) return;
    const insert = this.db.prepare(`INSERT INTO chunk_lines (file_id, text_hash, vector_store_id, start_line, end_line, seen_at) VALUES (?, ?, ?, ?, ?, ?)
      ON CONFLICT(file_id, text_hash) DO UPDATE SET vector_store_id = excluded.vector_store_id, start_line = excluded.start_line, end_line = excluded.end_line, seen_at = excluded.seen_at`);
    transaction(this.db, () => {
      for (const hit of located) insert.run(hit.fileId, chunkTextHash(hit.text), hit.vectorStoreId, hit.startLine!, hit.endLine ?? hit.startLine!, nowSeconds);
    });
    this.#recordsSincePrune += located.length;
    if (this.#recordsSincePrune > 1_000) this.#prune();
  }

  chunkLines(fileId: string, text: string): ChunkLines | undefined {
    const row = this.db.prepare('SELECT vector_store_id, start_line, end_line FROM chunk_lines WHERE file_id = ? AND text_hash = ?').get(fileId, chunkTextHash(text)) as
      | { vector_store_id: string; start_line: number; end_line: number }
      | undefined;
    return row ? { vectorStoreId: row.vector_store_id, startLine: Number(row.start_line), endLine: Number(row.end_line) } : undefined;
  }

  #prune(): void {
    this.#recordsSincePrune = 0;
    this.db.prepare('DELETE FROM chunk_lines WHERE rowid IN (SELECT rowid FROM chunk_lines ORDER BY seen_at DESC LIMIT -1 OFFSET ?)').run(MAX_CHUNK_ROWS);
  }

  close(): void {
    if (this.db.isOpen) this.db.close();
  }
}
