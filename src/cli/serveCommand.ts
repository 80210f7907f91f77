/**
 * `threadwork serve`: the Assistants API v2 on 127.0.0.1 over a local engine, so an app written
 * for the hosted API only changes its base URL. The model comes from an upstream model API:
 *
 *   --base-url absent → https://api.openai.com/v1 (needs a key), Responses API by default;
 *   --base-url given  → any OpenAI-compatible server (Ollama, LM Studio, vLLM…), Chat Completions by default.
 *
 * Vector stores are searchable (the knowledge base's keyword index, in DIR/knowledge.sqlite) and
 * the file_search and code_interpreter tools are on, as they were on the hosted API.
 *
 * Model names: each run sends its assistant's (or the run's) `model` upstream unchanged, so
 * `gpt-4o` assistants keep working against OpenAI. `--model M` sends M for every run instead
 * (useful for a local server whose names differ); the API objects still show the name the client chose.
 */
import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import type { ModelBackend } from '../engine/ports/modelBackend.ts';
import { createModelBackend, type ModelApiKind } from '../providers/createModelBackend.ts';
import { startServer } from '../server/apiServer.ts';
import { createServeEngine } from './serveEngine.ts';

export const DEFAULT_PORT = 8765;
const OPENAI_BASE_URL = 'https://api.openai.com/v1';

export const SERVE_USAGE = `Usage: threadwork serve [options]

Serves the OpenAI Assistants API v2 on http://127.0.0.1:<port>/v1.

Options:
  --port N               port on 127.0.0.1 (default ${DEFAULT_PORT}; 0 picks a free one)
  --data-dir DIR         where the database and the server token live (default ~/.threadwork,
                         or $THREADWORK_DATA_DIR)
  --token T              bearer token clients must send (default: a token generated once and
                         kept in DIR/server-token)
  --provider KIND        upstream model API: responses | chat-completions
                         (default: responses for OpenAI, chat-completions with --base-url)
  --base-url URL         upstream model API (default ${OPENAI_BASE_URL})
  --model M              send model M upstream for every run, whatever the assistant names
  --api-key-file FILE    read the upstream API key from FILE (default: $OPENAI_API_KEY)
  --allow-missing-beta   accept Assistants calls without 'OpenAI-Beta: assistants=v2'
  -h, --help             show this help

Clients: new OpenAI({ baseURL: 'http://127.0.0.1:<port>/v1', apiKey: '<token>' })
`;

export interface ServeIo {
  stdout: { write(text: string): unknown };
  stderr: { write(text: string): unknown };
  env: NodeJS.ProcessEnv;
  /** Stops the server when aborted (tests); SIGINT and SIGTERM always do. */
  signal?: AbortSignal;
}

interface ServeSettings {
  port: number;
  dataDir: string;
  token: string | undefined;
  provider: ModelApiKind | undefined;
  baseURL: string | undefined;
  model: string | undefined;
  apiKeyFile: string | undefined;
  allowMissingBeta: boolean;
}

class UsageError extends Error {}

function parseSettings(args: string[], env: NodeJS.ProcessEnv): ServeSettings | 'help' {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    strict: true,
    options: {
      port: { type: 'string' },
      'data-dir': { type: 'string' },
      token: { type: 'string' },
      provider: { type: 'string' },
      'base-url': { type: 'string' },
      model: { type: 'string' },
      'api-key-file': { type: 'string' },
      'allow-missing-beta': { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) return 'help';
  if (positionals.length > 0) throw new UsageError(`unexpected argument '${positionals[0]}'`);
  const port = values.port === undefined ? DEFAULT_PORT : Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65_535) throw new UsageError(`--port must be an integer between 0 and 65535, got '${values.port}'`);
  const provider = values.provider;
  if (provider !== undefined && provider !== 'responses' && provider !== 'chat-completions') {
    throw new UsageError(`--provider must be 'responses' or 'chat-completions', got '${provider}'`);
  }
  if (values.token !== undefined && values.token.trim().length === 0) throw new UsageError('--token must not be empty');
  if (values.model !== undefined && values.model.trim().length === 0) throw new UsageError('--model must not be empty');
  return {
    port,
    dataDir: resolve(values['data-dir'] ?? env['THREADWORK_DATA_DIR'] ?? join(homedir(), '.threadwork')),
    token: values.token?.trim(),
    provider,
    baseURL: values['base-url'],
    model: values.model?.trim(),
    apiKeyFile: values['api-key-file'],
    allowMissingBeta: values['allow-missing-beta'] ?? false,
  };
}

/** The token given, or the one kept in the data directory (made on first use, readable by the owner only). */
function serverToken(settings: ServeSettings): string {
  if (settings.token) return settings.token;
  const file = join(settings.dataDir, 'server-token');
  if (existsSync(file)) {
    const stored = readFileSync(file, 'utf8').trim();
    if (stored) return stored;
  }
  const token = `tw-${randomBytes(24).toString('base64url')}`;
  writeFileSync(file, `${token}\n`, { mode: 0o600 });
  chmodSync(file, 0o600);
  return token;
}

function apiKey(settings: ServeSettings, env: NodeJS.ProcessEnv): string | undefined {
  if (settings.apiKeyFile) {
    const key = readFileSync(settings.apiKeyFile, 'utf8').trim();
    if (!key) throw new UsageError(`--api-key-file ${settings.apiKeyFile} is empty`);
    return key;
  }
  const key = env['OPENAI_API_KEY']?.trim();
  return key ? key : undefined;
}

/** Every run's model replaced by `model` on its way upstream. */
export function withForcedModel(backend: ModelBackend, model: string): ModelBackend {
  return { stream: (request, signal) => backend.stream({ ...request, model }, signal) };
}

function upstream(settings: ServeSettings, key: string | undefined): { backend: ModelBackend | null; description: string } {
  if (!settings.baseURL && !key) {
    return { backend: null, description: 'none (runs fail until --base-url or OPENAI_API_KEY is given)' };
  }
  const baseURL = settings.baseURL ?? OPENAI_BASE_URL;
  const kind: ModelApiKind = settings.provider ?? (settings.baseURL ? 'chat-completions' : 'responses');
  const base = createModelBackend({ kind, baseURL, ...(key ? { apiKey: key } : {}) });
  const backend = settings.model ? withForcedModel(base, settings.model) : base;
  return { backend, description: `${kind} at ${baseURL}${settings.model ? `, model ${settings.model} for every run` : ''}` };
}

export async function runServeCommand(args: string[], io: Partial<ServeIo> = {}): Promise<number> {
  const stdout = io.stdout ?? process.stdout;
  const stderr = io.stderr ?? process.stderr;
  const env = io.env ?? process.env;
  let settings: ServeSettings | 'help';
  let key: string | undefined;
  try {
    settings = parseSettings(args, env);
    if (settings === 'help') {
      stdout.write(SERVE_USAGE);
      return 0;
    }
    key = apiKey(settings, env);
  } catch (error) {
    stderr.write(`threadwork serve: ${error instanceof Error ? error.message : String(error)}\n\n${SERVE_USAGE}`);
    return 2;
  }

  mkdirSync(settings.dataDir, { recursive: true });
  const token = serverToken(settings);
  const model = upstream(settings, key);
  const log = (message: string): void => void stderr.write(`threadwork serve: ${message}\n`);
  const runtime = createServeEngine({ dataDir: settings.dataDir, modelBackend: model.backend, log });
  const { engine } = runtime;
  let server;
  try {
    server = await startServer({ engine, port: settings.port, token, requireBetaHeader: !settings.allowMissingBeta, log });
  } catch (error) {
    await runtime.close();
    stderr.write(`threadwork serve: cannot listen on 127.0.0.1:${settings.port}: ${error instanceof Error ? error.message : String(error)}\n`);
    return 1;
  }
  stdout.write(
    [
      `Threadwork Assistants API v2 server on ${server.url}`,
      `Token: ${token}`,
      `Upstream model API: ${model.description}`,
      `Data: ${settings.dataDir}`,
      `Use it: new OpenAI({ baseURL: '${server.url}', apiKey: '<token>' })`,
      'Press Ctrl+C to stop.',
      '',
    ].join('\n'),
  );

  let stop = (): void => undefined;
  await new Promise<void>((resolveStop) => {
    stop = () => resolveStop();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
    io.signal?.addEventListener('abort', stop, { once: true });
    if (io.signal?.aborted) stop();
  });
  process.off('SIGINT', stop);
  process.off('SIGTERM', stop);
  stdout.write('Stopping: active runs end cancelled…\n');
  // Order matters: no new work, then runs end cancelled (open streams see it), then connections close.
  await server.stopAccepting();
  await runtime.close();
  await server.close();
  stdout.write('Stopped.\n');
  return 0;
}
