/**
 * Finds model servers running on this machine: each candidate (Ollama, LM Studio, llama.cpp, vLLM
 * on their usual ports, or whatever the user listed) is asked for its models at once, and the ones
 * that answer are returned with their models, chat models first. "Nothing listening" is the common
 * answer and costs a refused connection, so detection takes about as long as the slowest server.
 */
import { listModels } from './listModels.ts';

export interface LocalServerCandidate {
  name: string;
  /** OpenAI-compatible base URL ending in `/v1`. */
  baseUrl: string;
}

export interface DetectedServer extends LocalServerCandidate {
  /** Model ids as the server lists them, chat models before embedding models. */
  models: string[];
}

export interface DetectionOptions {
  /** Per server; a server that accepts the connection but does not answer in time is skipped. */
  timeoutMs?: number;
  signal?: AbortSignal;
}

const DEFAULT_TIMEOUT_MS = 2_000;

export async function detectLocalServers(candidates: readonly LocalServerCandidate[], options: DetectionOptions = {}): Promise<DetectedServer[]> {
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const unique = candidates.filter((candidate, index) => candidates.findIndex((other) => normalize(other.baseUrl) === normalize(candidate.baseUrl)) === index);
  const found = await Promise.all(unique.map(async (candidate): Promise<DetectedServer | null> => {
    try {
      const models = await listModels({ baseURL: candidate.baseUrl, timeoutMs, maxAttempts: 1 }, options.signal);
      return { name: candidate.name, baseUrl: candidate.baseUrl, models: chatModelsFirst(models) };
    } catch {
      return null;
    }
  }));
  return found.filter((server): server is DetectedServer => server !== null);
}

/** Embedding models cannot chat; they stay listed (a server may serve only those) but last. */
export function chatModelsFirst(models: readonly string[]): string[] {
  const isEmbedding = (id: string): boolean => /embed|bge-|e5-|minilm/i.test(id);
  return [...models.filter((id) => !isEmbedding(id)), ...models.filter(isEmbedding)];
}

function normalize(baseUrl: string): string {
  return baseUrl.trim().replace(/\/+$/, '').replace('://localhost', '://127.0.0.1').toLowerCase();
}
