/**
 * What the engine needs to turn text into vectors (file search, the knowledge base). Providers
 * (src/providers/embeddingsBackend.ts) implement it over an embeddings endpoint.
 */
export interface EmbeddingsBackend {
  /** Length of every vector `embed` returns. */
  readonly dimensions: number;
  /**
   * One vector per text, in the order given. Throws ModelError on failure and an error named
   * AbortError when `signal` aborts.
   */
  embed(texts: string[], signal: AbortSignal): Promise<Float32Array[]>;
}
