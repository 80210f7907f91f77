/**
 * Chunk size limits with v2's rules (docs/assistants-v2.md §6.2): `auto` is 800 tokens with 400
 * overlap; `static` needs max_chunk_size_tokens in 100..4096 and chunk_overlap_tokens between 0 and
 * half of it.
 */
import { invalid } from '../errors.ts';
import type { ChunkingStrategy, ChunkingStrategyInput } from '../types/vectorStore.ts';

export interface ChunkLimits {
  maxTokens: number;
  overlapTokens: number;
}

export const DEFAULT_CHUNK_LIMITS: Readonly<ChunkLimits> = Object.freeze({ maxTokens: 800, overlapTokens: 400 });
export const MIN_CHUNK_TOKENS = 100;
export const MAX_CHUNK_TOKENS = 4096;

/** Checks limits and says what is wrong in v2's words, naming the parameter. */
export function validateChunkLimits(limits: ChunkLimits, param = 'chunking_strategy.static'): ChunkLimits {
  const { maxTokens, overlapTokens } = limits;
  if (!Number.isInteger(maxTokens) || maxTokens < MIN_CHUNK_TOKENS || maxTokens > MAX_CHUNK_TOKENS) {
    throw invalid(`Invalid 'max_chunk_size_tokens': expected an integer between ${MIN_CHUNK_TOKENS} and ${MAX_CHUNK_TOKENS}, got ${String(maxTokens)}.`, `${param}.max_chunk_size_tokens`);
  }
  if (!Number.isInteger(overlapTokens) || overlapTokens < 0 || overlapTokens > maxTokens / 2) {
    throw invalid(`Invalid 'chunk_overlap_tokens': expected an integer between 0 and half of max_chunk_size_tokens (${Math.floor(maxTokens / 2)}), got ${String(overlapTokens)}.`, `${param}.chunk_overlap_tokens`);
  }
  return { maxTokens, overlapTokens };
}

/** Limits for a v2 `chunking_strategy` request field (absent or `auto` mean the default). */
export function chunkLimitsFromStrategy(strategy: ChunkingStrategyInput | undefined | null): ChunkLimits {
  if (!strategy || strategy.type === 'auto') return { ...DEFAULT_CHUNK_LIMITS };
  if (strategy.type !== 'static' || typeof strategy.static !== 'object' || strategy.static === null) {
    throw invalid(`Invalid 'chunking_strategy.type': expected 'auto' or 'static'.`, 'chunking_strategy.type');
  }
  return validateChunkLimits({ maxTokens: strategy.static.max_chunk_size_tokens, overlapTokens: strategy.static.chunk_overlap_tokens });
}

/** The `chunking_strategy` a vector-store file reports for these limits. */
export function strategyFromChunkLimits(limits: ChunkLimits): ChunkingStrategy {
  return { type: 'static', static: { max_chunk_size_tokens: limits.maxTokens, chunk_overlap_tokens: limits.overlapTokens } };
}
