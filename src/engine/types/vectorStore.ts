import type { Metadata, UnixSeconds } from './common.ts';

export interface FileCounts {
  in_progress: number;
  completed: number;
  failed: number;
  cancelled: number;
  total: number;
}

export interface ExpiresAfter {
  anchor: 'last_active_at';
  days: number;
}

export type ChunkingStrategyInput = { type: 'auto' } | { type: 'static'; static: StaticChunking };
export interface StaticChunking {
  max_chunk_size_tokens: number;
  chunk_overlap_tokens: number;
}
export type ChunkingStrategy = { type: 'static'; static: StaticChunking } | { type: 'other' };

/** `object: "vector_store"`: a searchable set of files. */
export interface VectorStore {
  id: string;
  object: 'vector_store';
  created_at: UnixSeconds;
  name: string;
  usage_bytes: number;
  file_counts: FileCounts;
  status: 'expired' | 'in_progress' | 'completed';
  expires_after?: ExpiresAfter;
  expires_at: UnixSeconds | null;
  last_active_at: UnixSeconds | null;
  metadata: Metadata;
}

export type VectorStoreFileStatus = 'in_progress' | 'completed' | 'cancelled' | 'failed';

/** `object: "vector_store.file"`: shares its id with the underlying file. */
export interface VectorStoreFile {
  id: string;
  object: 'vector_store.file';
  usage_bytes: number;
  created_at: UnixSeconds;
  vector_store_id: string;
  status: VectorStoreFileStatus;
  last_error: { code: 'server_error' | 'unsupported_file' | 'invalid_file'; message: string } | null;
  chunking_strategy?: ChunkingStrategy;
  attributes?: Record<string, string | number | boolean> | null;
}

/** `object: "vector_store.files_batch"`. */
export interface VectorStoreFileBatch {
  id: string;
  object: 'vector_store.files_batch';
  created_at: UnixSeconds;
  vector_store_id: string;
  status: 'in_progress' | 'completed' | 'cancelled' | 'failed';
  file_counts: FileCounts;
}
