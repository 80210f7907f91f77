import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ModelError } from '../../../src/engine/ports/modelBackend.ts';
import { listModels } from '../../../src/providers/listModels.ts';
import { startScriptedModelServer } from '../../support/modelServer/index.ts';

void test('lists the model ids a server offers', async () => {
  const server = await startScriptedModelServer({ models: ['llama3.2:3b', 'nomic-embed-text'] });
  try {
    assert.deepEqual(await listModels({ baseURL: server.url }), ['llama3.2:3b', 'nomic-embed-text']);
    server.setModels(['qwen2.5-coder']);
    assert.deepEqual(await listModels({ baseURL: server.url, apiKey: 'k' }), ['qwen2.5-coder']);
    assert.equal(server.requests.at(-1)?.path, '/v1/models');
  } finally {
    await server.close();
  }
});

void test('nothing listening is a quick, clear ModelError', async () => {
  const server = await startScriptedModelServer();
  const url = server.url;
  await server.close();
  const started = performance.now();
  await assert.rejects(listModels({ baseURL: url }), (error: unknown) => error instanceof ModelError && error.message.includes(`Could not reach the model server at ${url}`));
  assert.ok(performance.now() - started < 2_000);
});
