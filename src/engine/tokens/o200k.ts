/**
 * o200k_base token counts, with the encoder built on first use. Building it (about 200,000 merge
 * ranks into maps) takes hundreds of milliseconds; done at import time it landed in the extension's
 * activation, before anyone had asked for a single count.
 */
import { GptEncoding } from 'gpt-tokenizer/GptEncoding';
import o200kRanks from 'gpt-tokenizer/bpeRanks/o200k_base';

let encoding: GptEncoding | undefined;

export function countO200kTokens(text: string): number {
  encoding ??= GptEncoding.getEncodingApi('o200k_base', () => o200kRanks);
  return encoding.countTokens(text);
}
