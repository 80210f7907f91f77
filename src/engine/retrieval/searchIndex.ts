/**
 * One search over one or more collections: keyword candidates (BM25, 0..1), optionally fused with
 * vector candidates by reciprocal rank, weighed by the file-role prior, cut by `score_threshold`
 * and `max_num_results`, and pooled into files (a file scores what its best chunk scores).
 */
import type { EmbeddingsBackend } from '../ports/embeddings.ts';
import type { FileRole } from './fileRole.ts';
import { fileRole, rolePriorFor } from './fileRole.ts';
import type { RetrievalStore } from './indexStore.ts';
import { codeTerms } from './codeTokens.ts';
import type { ColumnWeights, KeywordHit } from './keywordSearch.ts';
import { keywordSearch } from './keywordSearch.ts';
import type { QueryPlan } from './queryTerms.ts';
import { planQuery } from './queryTerms.ts';
import { reciprocalRankFusion } from './rankFusion.ts';
import type { KeywordStatistics } from './termStatistics.ts';
import type { VectorSearcher } from './vectorSearcher.ts';

export interface SearchRequest {
  /** Collection names (vector store ids, workspace collections). */
  collections: readonly string[];
  query: string;
  /** Chunks returned, 1..50 (v2's max_num_results); default 20. */
  maxNumResults?: number;
  /** Chunks scoring below are dropped (v2's ranking_options.score_threshold); default 0. */
  scoreThreshold?: number;
  /** Files returned by the pooled ranking; default 10. */
  maxFiles?: number;
  /** Weigh tests, docs, fixtures and build output below source files; default true. */
  preferSource?: boolean;
  /** Reciprocal-rank-fusion weights when vectors are available (v2's hybrid_search weights). */
  hybridWeights?: { text: number; embedding: number };
  columnWeights?: ColumnWeights;
  signal?: AbortSignal;
}

export interface ChunkHit {
  chunkId: number;
  collection: string;
  fileKey: string;
  path: string;
  role: FileRole;
  score: number;
  startLine: number;
  endLine: number;
  tokenCount: number;
  text: string;
}

export interface FileHit {
  collection: string;
  fileKey: string;
  path: string;
  role: FileRole;
  score: number;
  /** The best chunk's line range (1-based, inclusive): where a citation should point. */
  startLine: number;
  endLine: number;
  chunkId: number;
}

export interface SearchResponse {
  mode: 'keyword' | 'hybrid';
  /** Set when part of the search could not run (the embeddings backend failed). */
  warning?: string;
  plan: QueryPlan;
  chunks: ChunkHit[];
  files: FileHit[];
}

export interface SearchDependencies {
  store: RetrievalStore;
  statistics: KeywordStatistics;
  embeddings?: { backend: EmbeddingsBackend; searcher: VectorSearcher } | undefined;
}

/** Candidates taken from each ranked list before the prior and pooling. */
const CANDIDATES = 300;

interface ChunkRow {
  id: number;
  file_id: number;
  start_line: number;
  end_line: number;
  token_count: number;
  start_offset: number;
  end_offset: number;
  key: string;
  path: string;
  collection: string;
}

export async function searchIndex(deps: SearchDependencies, request: SearchRequest): Promise<SearchResponse> {
  const { store } = deps;
  const maxNumResults = clampInteger(request.maxNumResults ?? 20, 1, 50);
  const threshold = Math.min(1, Math.max(0, request.scoreThreshold ?? 0));
  const maxFiles = clampInteger(request.maxFiles ?? 10, 1, 1000);
  const collectionIds = request.collections.map((name) => store.collectionId(name)).filter((id): id is number => id !== undefined);

  // Each collection has its own keyword table and term statistics; their 0..1 scores merge.
  let plan: QueryPlan | null = null;
  const keywordHits: KeywordHit[] = [];
  const planned = collectionIds.map((collectionId) => {
    const statistics = deps.statistics.forCollection(collectionId);
    return { collectionId, statistics, plan: planQuery(request.query, statistics) };
  });
  const boundTerms = [...new Set(planned.flatMap((entry) => entry.plan.terms))];
  for (const entry of planned) {
    plan ??= entry.plan;
    keywordHits.push(...keywordSearch(store, entry.collectionId, entry.plan, entry.statistics, { limit: CANDIDATES, boundTerms, ...(request.columnWeights ? { weights: request.columnWeights } : {}) }));
  }
  if (collectionIds.length > 1) keywordHits.sort((a, b) => b.score - a.score);
  plan ??= { terms: [], questionTerms: codeTerms(request.query), dropped: [] };

  let mode: SearchResponse['mode'] = 'keyword';
  let scores = new Map<number, number>(keywordHits.map((hit) => [hit.chunkId, hit.score]));
  let warning: string | undefined;
  if (deps.embeddings && collectionIds.length > 0 && request.query.trim() !== '') {
    try {
      const [queryVector] = await deps.embeddings.backend.embed([request.query], request.signal ?? new AbortController().signal);
      if (queryVector) {
        const vectorHits = await deps.embeddings.searcher.search(queryVector, CANDIDATES, collectionIds, request.signal);
        const weights = request.hybridWeights ?? { text: 1, embedding: 1 };
        scores = reciprocalRankFusion([
          { ids: keywordHits.map((hit) => hit.chunkId), weight: weights.text },
          { ids: vectorHits.map((hit) => hit.chunkId), weight: weights.embedding },
        ]);
        mode = 'hybrid';
      }
    } catch (error) {
      // An embeddings outage degrades the search to keywords instead of failing it.
      if (request.signal?.aborted) throw error;
      warning = `Semantic search was unavailable (${error instanceof Error ? error.message : String(error)}); these results come from keyword search alone.`;
    }
  }
  request.signal?.throwIfAborted();
  if (scores.size === 0) return { mode, plan, chunks: [], files: [], ...(warning ? { warning } : {}) };
  const questionTerms = plan.questionTerms;

  const rows = store.statement(`SELECT c.id, c.file_id, c.start_line, c.end_line, c.token_count, c.start_offset, c.end_offset,
      f.key, f.path, col.name AS collection
    FROM retrieval_chunks c JOIN retrieval_files f ON f.id = c.file_id JOIN retrieval_collections col ON col.id = f.collection_id
    WHERE c.id IN (SELECT value FROM json_each(?))`).all(JSON.stringify([...scores.keys()])) as unknown as ChunkRow[];

  // The prior is relative to the best role present: a store of documents only is not demoted.
  const prior = rolePriorFor(questionTerms, request.preferSource ?? true);
  const roles = new Map<string, FileRole>();
  const roleOf = (row: ChunkRow): FileRole => {
    let role = roles.get(row.path);
    if (!role) roles.set(row.path, (role = fileRole(row.path)));
    return role;
  };
  const best = rows.reduce((max, row) => Math.max(max, prior(roleOf(row))), 0) || 1;
  const ranked = rows
    .map((row) => ({ row, score: (scores.get(Number(row.id)) ?? 0) * (prior(roleOf(row)) / best) }))
    .sort((a, b) => b.score - a.score || Number(a.row.id) - Number(b.row.id));

  const files: FileHit[] = [];
  const seenFiles = new Set<number>();
  for (const { row, score } of ranked) {
    if (files.length >= maxFiles) break;
    if (seenFiles.has(Number(row.file_id)) || score < threshold) continue;
    seenFiles.add(Number(row.file_id));
    files.push({ collection: row.collection, fileKey: row.key, path: row.path, role: roleOf(row), score, startLine: Number(row.start_line), endLine: Number(row.end_line), chunkId: Number(row.id) });
  }

  const chosen = ranked.filter((entry) => entry.score >= threshold).slice(0, maxNumResults);
  const readText = store.statement('SELECT substr(text, ? + 1, ? - ?) AS text FROM retrieval_texts WHERE file_id = ?');
  const chunks = chosen.map(({ row, score }): ChunkHit => {
    const text = (readText.get(row.start_offset, row.end_offset, row.start_offset, row.file_id) as { text: string } | undefined)?.text ?? '';
    return {
      chunkId: Number(row.id),
      collection: row.collection,
      fileKey: row.key,
      path: row.path,
      role: roleOf(row),
      score,
      startLine: Number(row.start_line),
      endLine: Number(row.end_line),
      tokenCount: Number(row.token_count),
      text,
    };
  });
  return { mode, plan, chunks, files, ...(warning ? { warning } : {}) };
}

function clampInteger(value: number, min: number, max: number): number {
  if (!Number.isFinite(value)) return min;
  return Math.min(max, Math.max(min, Math.floor(value)));
}
