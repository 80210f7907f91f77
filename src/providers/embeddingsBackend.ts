/**
 * Embeddings over any OpenAI-compatible `/embeddings` endpoint, through the official SDK. Vectors
 * travel as base64 float32 (a quarter of the JSON size); servers that ignore `encoding_format`
 * and send number arrays are understood too. Requests are batched and retried like model calls.
 */
import type OpenAI from 'openai';
import type { EmbeddingsBackend } from '../engine/ports/embeddings.ts';
import { ModelError } from '../engine/ports/modelBackend.ts';
import { createOpenAIClient, resolveProviderSettings } from './providerSettings.ts';
import type { ProviderSettings, ResolvedProviderSettings } from './providerSettings.ts';
import { retryPolicy, withRetries } from './retryPolicy.ts';
import type { RetryPolicy } from './retryPolicy.ts';

export interface EmbeddingsSettings extends ProviderSettings {
  model: string;
  /**
   * Vector length to ask for (the `dimensions` parameter, honoured by text-embedding-3 and later).
   * When absent nothing is asked and the model's own length is learned from one probe request.
   */
  dimensions?: number;
  /** Texts per request (default 64). */
  batchSize?: number;
}

const DEFAULT_BATCH_SIZE = 64;

function decodeVector(embedding: string | number[]): Float32Array {
  if (Array.isArray(embedding)) return Float32Array.from(embedding);
  const bytes = Buffer.from(embedding, 'base64');
  if (bytes.length % 4 !== 0) throw new ModelError('server_error', 'The embeddings server sent a base64 vector whose length is not a whole number of float32 values.');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.length);
  const vector = new Float32Array(bytes.length / 4);
  for (let i = 0; i < vector.length; i += 1) vector[i] = view.getFloat32(i * 4, true);
  return vector;
}

export class OpenAIEmbeddingsBackend implements EmbeddingsBackend {
  readonly dimensions: number;
  readonly #settings: ResolvedProviderSettings;
  readonly #client: OpenAI;
  readonly #policy: RetryPolicy;
  readonly #model: string;
  readonly #requestDimensions: number | undefined;
  readonly #batchSize: number;

  /** Use `createEmbeddingsBackend` unless the vector length is already known. */
  constructor(settings: EmbeddingsSettings & { dimensions: number }, options: { sendDimensions?: boolean } = {}) {
    this.#settings = resolveProviderSettings(settings);
    this.#client = createOpenAIClient(this.#settings);
    this.#policy = retryPolicy({ maxAttempts: this.#settings.maxAttempts, baseDelayMs: this.#settings.retryBaseDelayMs });
    this.#model = settings.model;
    this.dimensions = settings.dimensions;
    this.#requestDimensions = options.sendDimensions === false ? undefined : settings.dimensions;
    this.#batchSize = Math.max(1, Math.floor(settings.batchSize ?? DEFAULT_BATCH_SIZE));
  }

  async embed(texts: string[], signal: AbortSignal): Promise<Float32Array[]> {
    const vectors: Float32Array[] = [];
    for (let start = 0; start < texts.length; start += this.#batchSize) {
      const batch = texts.slice(start, start + this.#batchSize);
      vectors.push(...(await requestVectors(this.#client, this.#settings, this.#policy, signal, this.#model, batch, this.#requestDimensions)));
    }
    for (const vector of vectors) {
      if (vector.length !== this.dimensions) {
        throw new ModelError('server_error', `The embeddings server returned vectors of length ${vector.length}, but ${this.dimensions} were expected for model '${this.#model}'.`);
      }
    }
    return vectors;
  }
}

async function requestVectors(
  client: OpenAI,
  settings: ResolvedProviderSettings,
  policy: RetryPolicy,
  signal: AbortSignal,
  model: string,
  texts: string[],
  dimensions: number | undefined,
): Promise<Float32Array[]> {
  // The API rejects empty strings; a lone space embeds as "nothing" without failing the batch.
  const input = texts.map((text) => (text === '' ? ' ' : text));
  const response = await withRetries(policy, signal, settings.baseURL, () =>
    client.embeddings.create(
      { model, input, encoding_format: 'base64', ...(dimensions !== undefined ? { dimensions } : {}) },
      { signal, timeout: settings.timeoutMs, maxRetries: 0 },
    ),
  );
  const data = Array.isArray(response.data) ? response.data : [];
  if (data.length !== texts.length) {
    throw new ModelError('server_error', `The embeddings server returned ${data.length} vectors for ${texts.length} texts.`);
  }
  // Order by `index`: the API does not promise the order of `data`.
  return [...data].sort((a, b) => a.index - b.index).map((item) => decodeVector(item.embedding as string | number[]));
}

/** Builds the backend, asking the server once for the model's vector length when it was not configured. */
export async function createEmbeddingsBackend(settings: EmbeddingsSettings, signal: AbortSignal = new AbortController().signal): Promise<EmbeddingsBackend> {
  if (settings.dimensions !== undefined) return new OpenAIEmbeddingsBackend({ ...settings, dimensions: settings.dimensions });
  const resolved = resolveProviderSettings(settings);
  const policy = retryPolicy({ maxAttempts: resolved.maxAttempts, baseDelayMs: resolved.retryBaseDelayMs });
  const [probe] = await requestVectors(createOpenAIClient(resolved), resolved, policy, signal, settings.model, ['dimension probe'], undefined);
  if (!probe || probe.length === 0) throw new ModelError('server_error', `The embeddings server returned an empty vector for model '${settings.model}'.`);
  return new OpenAIEmbeddingsBackend({ ...settings, dimensions: probe.length }, { sendDimensions: false });
}
