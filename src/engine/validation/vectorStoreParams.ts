/** Parsers for vector stores, their files, file batches and search (docs/assistants-v2.md §2.7–2.9, §3). */
import { invalid } from '../errors.ts';
import type { ListParams, Metadata } from '../types/common.ts';
import type { ExpiresAfter, StaticChunking, VectorStoreFileStatus } from '../types/vectorStore.ts';
import { BodyReader, checkArray, checkNumber, checkString, typeError } from './bodyReader.ts';
import { parseChunkingStrategy } from './chunkingParams.ts';
import { METADATA_LIMITS, parseListParams, parseMetadata, parsePropertyMap } from './commonParams.ts';

export { parseChunkingStrategy, DEFAULT_STATIC_CHUNKING } from './chunkingParams.ts';

export type FileAttributes = Record<string, string | number | boolean>;

export const VECTOR_STORE_LIMITS = { createFileIds: 500, batchFiles: 2000, helperFileIds: 10_000, name: 256, description: 512 } as const;

export interface VectorStoreCreateParams {
  file_ids?: string[];
  name?: string;
  description?: string;
  expires_after?: ExpiresAfter;
  /** Resolved: `auto` and absent both become the 800/400 default. */
  chunking?: StaticChunking;
  metadata?: Metadata;
}

export interface VectorStoreUpdateParams {
  name?: string | null;
  expires_after?: ExpiresAfter | null;
  metadata?: Metadata;
}

export interface VectorStoreFileCreateParams {
  file_id: string;
  chunking?: StaticChunking;
  attributes?: FileAttributes | null;
}

export interface FileBatchCreateParams {
  files: VectorStoreFileCreateParams[];
}

export type SearchFilter =
  | { type: 'eq' | 'ne' | 'gt' | 'gte' | 'lt' | 'lte' | 'in' | 'nin'; key: string; value: string | number | boolean | Array<string | number> }
  | { type: 'and' | 'or'; filters: SearchFilter[] };

export interface VectorStoreSearchParams {
  queries: string[];
  rewrite_query: boolean;
  max_num_results: number;
  filters: SearchFilter | null;
  score_threshold: number;
}

export function parseExpiresAfter(value: unknown, param = 'expires_after'): ExpiresAfter | undefined {
  if (value === undefined) return undefined;
  const reader = new BodyReader(value, param);
  reader.required('anchor', (r, k) => r.string(k, { enum: ['last_active_at'] }));
  const days = reader.required('days', (r, k) => r.number(k, { integer: true, min: 1, max: 365 }));
  reader.done();
  return { anchor: 'last_active_at', days };
}

/** Vector-store file attributes: like metadata, but values may also be numbers or booleans. */
export function parseAttributes(value: unknown, param = 'attributes'): FileAttributes | null | undefined {
  if (value === undefined || value === null) return value as null | undefined;
  return parsePropertyMap(value, param, (item, itemParam) => {
    if (typeof item === 'boolean') return item;
    if (typeof item === 'number') return checkNumber(item, itemParam);
    if (typeof item === 'string') return checkString(item, itemParam, { max: METADATA_LIMITS.value });
    throw typeError(itemParam, 'a string, number or boolean', item);
  });
}

function fileIdList(reader: BodyReader, key: string, options: { max: number; min?: number }): string[] | undefined {
  const ids = reader.array(key, options);
  return ids?.map((id, index) => checkString(id, `${reader.param(key)}[${index}]`, { min: 1 }));
}

export function parseVectorStoreCreate(body: unknown): VectorStoreCreateParams {
  const reader = new BodyReader(body ?? {});
  const params: VectorStoreCreateParams = {};
  const fileIds = fileIdList(reader, 'file_ids', { max: VECTOR_STORE_LIMITS.createFileIds });
  if (fileIds) params.file_ids = fileIds;
  const name = reader.nullableString('name', { max: VECTOR_STORE_LIMITS.name });
  if (typeof name === 'string') params.name = name;
  const description = reader.nullableString('description', { max: VECTOR_STORE_LIMITS.description });
  if (typeof description === 'string') params.description = description;
  const expiresAfter = parseExpiresAfter(reader.raw('expires_after') ?? undefined);
  if (expiresAfter) params.expires_after = expiresAfter;
  const chunking = parseChunkingStrategy(reader.raw('chunking_strategy'));
  if (chunking) params.chunking = chunking;
  const metadata = parseMetadata(reader.raw('metadata'));
  if (metadata !== undefined) params.metadata = metadata;
  reader.done();
  return params;
}

export function parseVectorStoreUpdate(body: unknown): VectorStoreUpdateParams {
  const reader = new BodyReader(body ?? {});
  const params: VectorStoreUpdateParams = {};
  const name = reader.nullableString('name', { max: VECTOR_STORE_LIMITS.name });
  if (name !== undefined) params.name = name;
  const expires = reader.raw('expires_after');
  if (expires === null) params.expires_after = null;
  else if (expires !== undefined) params.expires_after = parseExpiresAfter(expires)!;
  const metadata = parseMetadata(reader.raw('metadata'));
  if (metadata !== undefined) params.metadata = metadata;
  reader.done();
  return params;
}

export function parseVectorStoreFileCreate(body: unknown, param = ''): VectorStoreFileCreateParams {
  const reader = new BodyReader(body, param);
  const fileId = reader.required('file_id', (r, k) => r.string(k, { min: 1 }));
  const params: VectorStoreFileCreateParams = { file_id: fileId };
  const chunking = parseChunkingStrategy(reader.raw('chunking_strategy'), reader.param('chunking_strategy'));
  if (chunking) params.chunking = chunking;
  const attributes = parseAttributes(reader.raw('attributes'), reader.param('attributes'));
  if (attributes !== undefined) params.attributes = attributes;
  reader.done();
  return params;
}

export function parseVectorStoreFileUpdate(body: unknown): { attributes: FileAttributes | null } {
  const reader = new BodyReader(body);
  if (!reader.has('attributes')) reader.required('attributes', (r, k) => r.raw(k));
  const attributes = parseAttributes(reader.raw('attributes')) ?? null;
  reader.done();
  return { attributes };
}

/** Either `file_ids` (sharing one chunking strategy and attribute set) or `files`, never both. */
export function parseFileBatchCreate(body: unknown): FileBatchCreateParams {
  const reader = new BodyReader(body);
  if (reader.has('file_ids') && reader.has('files')) {
    throw invalid("Invalid request: 'file_ids' and 'files' are mutually exclusive. Provide one of them, not both.", 'files', 'invalid_value');
  }
  if (!reader.has('file_ids') && !reader.has('files')) {
    throw invalid("Missing required parameter: provide either 'file_ids' or 'files'.", 'file_ids', 'missing_required_parameter');
  }
  const limits = { min: 1, max: VECTOR_STORE_LIMITS.batchFiles };
  const chunking = parseChunkingStrategy(reader.raw('chunking_strategy'));
  const attributes = parseAttributes(reader.raw('attributes'));
  let files: VectorStoreFileCreateParams[];
  if (reader.has('file_ids')) {
    files = fileIdList(reader, 'file_ids', limits)!.map((fileId) => ({
      file_id: fileId,
      ...(chunking ? { chunking } : {}),
      ...(attributes !== undefined ? { attributes } : {}),
    }));
  } else {
    files = checkArray(reader.raw('files'), 'files', limits).map((item, index) => parseVectorStoreFileCreate(item, `files[${index}]`));
  }
  reader.done();
  const seen = new Set<string>();
  for (const [index, file] of files.entries()) {
    if (seen.has(file.file_id)) throw invalid(`Invalid 'files[${index}]': file '${file.file_id}' appears twice in this batch.`, `files[${index}]`, 'invalid_value');
    seen.add(file.file_id);
  }
  return { files };
}

const COMPARISONS = ['eq', 'ne', 'gt', 'gte', 'lt', 'lte', 'in', 'nin'] as const;

export function parseSearchFilter(value: unknown, param = 'filters', depth = 0): SearchFilter {
  if (depth > 8) throw invalid(`Invalid '${param}': filters are nested too deeply (at most 8 levels).`, param, 'invalid_value');
  const reader = new BodyReader(value, param);
  const type = reader.required('type', (r, k) => r.string(k, { enum: [...COMPARISONS, 'and', 'or'] }));
  if (type === 'and' || type === 'or') {
    const items = reader.required('filters', (r, k) => r.array(k, { min: 1, max: 64 }));
    reader.done();
    return { type, filters: items.map((item, index) => parseSearchFilter(item, `${param}.filters[${index}]`, depth + 1)) };
  }
  const key = reader.required('key', (r, k) => r.string(k, { min: 1, max: METADATA_LIMITS.key }));
  const raw = reader.required('value', (r, k) => r.raw(k));
  reader.done();
  const valueParam = reader.param('value');
  if (type === 'in' || type === 'nin') {
    const list = checkArray(raw, valueParam, { min: 1, max: 256 }).map((item, index) => {
      if (typeof item === 'string' || (typeof item === 'number' && Number.isFinite(item))) return item;
      throw typeError(`${valueParam}[${index}]`, 'a string or number', item);
    });
    return { type, key, value: list };
  }
  if (typeof raw === 'string' || typeof raw === 'boolean' || (typeof raw === 'number' && Number.isFinite(raw))) return { type: type as 'eq', key, value: raw };
  throw typeError(valueParam, 'a string, number or boolean', raw);
}

export function parseVectorStoreSearch(body: unknown): VectorStoreSearchParams {
  const reader = new BodyReader(body);
  const rawQuery = reader.required('query', (r, k) => r.raw(k));
  const queries = typeof rawQuery === 'string' ? [rawQuery] : checkArray(rawQuery, 'query', { min: 1, max: 16 }).map((item, index) => checkString(item, `query[${index}]`));
  for (const [index, query] of queries.entries()) {
    if (query.trim().length === 0) throw invalid(`Invalid '${typeof rawQuery === 'string' ? 'query' : `query[${index}]`}': the query is empty.`, 'query', 'invalid_value');
  }
  const rewrite = reader.boolean('rewrite_query') ?? false;
  const maxResults = reader.number('max_num_results', { integer: true, min: 1, max: 50 }) ?? 10;
  const filterValue = reader.raw('filters');
  const filters = filterValue === undefined || filterValue === null ? null : parseSearchFilter(filterValue);
  const ranking = reader.object('ranking_options');
  let scoreThreshold = 0;
  if (ranking) {
    ranking.string('ranker', { enum: ['none', 'auto', 'default-2024-11-15'] });
    scoreThreshold = ranking.number('score_threshold', { min: 0, max: 1 }) ?? 0;
    ranking.done();
  }
  reader.done();
  return { queries, rewrite_query: rewrite, max_num_results: maxResults, filters, score_threshold: scoreThreshold };
}

const FILE_STATUS_FILTER: readonly VectorStoreFileStatus[] = ['in_progress', 'completed', 'failed', 'cancelled'];

/** List params for vector-store files and batch files: the usual four plus `filter` (a status). */
export function parseVectorStoreFileList(query: Record<string, unknown>): ListParams & { filter?: VectorStoreFileStatus } {
  const params: ListParams & { filter?: VectorStoreFileStatus } = parseListParams(query);
  if (query['filter'] !== undefined) params.filter = checkString(query['filter'], 'filter', { enum: FILE_STATUS_FILTER }) as VectorStoreFileStatus;
  return params;
}
