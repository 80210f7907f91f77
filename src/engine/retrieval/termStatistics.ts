/**
 * How many chunks of a collection contain a term: what query planning and score normalisation
 * need. FTS5 keeps no per-term counts (fts5vocab recounts a whole posting list per look-up), so a
 * term's postings are read in rowid order up to a sample: fewer than the sample is an exact count,
 * a full sample is extrapolated over the collection's rowid span. Either way a look-up costs at
 * most SAMPLE postings, and results are cached until this process writes to the collection (or,
 * for writes from elsewhere, for a short while).
 */
import type { RetrievalStore } from './indexStore.ts';
import type { TermStatistics } from './queryTerms.ts';
import { keywordTable, PSEUDO_DOCUMENTS } from './schema.ts';

const SAMPLE = 300;
const MAX_AGE_MS = 30_000;
const MAX_CACHED_TERMS = 50_000;

interface CollectionStatistics {
  generation: number;
  createdAt: number;
  totalDocuments: number;
  firstRowid: number;
  lastRowid: number;
  frequencies: Map<string, number>;
}

export class KeywordStatistics {
  readonly #store: RetrievalStore;
  readonly #collections = new Map<number, CollectionStatistics>();
  #generation = 0;

  constructor(store: RetrievalStore) {
    this.#store = store;
  }

  /** Forgets cached counts (call after writing to the index). */
  invalidate(): void {
    this.#generation++;
  }

  forCollection(collectionId: number): TermStatistics {
    let cached = this.#collections.get(collectionId);
    if (!cached || cached.generation !== this.#generation || performance.now() - cached.createdAt > MAX_AGE_MS) {
      cached = this.#load(collectionId);
      this.#collections.set(collectionId, cached);
    }
    const entry = cached;
    const table = keywordTable(collectionId);
    const sample = this.#store.statement(`SELECT rowid AS id FROM ${table} WHERE ${table} MATCH ? LIMIT ${SAMPLE + 1}`);
    return {
      totalDocuments: entry.totalDocuments,
      documentFrequency: (term) => {
        let frequency = entry.frequencies.get(term);
        if (frequency === undefined) {
          const rows = sample.all(`"${term.replace(/"/g, '""')}"`) as Array<{ id: number }>;
          frequency = rows.length <= SAMPLE ? rows.length : estimate(entry, Number(rows[SAMPLE - 1]!.id));
          if (entry.frequencies.size >= MAX_CACHED_TERMS) entry.frequencies.clear();
          entry.frequencies.set(term, frequency);
        }
        return frequency;
      },
    };
  }

  #load(collectionId: number): CollectionStatistics {
    const table = keywordTable(collectionId);
    const total = this.#store.statement('SELECT coalesce(sum(chunk_count), 0) AS n FROM retrieval_files WHERE collection_id = ?').get(collectionId) as { n: number };
    // Real chunks have positive rowids; the pseudo-documents (schema.ts) negative ones.
    const first = this.#store.statement(`SELECT rowid AS id FROM ${table} WHERE rowid > 0 ORDER BY rowid ASC LIMIT 1`).get() as { id: number } | undefined;
    const last = this.#store.statement(`SELECT rowid AS id FROM ${table} ORDER BY rowid DESC LIMIT 1`).get() as { id: number } | undefined;
    return {
      generation: this.#generation,
      createdAt: performance.now(),
      totalDocuments: Number(total.n) + PSEUDO_DOCUMENTS,
      firstRowid: Number(first?.id ?? 0),
      lastRowid: Number(last?.id ?? 0),
      frequencies: new Map(),
    };
  }
}

/** SAMPLE postings reached rowid `reached`: the same density over the whole span. */
function estimate(entry: CollectionStatistics, reached: number): number {
  const covered = Math.max(1, reached - entry.firstRowid + 1);
  const span = Math.max(covered, entry.lastRowid - entry.firstRowid + 1);
  return Math.min(entry.totalDocuments, Math.max(SAMPLE + 1, Math.round((SAMPLE * span) / covered)));
}
