/**
 * The retrieval tables, in the engine's one database. Created idempotently (`IF NOT EXISTS`) so
 * the knowledge base can be added to any Threadwork database, and versioned by the keyword terms'
 * format: when the tokenizer changes, stored terms are stale, so every file is marked for
 * re-indexing (its content hash cleared) and the keyword index is emptied.
 *
 * - retrieval_collections: one per vector store or indexed workspace folder.
 * - retrieval_files: one per file in a collection, with the content hash that lets unchanged
 *   files skip chunking and embedding, and the chunking limits it was chunked with.
 * - retrieval_texts: the decoded text once per file; chunks are offsets into it, so overlapping
 *   chunks do not store their text twice.
 * - retrieval_chunks: line ranges, offsets into the text in characters (code points, as substr()
 *   counts them), token counts; ids only grow (AUTOINCREMENT), which the vector worker relies on
 *   to load new vectors incrementally.
 * - retrieval_fts_<collection id>: FTS5 over the chunks' keyword terms (contentless: the terms
 *   are derived data), one table per collection so that each store has its own term statistics
 *   and a search reads only its own postings.
 * - retrieval_vectors: optional embeddings, Float32 little-endian BLOBs, by embedding space.
 */
import type { Database } from '../store/sqlite.ts';
import { transaction } from '../store/sqlite.ts';

/** Bump when codeTokens.ts, the FTS5 configuration or the span a chunk's terms come from (prepareDocument.ts) changes what is stored. */
export const RETRIEVAL_TERMS_VERSION = '2';

export function ensureRetrievalSchema(db: Database): void {
  transaction(db, () => {
    db.exec(`CREATE TABLE IF NOT EXISTS retrieval_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)`);
    db.exec(`CREATE TABLE IF NOT EXISTS retrieval_collections (
      id INTEGER PRIMARY KEY AUTOINCREMENT,
      name TEXT NOT NULL UNIQUE,
      generation INTEGER NOT NULL DEFAULT 0
    )`);
    db.exec(`CREATE TABLE IF NOT EXISTS retrieval_files (
      id INTEGER PRIMARY KEY AUTOINCREMENT,
      collection_id INTEGER NOT NULL REFERENCES retrieval_collections(id) ON DELETE CASCADE,
      key TEXT NOT NULL,
      path TEXT NOT NULL,
      status TEXT NOT NULL,
      error_code TEXT,
      error_message TEXT,
      content_hash TEXT NOT NULL,
      size INTEGER NOT NULL,
      mtime_ms REAL,
      max_tokens INTEGER NOT NULL,
      overlap_tokens INTEGER NOT NULL,
      token_count INTEGER NOT NULL,
      chunk_count INTEGER NOT NULL,
      usage_bytes INTEGER NOT NULL,
      indexed_at INTEGER NOT NULL,
      UNIQUE (collection_id, key)
    )`);
    db.exec(`CREATE TABLE IF NOT EXISTS retrieval_texts (
      file_id INTEGER PRIMARY KEY REFERENCES retrieval_files(id) ON DELETE CASCADE,
      text TEXT NOT NULL
    )`);
    db.exec(`CREATE TABLE IF NOT EXISTS retrieval_chunks (
      id INTEGER PRIMARY KEY AUTOINCREMENT,
      file_id INTEGER NOT NULL REFERENCES retrieval_files(id) ON DELETE CASCADE,
      ordinal INTEGER NOT NULL,
      start_offset INTEGER NOT NULL,
      end_offset INTEGER NOT NULL,
      start_line INTEGER NOT NULL,
      end_line INTEGER NOT NULL,
      token_count INTEGER NOT NULL,
      text_hash TEXT NOT NULL
    )`);
    // Covers the per-collection chunk count that every search needs for IDF.
    db.exec('CREATE INDEX IF NOT EXISTS retrieval_files_chunks ON retrieval_files(collection_id, chunk_count)');
    db.exec('CREATE INDEX IF NOT EXISTS retrieval_chunks_by_file ON retrieval_chunks(file_id)');
    db.exec('CREATE INDEX IF NOT EXISTS retrieval_chunks_by_text ON retrieval_chunks(text_hash)');
    db.exec(`CREATE TABLE IF NOT EXISTS retrieval_vectors (
      chunk_id INTEGER PRIMARY KEY REFERENCES retrieval_chunks(id) ON DELETE CASCADE,
      space TEXT NOT NULL,
      vector BLOB NOT NULL
    )`);
    db.exec('CREATE INDEX IF NOT EXISTS retrieval_vectors_by_space ON retrieval_vectors(space, chunk_id)');

    const stored = db.prepare(`SELECT value FROM retrieval_meta WHERE key = 'terms_version'`).get() as { value: string } | undefined;
    if (stored?.value !== RETRIEVAL_TERMS_VERSION) {
      if (stored) {
        const collections = db.prepare('SELECT id FROM retrieval_collections').all() as Array<{ id: number }>;
        for (const { id } of collections) {
          dropKeywordTable(db, Number(id));
          ensureKeywordTable(db, Number(id));
        }
        db.exec(`UPDATE retrieval_files SET content_hash = ''`);
      }
      db.prepare(`INSERT INTO retrieval_meta (key, value) VALUES ('terms_version', ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value`).run(RETRIEVAL_TERMS_VERSION);
    }
    for (const { id } of db.prepare('SELECT id FROM retrieval_collections').all() as Array<{ id: number }>) applyMergeConfig(db, keywordTable(Number(id)));
  });
}

/** The keyword table of a collection (ids are integers, so the name is safe to interpolate). */
export function keywordTable(collectionId: number): string {
  if (!Number.isSafeInteger(collectionId)) throw new Error(`Invalid collection id ${String(collectionId)}`);
  return `retrieval_fts_${collectionId}`;
}

/**
 * Pseudo-documents in every keyword table (negative rowids, one filler word). BM25's IDF is
 * nil for any term in more than half the documents, so in a store of one or two files every word
 * would score zero; these rows smooth the statistics of small collections like pseudo-counts, and
 * vanish in large ones. Their length is that of a typical chunk, so document-length normalisation
 * is not skewed either. They never match a query: nobody asks for the filler word.
 */
export const PSEUDO_DOCUMENTS = 10;
export const PSEUDO_DOCUMENT_TERM = 'zzpseudodocumentzz';
const PSEUDO_DOCUMENT_LENGTH = 400;

/**
 * FTS5 merge policy. Every committed batch becomes a segment, and by default FTS5 merges 4
 * segments of a level as soon as they exist: on a workspace-sized first index (10k files) that
 * merging cost more than building the segments did, because each posting is rewritten once per
 * level. Waiting for 16 segments (and forcing a merge only at 64) rewrites postings about half as
 * often; a search then reads a few more segments per term, which at 100k chunks still stays far
 * inside its latency budget (bench/index.bench.ts measures both).
 */
const KEYWORD_MERGE_CONFIG: ReadonlyArray<readonly [string, number]> = [['automerge', 16], ['crisismerge', 64]];

export function ensureKeywordTable(db: Database, collectionId: number): void {
  const table = keywordTable(collectionId);
  db.exec(`CREATE VIRTUAL TABLE IF NOT EXISTS ${table} USING fts5(
    path, body,
    content='', contentless_delete=1, tokenize='unicode61 remove_diacritics 0'
  )`);
  applyMergeConfig(db, table);
  const present = db.prepare(`SELECT rowid FROM ${table} WHERE rowid < 0 LIMIT 1`).get();
  if (present) return;
  const filler = Array.from({ length: PSEUDO_DOCUMENT_LENGTH }, () => PSEUDO_DOCUMENT_TERM).join(' ');
  const insert = db.prepare(`INSERT INTO ${table} (rowid, path, body) VALUES (?, '', ?)`);
  for (let i = 1; i <= PSEUDO_DOCUMENTS; i++) insert.run(-i, filler);
}

/** Tables made before the merge policy changed get it too (a config row each, written only when it differs). */
function applyMergeConfig(db: Database, table: string): void {
  const current = new Map((db.prepare(`SELECT k, v FROM ${table}_config`).all() as Array<{ k: string; v: unknown }>).map((row) => [row.k, Number(row.v)]));
  for (const [key, value] of KEYWORD_MERGE_CONFIG) {
    // Literals, not parameters: FTS5 wants an integer here, and the values are our own constants.
    if (current.get(key) !== value) db.exec(`INSERT INTO ${table} (${table}, rank) VALUES ('${key}', ${Math.trunc(value)})`);
  }
}

export function dropKeywordTable(db: Database, collectionId: number): void {
  db.exec(`DROP TABLE IF EXISTS ${keywordTable(collectionId)}`);
}
