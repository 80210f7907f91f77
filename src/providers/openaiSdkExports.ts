/**
 * The part of the `openai` SDK that runs here: the client and the error classes the failure
 * mapping tells apart. Loaded through ./openaiSdk.ts only, never imported directly: bundled, this
 * file is its own `openai.cjs` beside the extension and the CLI (esbuild.js builds it).
 */
export { APIConnectionError, APIError, APIUserAbortError, OpenAI } from 'openai';
