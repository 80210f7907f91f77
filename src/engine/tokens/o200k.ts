/**
 * o200k_base token counts, with the tokenizer loaded on first use. Its merge ranks are 2.7 MB of
 * JavaScript and building the encoder from them takes hundreds of milliseconds: loaded with the
 * rest of the code they more than doubled the extension bundle and landed in its activation, before
 * anyone had asked for a single count. So ./o200kTokenizer.ts is loaded only when a count is asked
 * for: run from source, as that module; in the esbuild bundles, as `tokenizer-o200k.cjs` beside the
 * bundle (esbuild.js builds it).
 */
import { requireLazyModule } from '../lazyBundle.ts';
import type * as Tokenizer from './o200kTokenizer.ts';

let tokenizer: typeof Tokenizer | undefined;
let encoding: ReturnType<typeof Tokenizer.GptEncoding.getEncodingApi> | undefined;

function load(): typeof Tokenizer {
  return (tokenizer ??= requireLazyModule<typeof Tokenizer>(import.meta.url, './o200kTokenizer.ts', 'tokenizer-o200k.cjs'));
}

export function countO200kTokens(text: string): number {
  encoding ??= load().GptEncoding.getEncodingApi('o200k_base', () => load().ranks);
  return encoding.countTokens(text);
}

/** The encoder's own split pattern, as a fresh global regex (a shared one's lastIndex would be unsafe to interleave). */
export function o200kPiecePattern(): RegExp {
  return new RegExp(load().O200K_TOKEN_SPLIT_REGEX.source, 'gu');
}
