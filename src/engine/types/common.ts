/** Shapes shared by every Assistants v2 object (docs/assistants-v2.md §1). */
import type { StaticChunking } from './vectorStore.ts';

/** Up to 16 string pairs; keys ≤ 64 chars, values ≤ 512 chars. `{}` when unset. */
export type Metadata = Record<string, string>;

/** Integer Unix seconds: v2 never uses milliseconds. */
export type UnixSeconds = number;

export interface ListParams {
  limit?: number;
  order?: 'asc' | 'desc';
  after?: string;
  before?: string;
}

export interface ListPage<T> {
  object: 'list';
  data: T[];
  first_id: string | null;
  last_id: string | null;
  has_more: boolean;
}

export interface DeletedObject {
  id: string;
  object: string;
  deleted: true;
}

export interface ToolResources {
  code_interpreter?: { file_ids: string[] };
  file_search?: {
    vector_store_ids: string[];
    /** Request-only helper (create a store from these files); replaced by its id before anything is stored. */
    vector_stores?: VectorStoreHelper[];
  };
}

export interface VectorStoreHelper {
  file_ids: string[];
  chunking?: StaticChunking;
  metadata?: Metadata;
}

export type ResponseFormat =
  | 'auto'
  | { type: 'text' }
  | { type: 'json_object' }
  | { type: 'json_schema'; json_schema: { name: string; description?: string; schema?: Record<string, unknown>; strict?: boolean | null } };

export interface Usage {
  prompt_tokens: number;
  completion_tokens: number;
  total_tokens: number;
}
