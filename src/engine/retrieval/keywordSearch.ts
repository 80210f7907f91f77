/**
 * BM25 over the FTS5 keyword index, with scores on v2's 0..1 scale.
 *
 * FTS5's bm25() is unbounded and depends on the query, so it is divided by the most the query
 * could score: each term contributes at most idf·(k1+1) however often it occurs. A chunk that
 * matches every (kept) term of the question many times approaches 1; one that matches a single
 * common term sits near 0. That makes `score_threshold` mean the same thing from one question to
 * the next, which a rank-relative normalisation would not. Searching several collections, the
 * attainable maximum counts every term kept in any of them, each at its own collection's IDF, so
 * a collection that lacks half the question cannot score as if it had been asked only the rest.
 */
import type { RetrievalStore } from './indexStore.ts';
import type { QueryPlan, TermStatistics } from './queryTerms.ts';
import { keywordTable } from './schema.ts';

/** FTS5's bm25() constants. */
const K1 = 1.2;
/**
 * Chunks below this matched only words that most chunks contain (FTS5 floors their IDF near
 * zero): no evidence at all, so they are not results.
 */
const MIN_EVIDENCE = 1e-3;

/** Column weights. A word in the file's path says more than one in its text. */
export interface ColumnWeights {
  path: number;
  body: number;
}
export const DEFAULT_COLUMN_WEIGHTS: Readonly<ColumnWeights> = Object.freeze({ path: 2.5, body: 1 });

export interface KeywordHit {
  chunkId: number;
  /** bm25 as FTS5 computes it, sign flipped (higher is better). */
  raw: number;
  /** raw over the query's attainable maximum, in 0..1. */
  score: number;
}

/** FTS5's idf, floored as FTS5 floors it. */
export function inverseDocumentFrequency(frequency: number, total: number): number {
  const idf = Math.log((total - frequency + 0.5) / (frequency + 0.5));
  return idf > 0 ? idf : 1e-6;
}

function quote(term: string): string {
  return `"${term.replace(/"/g, '""')}"`;
}

/** The best chunks of one collection for a query plan, best first. */
export function keywordSearch(
  store: RetrievalStore,
  collectionId: number,
  plan: Pick<QueryPlan, 'terms'>,
  statistics: TermStatistics,
  options: { limit: number; weights?: ColumnWeights; boundTerms?: readonly string[] },
): KeywordHit[] {
  const { terms } = plan;
  if (terms.length === 0) return [];
  const weights = options.weights ?? DEFAULT_COLUMN_WEIGHTS;
  const table = keywordTable(collectionId);
  const rows = store.statement(`SELECT rowid AS id, rank AS rank FROM ${table}
    WHERE ${table} MATCH ? AND rank MATCH ? ORDER BY rank LIMIT ?`)
    .all(terms.map(quote).join(' OR '), `bm25(${weights.path}, ${weights.body})`, options.limit) as Array<{ id: number; rank: number }>;
  let bound = 0;
  for (const term of options.boundTerms ?? terms) bound += inverseDocumentFrequency(statistics.documentFrequency(term), statistics.totalDocuments) * (K1 + 1);
  return rows
    .map((row) => {
      const raw = -row.rank;
      return { chunkId: Number(row.id), raw, score: bound > 0 ? Math.min(1, Math.max(0, raw / bound)) : 0 };
    })
    .filter((hit) => hit.score >= MIN_EVIDENCE);
}
