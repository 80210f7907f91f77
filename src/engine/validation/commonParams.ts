/** Parsers for the fields several v2 objects share: metadata, tools, tool resources, formats, lists. */
import { invalid } from '../errors.ts';
import type { ListParams, Metadata, ResponseFormat, ToolResources, VectorStoreHelper } from '../types/common.ts';
import type { ToolChoice, ToolDefinition } from '../types/tools.ts';
import type { TruncationStrategy } from '../types/run.ts';
import { BodyReader, checkArray, checkNumber, checkString, isPlainObject, typeError } from './bodyReader.ts';
import { parseChunkingStrategy } from './chunkingParams.ts';

export const METADATA_LIMITS = { pairs: 16, key: 64, value: 512 } as const;

/**
 * A small string-keyed map with v2's limits (16 pairs, 64-character keys): metadata, and vector-store
 * file attributes, which differ only in what a value may be.
 */
export function parsePropertyMap<V>(value: unknown, param: string, readValue: (item: unknown, itemParam: string) => V): Record<string, V> {
  if (!isPlainObject(value)) throw typeError(param, 'an object', value);
  const keys = Object.keys(value);
  if (keys.length > METADATA_LIMITS.pairs) {
    throw invalid(
      `Invalid '${param}': too many properties. Expected an object with at most ${METADATA_LIMITS.pairs} properties, but got an object with ${keys.length} properties instead.`,
      param,
      'object_above_max_properties',
    );
  }
  const result: Record<string, V> = {};
  for (const key of keys) {
    if (key.length > METADATA_LIMITS.key) {
      throw invalid(
        `Invalid '${param}': property name too long. Expected a property name with maximum length ${METADATA_LIMITS.key}, but got a property name with length ${key.length} instead.`,
        param,
        'string_above_max_length',
      );
    }
    result[key] = readValue(value[key], `${param}.${key}`);
  }
  return result;
}

export function parseMetadata(value: unknown, param = 'metadata'): Metadata | undefined {
  if (value === undefined || value === null) return value === null ? {} : undefined;
  return parsePropertyMap(value, param, (item, itemParam) => checkString(item, itemParam, { max: METADATA_LIMITS.value }));
}

const FUNCTION_NAME = /^[a-zA-Z0-9_-]+$/;

export function parseTools(value: unknown, param: string, max: number): ToolDefinition[] {
  const items = checkArray(value, param, { max });
  return items.map((item, index) => parseTool(item, `${param}[${index}]`));
}

function parseTool(value: unknown, param: string): ToolDefinition {
  const reader = new BodyReader(value, param);
  const type = reader.required('type', (r, k) => r.string(k, { enum: ['code_interpreter', 'file_search', 'function'] }));
  if (type === 'code_interpreter') {
    reader.done();
    return { type };
  }
  if (type === 'file_search') {
    const options = reader.object('file_search');
    reader.done();
    if (!options) return { type };
    const maxNumResults = options.number('max_num_results', { integer: true, min: 1, max: 50 });
    const ranking = options.object('ranking_options');
    options.done();
    const fileSearch: NonNullable<Extract<ToolDefinition, { type: 'file_search' }>['file_search']> = {};
    if (maxNumResults !== undefined) fileSearch.max_num_results = maxNumResults;
    if (ranking) {
      const ranker = ranking.string('ranker', { enum: ['auto', 'default_2024_08_21'] });
      const scoreThreshold = ranking.required('score_threshold', (r, k) => r.number(k, { min: 0, max: 1 }));
      ranking.done();
      fileSearch.ranking_options = { score_threshold: scoreThreshold, ...(ranker ? { ranker: ranker as 'auto' } : {}) };
    }
    return { type, file_search: fileSearch };
  }
  const fn = reader.required('function', (r, k) => r.object(k));
  reader.done();
  const name = fn.required('name', (r, k) => r.string(k, { max: 64 }));
  if (!FUNCTION_NAME.test(name)) {
    throw invalid(`Invalid '${fn.param('name')}': string does not match pattern. Expected a string that matches the pattern '^[a-zA-Z0-9_-]+$'.`, fn.param('name'), 'invalid_value');
  }
  const description = fn.string('description', { max: 1024 * 1024 });
  const parameters = fn.raw('parameters');
  if (parameters !== undefined && !isPlainObject(parameters)) throw typeError(fn.param('parameters'), 'an object', parameters);
  const strict = fn.nullableBoolean('strict');
  fn.done();
  return {
    type: 'function',
    function: {
      name,
      ...(description !== undefined ? { description } : {}),
      ...(parameters !== undefined ? { parameters } : {}),
      ...(strict !== undefined ? { strict } : {}),
    },
  };
}

export function parseToolResources(value: unknown, param = 'tool_resources'): ToolResources | null | undefined {
  if (value === undefined || value === null) return value as null | undefined;
  const reader = new BodyReader(value, param);
  const result: ToolResources = {};
  const code = reader.object('code_interpreter');
  if (code) {
    const ids = code.array('file_ids', { max: 20 }) ?? [];
    code.done();
    result.code_interpreter = { file_ids: ids.map((id, i) => checkString(id, `${code.param('file_ids')}[${i}]`)) };
  }
  const search = reader.object('file_search');
  if (search) {
    const ids = search.array('vector_store_ids', { max: 1 }) ?? [];
    const helpers = search.has('vector_stores') ? parseVectorStoreHelpers(search.raw('vector_stores'), search.param('vector_stores')) : (search.raw('vector_stores'), undefined);
    search.done();
    if (helpers?.length && ids.length) {
      throw invalid(`Invalid '${search.param('vector_stores')}': 'vector_store_ids' and 'vector_stores' are mutually exclusive; a thread or assistant has at most one vector store.`, search.param('vector_stores'), 'invalid_value');
    }
    result.file_search = { vector_store_ids: ids.map((id, i) => checkString(id, `${search.param('vector_store_ids')}[${i}]`)) };
    // Request-only: the engine turns it into a new store and its id before anything is stored.
    if (helpers?.length) result.file_search.vector_stores = helpers;
  }
  reader.done();
  return result;
}

/** `tool_resources.file_search.vector_stores`: at most one store, made on the fly from these files. */
function parseVectorStoreHelpers(value: unknown, param: string): VectorStoreHelper[] {
  return checkArray(value, param, { max: 1 }).map((item, index) => {
    const reader = new BodyReader(item, `${param}[${index}]`);
    const fileIds = (reader.array('file_ids', { max: 10_000 }) ?? []).map((id, i) => checkString(id, `${reader.param('file_ids')}[${i}]`, { min: 1 }));
    const helper: VectorStoreHelper = { file_ids: fileIds };
    const chunking = parseChunkingStrategy(reader.raw('chunking_strategy'), reader.param('chunking_strategy'));
    if (chunking) helper.chunking = chunking;
    const metadata = parseMetadata(reader.raw('metadata'), reader.param('metadata'));
    if (metadata !== undefined) helper.metadata = metadata;
    reader.done();
    return helper;
  });
}

export function parseResponseFormat(value: unknown, param = 'response_format'): ResponseFormat | null | undefined {
  if (value === undefined || value === null) return value as null | undefined;
  if (value === 'auto') return 'auto';
  if (typeof value === 'string') throw invalid(`Invalid value: '${value}'. Supported values are: 'auto'.`, param, 'invalid_value');
  const reader = new BodyReader(value, param);
  const type = reader.required('type', (r, k) => r.string(k, { enum: ['text', 'json_object', 'json_schema'] }));
  if (type !== 'json_schema') {
    reader.done();
    return { type } as ResponseFormat;
  }
  const schema = reader.required('json_schema', (r, k) => r.object(k));
  reader.done();
  const name = schema.required('name', (r, k) => r.string(k, { max: 64 }));
  const description = schema.string('description');
  const body = schema.raw('schema');
  if (body !== undefined && !isPlainObject(body)) throw typeError(schema.param('schema'), 'an object', body);
  const strict = schema.nullableBoolean('strict');
  schema.done();
  return {
    type: 'json_schema',
    json_schema: { name, ...(description !== undefined ? { description } : {}), ...(body ? { schema: body } : {}), ...(strict !== undefined ? { strict } : {}) },
  };
}

export function parseToolChoice(value: unknown, param = 'tool_choice'): ToolChoice | null | undefined {
  if (value === undefined || value === null) return value as null | undefined;
  if (typeof value === 'string') return checkString(value, param, { enum: ['none', 'auto', 'required'] }) as ToolChoice;
  const reader = new BodyReader(value, param);
  const type = reader.required('type', (r, k) => r.string(k, { enum: ['function', 'file_search', 'code_interpreter'] }));
  if (type !== 'function') {
    reader.done();
    return { type } as ToolChoice;
  }
  const fn = reader.required('function', (r, k) => r.object(k));
  reader.done();
  const name = fn.required('name', (r, k) => r.string(k, { max: 64 }));
  fn.done();
  return { type: 'function', function: { name } };
}

export function parseTruncationStrategy(value: unknown, param = 'truncation_strategy'): TruncationStrategy | null | undefined {
  if (value === undefined || value === null) return value as null | undefined;
  const reader = new BodyReader(value, param);
  const type = reader.required('type', (r, k) => r.string(k, { enum: ['auto', 'last_messages'] })) as TruncationStrategy['type'];
  const lastMessages = reader.nullableNumber('last_messages', { integer: true, min: 1 });
  reader.done();
  if (type === 'last_messages' && (lastMessages === undefined || lastMessages === null)) {
    throw invalid(`Missing required parameter: '${reader.param('last_messages')}'.`, reader.param('last_messages'), 'missing_required_parameter');
  }
  return { type, last_messages: lastMessages ?? null };
}

/** Token caps: v2 required at least 256 when set. */
export function parseTokenCap(reader: BodyReader, key: string): number | null | undefined {
  return reader.nullableNumber(key, { integer: true, min: 256 });
}

/** List query parameters (strings from a URL, or numbers from in-process callers). */
export function parseListParams(query: Record<string, unknown>, options: { maxLimit?: number } = {}): ListParams {
  const maxLimit = options.maxLimit ?? 100;
  const result: ListParams = {};
  if (query['limit'] !== undefined) {
    const raw = query['limit'];
    const limit = typeof raw === 'string' && /^-?\d+$/.test(raw) ? Number(raw) : raw;
    result.limit = checkNumber(limit, 'limit', { integer: true, min: 1, max: maxLimit });
  }
  if (query['order'] !== undefined) result.order = checkString(query['order'], 'order', { enum: ['asc', 'desc'] }) as 'asc' | 'desc';
  if (query['after'] !== undefined) result.after = checkString(query['after'], 'after');
  if (query['before'] !== undefined) result.before = checkString(query['before'], 'before');
  return result;
}
