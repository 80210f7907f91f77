/**
 * What vector stores need from a retrieval index: take a file in (chunk, embed, store), take it
 * out, search a set of stores. The knowledge base's index implements it; without one, vector
 * stores still keep their files (status `completed`, usage = file size) and searches find nothing.
 */

export interface VectorIndexFile {
  id: string;
  filename: string;
  bytes: Uint8Array;
}

/** v2's static chunking: tokens per chunk and overlap between neighbours. */
export interface VectorIndexChunking {
  maxChunkSizeTokens: number;
  chunkOverlapTokens: number;
}

export interface VectorIndexSearchOptions {
  maxResults: number;
  /** Results scoring below this (0..1) are dropped. */
  scoreThreshold: number;
  /**
   * Only these files may appear (attribute filters are evaluated by the vector store service,
   * which owns the attributes). Absent: every file of the stores.
   */
  fileIds?: ReadonlySet<string>;
  signal?: AbortSignal;
}

export interface VectorIndexHit {
  vectorStoreId: string;
  fileId: string;
  filename: string;
  /** 0..1, higher is better. */
  score: number;
  text: string;
  startLine?: number;
  endLine?: number;
}

/** Thrown by `addFile` for a file the index cannot take; the vector-store file ends `failed` with this code. */
export class VectorIndexFileError extends Error {
  readonly code: 'unsupported_file' | 'invalid_file';
  constructor(code: 'unsupported_file' | 'invalid_file', message: string) {
    super(message);
    this.name = 'VectorIndexFileError';
    this.code = code;
  }
}

export interface VectorIndex {
  /** Chunks and indexes one file for one store; resolves with the bytes the index now holds for it. */
  addFile(vectorStoreId: string, file: VectorIndexFile, chunking: VectorIndexChunking, signal?: AbortSignal): Promise<{ usageBytes: number }>;
  removeFile(vectorStoreId: string, fileId: string): void | Promise<void>;
  /** Best hits first. */
  search(vectorStoreIds: readonly string[], query: string, options: VectorIndexSearchOptions): Promise<VectorIndexHit[]>;
  dropStore(vectorStoreId: string): void | Promise<void>;
}
