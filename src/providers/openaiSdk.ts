/**
 * The `openai` SDK, loaded when the first client is created rather than with the rest of the code.
 * It is over half of the extension bundle, and evaluating it touches `Response`/`Headers`, which
 * makes Node load undici and HTTP/2: tens of milliseconds of every window's activation, spent
 * before anyone has configured a model. Run from source, ./openaiSdkExports.ts is required as a
 * module; in the esbuild bundles it is `openai.cjs` beside the bundle.
 */
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import type * as Sdk from './openaiSdkExports.ts';

export type OpenAISdk = typeof Sdk;

const fromSource = import.meta.url.endsWith('.ts');
let sdk: OpenAISdk | undefined;

/** The SDK, loading it on the first call. */
export function openAISdk(): OpenAISdk {
  if (sdk) return sdk;
  // A local `require`, so the bundler leaves the file to be read at run time.
  const requireHere = createRequire(import.meta.url);
  const file = fromSource ? './openaiSdkExports.ts' : fileURLToPath(new URL('./openai.cjs', import.meta.url));
  return (sdk = requireHere(file) as OpenAISdk);
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
