/**
 * The whole o200k_base tokenizer (its 2.7 MB of merge ranks, the encoder, its split pattern) as one
 * module that ./o200k.ts loads on the first count; esbuild builds it as `tokenizer-o200k.cjs`.
 */
export { default as ranks } from 'gpt-tokenizer/bpeRanks/o200k_base';
export { GptEncoding } from 'gpt-tokenizer/GptEncoding';
export { O200K_TOKEN_SPLIT_REGEX } from 'gpt-tokenizer/esm/encodingParams/constants';
