/** Chunking strategies as v2 accepted them (docs/assistants-v2.md §6.2); `auto` resolves to the 800/400 default. */
import { invalid } from '../errors.ts';
import type { StaticChunking } from '../types/vectorStore.ts';
import { BodyReader } from './bodyReader.ts';

export const DEFAULT_STATIC_CHUNKING: Readonly<StaticChunking> = Object.freeze({ max_chunk_size_tokens: 800, chunk_overlap_tokens: 400 });

/** `{type:"auto"}` or `{type:"static", static:{max_chunk_size_tokens 100..4096, chunk_overlap_tokens 0..max/2}}`. */
export function parseChunkingStrategy(value: unknown, param = 'chunking_strategy'): StaticChunking | undefined {
  if (value === undefined || value === null) return undefined;
  const reader = new BodyReader(value, param);
  const type = reader.required('type', (r, k) => r.string(k, { enum: ['auto', 'static'] }));
  if (type === 'auto') {
    reader.done();
    return { ...DEFAULT_STATIC_CHUNKING };
  }
  const fixed = reader.required('static', (r, k) => r.object(k));
  reader.done();
  const max = fixed.required('max_chunk_size_tokens', (r, k) => r.number(k, { integer: true, min: 100, max: 4096 }));
  const overlap = fixed.required('chunk_overlap_tokens', (r, k) => r.number(k, { integer: true, min: 0 }));
  fixed.done();
  if (overlap > max / 2) {
    throw invalid(
      `Invalid '${fixed.param('chunk_overlap_tokens')}': chunk_overlap_tokens must not exceed half of max_chunk_size_tokens (${Math.floor(max / 2)}), but got ${overlap}.`,
      fixed.param('chunk_overlap_tokens'),
      'invalid_value',
    );
  }
  return { max_chunk_size_tokens: max, chunk_overlap_tokens: overlap };
}

