/**
 * The `openai` SDK, loaded when the first client is created rather than with the rest of the code.
 * It is over half of the extension bundle, and evaluating it touches `Response`/`Headers`, which
 * makes Node load undici and HTTP/2: tens of milliseconds of every window's activation, spent
 * before anyone has configured a model. Run from source, ./openaiSdkExports.ts is required as a
 * module; in the esbuild bundles it is `openai.cjs` beside the bundle.
 */
import { requireLazyModule, runsFromSource } from '../engine/lazyBundle.ts';
import type * as Sdk from './openaiSdkExports.ts';

export type OpenAISdk = typeof Sdk;

const fromSource = runsFromSource(import.meta.url);
let sdk: OpenAISdk | undefined;

/** The SDK, loading it on the first call. */
export function openAISdk(): OpenAISdk {
  return (sdk ??= requireLazyModule<OpenAISdk>(import.meta.url, './openaiSdkExports.ts', 'openai.cjs'));
}

/**
 * The SDK if it is loaded, for `instanceof` checks on errors: an error can only be one of the SDK's
 * if a client made it, and a client loads the SDK, so a check never needs to load it. Run from
 * source the SDK is an ordinary module the caller may have imported itself (tests build SDK errors
 * directly), so it is loaded here.
 */
export function loadedOpenAISdk(): OpenAISdk | undefined {
  return sdk ?? (fromSource ? openAISdk() : undefined);
}
