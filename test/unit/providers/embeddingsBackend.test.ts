/**
 * The embeddings backend over the scripted server's deterministic vectors, through the real SDK.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { ModelError } from '../../../src/engine/ports/modelBackend.ts';
import { createEmbeddingsBackend } from '../../../src/providers/embeddingsBackend.ts';
import { embedText, startScriptedModelServer } from '../../support/modelServer/index.ts';
import type { ScriptedModelServer } from '../../support/modelServer/index.ts';

function cosine(a: Float32Array, b: Float32Array): number {
  let dot = 0;
  for (let i = 0; i < a.length; i += 1) dot += (a[i] ?? 0) * (b[i] ?? 0);
  return dot;
}

void describe('embeddings backend', () => {
  let server: ScriptedModelServer;
  before(async () => {
    server = await startScriptedModelServer({ embeddingDimensions: 96 });
  });
  after(() => server.close());
  const settings = () => ({ baseURL: server.url, apiKey: 'k', model: 'text-embedding-3-small', maxAttempts: 3, retryBaseDelayMs: 1 });

  void test('returns one vector of the requested dimension per text, in order, exactly as served', async () => {
    const backend = await createEmbeddingsBackend({ ...settings(), dimensions: 48 });
    assert.equal(backend.dimensions, 48);
    const texts = ['parse the config file', 'render the chat panel', ''];
    const vectors = await backend.embed(texts, new AbortController().signal);
    assert.equal(vectors.length, 3);
    for (const [i, vector] of vectors.entries()) {
      assert.ok(vector instanceof Float32Array);
      assert.equal(vector.length, 48);
      assert.deepEqual(vector, embedText(texts[i] === '' ? ' ' : (texts[i] ?? ''), 48), 'base64 round trip is exact');
    }
    const body = server.embeddingsRequests().at(-1);
    assert.equal(body?.dimensions, 48);
    assert.equal(body?.encoding_format, 'base64');
    assert.deepEqual(body?.input, ['parse the config file', 'render the chat panel', ' ']);
  });

  void test('related texts are closer than unrelated ones', async () => {
    const backend = await createEmbeddingsBackend({ ...settings(), dimensions: 256 });
    const [query, near, far] = await backend.embed(['read config file', 'parse the config file', 'chat panel colours'], new AbortController().signal);
    assert.ok(query && near && far);
    assert.ok(cosine(query, near) > cosine(query, far));
  });

  void test('learns the natural size with one probe when none is configured, then does not send dimensions', async () => {
    const before = server.embeddingsRequests().length;
    const backend = await createEmbeddingsBackend(settings());
    assert.equal(backend.dimensions, 96);
    const [vector] = await backend.embed(['hello'], new AbortController().signal);
    assert.equal(vector?.length, 96);
    const bodies = server.embeddingsRequests().slice(before);
    assert.equal(bodies.length, 2);
    assert.ok(bodies.every((body) => body.dimensions === undefined));
  });

  void test('batches large inputs and keeps their order', async () => {
    const backend = await createEmbeddingsBackend({ ...settings(), dimensions: 16, batchSize: 2 });
    const before = server.embeddingsRequests().length;
    const texts = ['a one', 'b two', 'c three', 'd four', 'e five'];
    const vectors = await backend.embed(texts, new AbortController().signal);
    assert.equal(server.embeddingsRequests().length - before, 3);
    assert.deepEqual(vectors, texts.map((text) => embedText(text, 16)));
  });

  void test('retries a rate limit, then fails clearly when it persists', async () => {
    const backend = await createEmbeddingsBackend({ ...settings(), dimensions: 8 });
    server.enqueueEmbeddingsFault({ kind: 'rateLimit', retryAfterMs: 1 });
    assert.equal((await backend.embed(['x'], new AbortController().signal)).length, 1);

    server.enqueueEmbeddingsFault(...Array.from({ length: 3 }, () => ({ kind: 'rateLimit' as const, retryAfterMs: 1 })));
    await assert.rejects(backend.embed(['x'], new AbortController().signal), (error: unknown) => error instanceof ModelError && error.code === 'rate_limit_exceeded');
  });

  void test('an aborted embed ends with an AbortError', async () => {
    const backend = await createEmbeddingsBackend({ ...settings(), dimensions: 8 });
    await assert.rejects(backend.embed(['x'], AbortSignal.abort()), { name: 'AbortError' });
  });
});
