/**
 * One server under test: a temp data directory, the engine `threadwork serve` builds (with its
 * knowledge base and built-in tools) over the scripted model server (Chat Completions, the only
 * fake), `startServer` on a random port, and the official SDK as client.
 * In the `prism` variant the non-streaming client goes through Prism, so every such response of
 * the suite is validated against the spec; streams always go direct (Prism buffers them) and are
 * validated frame by frame by the SSE recorder.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import OpenAI from 'openai';
import type { Clock } from '../../../src/engine/clock.ts';
import type { Engine } from '../../../src/engine/engine.ts';
import { createServeEngine } from '../../../src/cli/serveEngine.ts';
import { createModelBackend } from '../../../src/providers/createModelBackend.ts';
import { startServer, type RunningServer, type ServerLimits } from '../../../src/server/apiServer.ts';
import { startScriptedModelServer, type ScriptedModelServer } from '../../support/modelServer/index.ts';
import { startPrism, type PrismProxy } from './prism.ts';
import { SseRecorder } from './sseRecorder.ts';

export type Variant = 'direct' | 'prism';
export const VARIANTS: readonly Variant[] = ['direct', 'prism'];

export interface HarnessOptions {
  via?: Variant;
  requireBetaHeader?: boolean;
  runExpirySeconds?: number;
  clock?: Clock;
  limits?: Partial<ServerLimits>;
}

export interface RawResponse {
  status: number;
  headers: Headers;
  text: string;
  /** The body parsed as JSON, or undefined when it is not JSON. */
  json: any; // eslint-disable-line @typescript-eslint/no-explicit-any -- raw wire bodies are probed field by field
}

export interface Harness {
  via: Variant;
  /** Non-streaming calls: through Prism in the prism variant. */
  api: OpenAI;
  /** Straight to the server: streams, and requests Prism would refuse before they arrive. */
  direct: OpenAI;
  recorder: SseRecorder;
  model: ScriptedModelServer;
  engine: Engine;
  server: RunningServer;
  prism: PrismProxy | null;
  token: string;
  /** A request without the SDK (wrong headers, bad JSON, odd paths). */
  raw(method: string, path: string, options?: { body?: string | Uint8Array; headers?: Record<string, string>; token?: string | null; beta?: boolean }): Promise<RawResponse>;
  close(): Promise<void>;
}

export const TOKEN = 'tw-test-token-0123456789';

export async function startHarness(options: HarnessOptions = {}): Promise<Harness> {
  const via = options.via ?? 'direct';
  const model = await startScriptedModelServer();
  const dataDir = mkdtempSync(join(tmpdir(), 'threadwork-conformance-'));
  // The same composition `threadwork serve` runs: engine, knowledge base, file_search, code_interpreter.
  const runtime = createServeEngine({
    dataDir,
    modelBackend: createModelBackend({ kind: 'chat-completions', baseURL: model.url, apiKey: 'scripted-key', maxAttempts: 1 }),
    ...(options.runExpirySeconds !== undefined ? { runExpirySeconds: options.runExpirySeconds } : {}),
    ...(options.clock ? { clock: options.clock } : {}),
  });
  const { engine } = runtime;
  const serverLog: string[] = [];
  const server = await startServer({
    engine,
    token: TOKEN,
    requireBetaHeader: options.requireBetaHeader ?? true,
    pollAfterMs: 20,
    log: (message) => serverLog.push(message),
    ...(options.limits ? { limits: options.limits } : {}),
  });
  const prism = via === 'prism' ? await startPrism(server.url) : null;
  const recorder = new SseRecorder();
  const direct = new OpenAI({ baseURL: server.url, apiKey: TOKEN, maxRetries: 0, fetch: recorder.fetch, logLevel: 'off' });
  const api = prism ? new OpenAI({ baseURL: prism.url, apiKey: TOKEN, maxRetries: 0, fetch: recorder.fetch, logLevel: 'off' }) : direct;

  return {
    via,
    api,
    direct,
    recorder,
    model,
    engine,
    server,
    prism,
    token: TOKEN,
    raw: async (method, path, rawOptions = {}) => {
      const headers: Record<string, string> = { ...rawOptions.headers };
      const token = rawOptions.token === undefined ? TOKEN : rawOptions.token;
      if (token !== null) headers['authorization'] = `Bearer ${token}`;
      if (rawOptions.beta !== false && headers['openai-beta'] === undefined) headers['openai-beta'] = 'assistants=v2';
      if (typeof rawOptions.body === 'string' && headers['content-type'] === undefined) headers['content-type'] = 'application/json';
      const url = `${server.url.replace(/\/v1$/, '')}${path}`;
      const response = await fetch(url, { method, headers, ...(rawOptions.body !== undefined ? { body: rawOptions.body } : {}) });
      const text = await response.text();
      let json: unknown;
      try {
        json = JSON.parse(text);
      } catch {
        json = undefined;
      }
      return { status: response.status, headers: response.headers, text, json };
    },
    close: async () => {
      await recorder.settled();
      await prism?.close();
      await server.close();
      await runtime.close();
      await model.close();
      rmSync(dataDir, { recursive: true, force: true });
      const unexpected = serverLog.filter((line) => !line.includes('stream'));
      if (unexpected.length > 0) throw new Error(`The server logged unexpected failures:\n${unexpected.join('\n')}`);
    },
  };
}

/** Polls until `check` returns a value (not undefined) or the time is up. */
export async function waitFor<T>(check: () => T | undefined | Promise<T | undefined>, what: string, timeoutMs = 5_000): Promise<T> {
  const started = Date.now();
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() - started > timeoutMs) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** Every `*_at` field in an object tree, with its path. */
export function timestampFields(value: unknown, path = ''): Array<{ path: string; value: unknown }> {
  if (Array.isArray(value)) return value.flatMap((item, index) => timestampFields(item, `${path}[${index}]`));
  if (typeof value !== 'object' || value === null) return [];
  return Object.entries(value).flatMap(([key, item]) => [
    ...(key.endsWith('_at') ? [{ path: `${path}.${key}`, value: item }] : []),
    ...timestampFields(item, `${path}.${key}`),
  ]);
}
