/**
 * The VectorIndex port over the knowledge base's RetrievalIndex: a vector store is a collection,
 * a vector-store file is a key in it (the file id), and search returns the index's ranked chunks.
 */
import { VectorIndexFileError, type VectorIndex, type VectorIndexChunking, type VectorIndexFile, type VectorIndexHit, type VectorIndexSearchOptions } from '../ports/vectorIndex.ts';
import type { RetrievalIndex } from '../retrieval/retrievalIndex.ts';

/** The index returns at most 50 chunks; a file filter may need the whole allowance to fill a page. */
const MAX_CANDIDATES = 50;

export class RetrievalVectorIndex implements VectorIndex {
  private readonly index: RetrievalIndex;

  constructor(index: RetrievalIndex) {
    this.index = index;
  }

  async addFile(vectorStoreId: string, file: VectorIndexFile, chunking: VectorIndexChunking, signal?: AbortSignal): Promise<{ usageBytes: number }> {
    // The index may hand the bytes to a worker thread (transferring them): give it its own copy.
    const result = await this.index.upsert(vectorStoreId, file.id, file.bytes.slice(), {
      path: file.filename,
      limits: { maxTokens: chunking.maxChunkSizeTokens, overlapTokens: chunking.chunkOverlapTokens },
      ...(signal ? { signal } : {}),
    });
    if (result.outcome === 'unsupported') {
      throw new VectorIndexFileError('unsupported_file', result.file.errorMessage ?? `${file.filename} cannot be searched: its type is not supported.`);
    }
    return { usageBytes: result.file.usageBytes };
  }

  async removeFile(vectorStoreId: string, fileId: string): Promise<void> {
    await this.index.remove(vectorStoreId, fileId);
  }

  async search(vectorStoreIds: readonly string[], query: string, options: VectorIndexSearchOptions): Promise<VectorIndexHit[]> {
    const response = await this.index.search({
      collections: vectorStoreIds,
      query,
      maxNumResults: options.fileIds ? MAX_CANDIDATES : Math.min(MAX_CANDIDATES, options.maxResults),
      scoreThreshold: options.scoreThreshold,
      // Vector stores hold documents the user chose, not a source tree: no source-file preference.
      preferSource: false,
      ...(options.signal ? { signal: options.signal } : {}),
    });
    return response.chunks
      .filter((chunk) => !options.fileIds || options.fileIds.has(chunk.fileKey))
      .slice(0, options.maxResults)
      .map((chunk) => ({
        vectorStoreId: chunk.collection,
        fileId: chunk.fileKey,
        filename: chunk.path,
        score: chunk.score,
        text: chunk.text,
        startLine: chunk.startLine,
        endLine: chunk.endLine,
      }));
  }

  async dropStore(vectorStoreId: string): Promise<void> {
    await this.index.removeCollection(vectorStoreId);
  }
}
