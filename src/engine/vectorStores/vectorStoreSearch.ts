/**
 * Searching vector stores: `POST /vector_stores/{id}/search` (attribute filters, several queries
 * merged by best score) and the lookups a run's file_search call makes. Searching counts as use.
 */
import type { EngineContext } from '../engineContext.ts';
import type { VectorIndex, VectorIndexHit } from '../ports/vectorIndex.ts';
import type { Assistant } from '../types/assistant.ts';
import type { Thread } from '../types/thread.ts';
import { parseVectorStoreSearch, type FileAttributes } from '../validation/vectorStoreParams.ts';
import { matchesFilter } from './searchFilter.ts';
import { isExpired, requireUsable } from './storeRecords.ts';
import { ToolFailsRunError } from '../ports/builtinTool.ts';

export interface SearchResultsPage {
  object: 'vector_store.search_results.page';
  search_query: string[];
  data: Array<{ file_id: string; filename: string; score: number; attributes: FileAttributes; content: Array<{ type: 'text'; text: string }> }>;
  has_more: false;
  next_page: null;
}

interface IndexQuery {
  maxResults: number;
  scoreThreshold: number;
  fileIds?: ReadonlySet<string>;
  signal?: AbortSignal;
}

export class VectorStoreSearch {
  private readonly context: EngineContext;
  private readonly index: VectorIndex | null;
  private readonly touch: (vectorStoreIds: readonly string[]) => void;

  constructor(context: EngineContext, index: VectorIndex | null, touch: (vectorStoreIds: readonly string[]) => void) {
    this.context = context;
    this.index = index;
    this.touch = touch;
  }

  async search(vectorStoreId: string, input: unknown): Promise<SearchResultsPage> {
    const params = parseVectorStoreSearch(input);
    requireUsable(this.context, vectorStoreId);
    this.touch([vectorStoreId]);
    const page: SearchResultsPage = { object: 'vector_store.search_results.page', search_query: params.queries, data: [], has_more: false, next_page: null };
    const files = new Map(this.context.store.vectorStoreFiles.all({ vector_store_id: vectorStoreId, status: 'completed' }).map((file) => [file.id, file]));
    const allowed = params.filters ? new Set([...files.values()].filter((file) => matchesFilter(file.attributes, params.filters!)).map((file) => file.id)) : undefined;
    if (!this.index || allowed?.size === 0) return page;
    const hits = await this.searchIndex([vectorStoreId], params.queries, { maxResults: params.max_num_results, scoreThreshold: params.score_threshold, ...(allowed ? { fileIds: allowed } : {}) });
    page.data = hits.map((hit) => ({
      file_id: hit.fileId,
      filename: hit.filename,
      score: Math.min(1, Math.max(0, hit.score)),
      attributes: files.get(hit.fileId)?.attributes ?? {},
      content: [{ type: 'text', text: hit.text }],
    }));
    return page;
  }

  /** Search over several stores (a run's stores); an expired store fails it, as v2 failed such runs. */
  async searchStores(vectorStoreIds: readonly string[], queries: string[], options: { maxResults: number; scoreThreshold: number; signal?: AbortSignal }): Promise<VectorIndexHit[]> {
    for (const id of vectorStoreIds) requireUsable(this.context, id);
    this.touch(vectorStoreIds);
    if (!this.index || vectorStoreIds.length === 0) return [];
    return this.searchIndex(vectorStoreIds, queries, options);
  }

  /** The stores a run's file_search call searches: the assistant's and the thread's that still exist. */
  storesForRun(thread: Thread, assistant: Assistant | undefined): string[] {
    const ids = [...new Set([...(assistant?.tool_resources?.file_search?.vector_store_ids ?? []), ...(thread.tool_resources?.file_search?.vector_store_ids ?? [])])];
    const now = this.context.clock.nowSeconds();
    for (const id of ids) {
      const store = this.context.store.vectorStores.get(id);
      if (store && isExpired(store, now)) {
        throw new ToolFailsRunError(`Vector store ${id} attached to this conversation has expired, so it cannot be searched. Attach the files again (create a new vector store) and start a new run.`);
      }
    }
    return ids.filter((id) => this.context.store.vectorStores.get(id) !== undefined);
  }

  private async searchIndex(vectorStoreIds: readonly string[], queries: string[], options: IndexQuery): Promise<VectorIndexHit[]> {
    const best = new Map<string, VectorIndexHit>();
    for (const query of queries) {
      for (const hit of await this.index!.search(vectorStoreIds, query, options)) {
        if (options.fileIds && !options.fileIds.has(hit.fileId)) continue;
        const key = `${hit.vectorStoreId}\u0000${hit.fileId}\u0000${hit.text}`;
        const seen = best.get(key);
        if (!seen || seen.score < hit.score) best.set(key, hit);
      }
    }
    return [...best.values()].filter((hit) => hit.score >= options.scoreThreshold).sort((a, b) => b.score - a.score).slice(0, options.maxResults);
  }
}
