// First-run provider setup against real HTTP: finding local servers (one scripted server, one port
// with nothing on it, one server that accepts and never answers) and probing what an endpoint can
// do (which API, tool calls refused or streamed, context window).
import assert from 'node:assert/strict';
import { createServer, type Server, type Socket } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { probeEndpoint } from '../../../src/providers/capabilityProbe.ts';
import { knownContextWindow, windowFromModelEntry } from '../../../src/providers/contextWindows.ts';
import { chatModelsFirst, detectLocalServers } from '../../../src/providers/localServerDetection.ts';
import { startScriptedModelServer, type ScriptedModelServer } from '../../support/modelServer/index.ts';

async function listen(server: Server): Promise<number> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  return (server.address() as { port: number }).port;
}

describe('local server detection', () => {
  let scripted: ScriptedModelServer;
  let silent: Server;
  let silentPort: number;
  let closedPort: number;
  const sockets = new Set<Socket>();

  before(async () => {
    scripted = await startScriptedModelServer({ models: ['nomic-embed-text', 'llama3.1:8b', 'qwen2.5-coder:7b'] });
    silent = createServer((socket) => sockets.add(socket));
    silentPort = await listen(silent);
    const probe = createServer();
    closedPort = await listen(probe);
    await new Promise<void>((resolve) => probe.close(() => resolve()));
  });
  after(async () => {
    for (const socket of sockets) socket.destroy();
    await new Promise<void>((resolve) => silent.close(() => resolve()));
    await scripted.close();
  });

  test('finds the server that answers, lists its chat models first, and skips the refused and the silent one in time', async () => {
    const started = performance.now();
    const found = await detectLocalServers([
      { name: 'Nothing here', baseUrl: `http://127.0.0.1:${closedPort}/v1` },
      { name: 'Ollama', baseUrl: scripted.url },
      { name: 'Hangs', baseUrl: `http://127.0.0.1:${silentPort}/v1` },
      { name: 'Duplicate', baseUrl: `${scripted.url}/` },
    ], { timeoutMs: 800 });
    const elapsed = performance.now() - started;
    assert.deepEqual(found, [{ name: 'Ollama', baseUrl: scripted.url, models: ['llama3.1:8b', 'qwen2.5-coder:7b', 'nomic-embed-text'] }]);
    assert.ok(elapsed < 3_000, `detection took ${elapsed} ms`);
    assert.equal(scripted.requests.filter((request) => request.path === '/v1/models').length, 1, 'the duplicate entry is asked once');
  });

  test('an empty candidate list finds nothing without asking anyone', async () => {
    assert.deepEqual(await detectLocalServers([]), []);
    assert.deepEqual(chatModelsFirst(['bge-m3', 'mistral']), ['mistral', 'bge-m3']);
  });
});

describe('capability probing', () => {
  let server: ScriptedModelServer;
  before(async () => (server = await startScriptedModelServer({ models: ['gpt-4.1-mini', 'llama3.1:8b'] })));
  after(async () => server.close());

  test('a server with both APIs and tool calls: Chat Completions for a non-OpenAI host, tools on, arguments streamed', async () => {
    server.setHandler((request) => (Array.isArray(request.body['tools']) && request.body['tools'].length > 0
      ? { toolCalls: [{ name: 'report_probe_word', arguments: { word: 'ready, and a little more text' } }], argumentsChunkSize: 6 }
      : { text: 'ready' }));
    const capabilities = await probeEndpoint({ baseUrl: server.url, model: 'gpt-4.1-mini' });
    assert.equal(capabilities.api, 'chat-completions');
    assert.equal(capabilities.chatCompletions, true);
    assert.equal(capabilities.responses, true);
    assert.equal(capabilities.toolCalls, 'supported');
    assert.equal(capabilities.streamedToolArguments, true);
    assert.equal(capabilities.contextWindow, 1_047_576, 'OpenAI\'s published window when the server reports none');
    assert.deepEqual(capabilities.notes, []);
    const toolRequest = server.chatRequests().find((body) => Array.isArray(body.tools));
    assert.equal(toolRequest?.tool_choice, 'required');
  });

  test('a model that refuses tools still chats: tools refused, the reason kept for the user', async () => {
    server.setHandler((request) => {
      if (request.endpoint === 'responses') return { fault: { kind: 'httpError', status: 404, message: 'Not Found' } };
      if (Array.isArray(request.body['tools'])) return { fault: { kind: 'httpError', status: 400, message: 'registry.ollama.ai/library/llama3.1:8b does not support tools' } };
      return { text: 'ready' };
    });
    const capabilities = await probeEndpoint({ baseUrl: server.url, model: 'llama3.1:8b' });
    assert.equal(capabilities.api, 'chat-completions');
    assert.equal(capabilities.responses, false);
    assert.equal(capabilities.toolCalls, 'refused');
    assert.equal(capabilities.streamedToolArguments, null);
    assert.equal(capabilities.contextWindow, null);
    assert.ok(capabilities.notes.some((note) => /does not support tools/.test(note) && /without workspace tools/.test(note)), capabilities.notes.join(' | '));
    assert.ok(capabilities.notes.some((note) => /Responses API is not available/.test(note)));
  });

  test('a server that takes tools but not a forced choice is asked again with auto; text instead of a call is "unverified"', async () => {
    server.setHandler((request) => {
      if (request.body['tool_choice'] === 'required') return { fault: { kind: 'httpError', status: 400, message: 'unsupported value: required' } };
      return { text: 'ready' };
    });
    const before = server.chatRequests().length;
    const capabilities = await probeEndpoint({ baseUrl: server.url, model: 'llama3.1:8b' });
    assert.equal(capabilities.toolCalls, 'unverified');
    assert.deepEqual(server.chatRequests().slice(before).map((body) => body.tool_choice ?? null), [null, 'required', 'auto']);
  });

  test('an endpoint where nothing answers is an error, not a set of capabilities', async () => {
    server.setHandler(() => ({ fault: { kind: 'httpError', status: 401, message: 'Incorrect API key provided' } }));
    await assert.rejects(probeEndpoint({ baseUrl: server.url, model: 'gpt-4.1-mini', apiKey: 'wrong' }), /refused the credentials/);
  });

  test('context windows come from the server\'s model entry where it gives one, else from the known table', () => {
    assert.equal(windowFromModelEntry({ id: 'm', max_model_len: 32768 }), 32768);
    assert.equal(windowFromModelEntry({ id: 'm', meta: { n_ctx_train: 131072 } }), 131072);
    assert.equal(windowFromModelEntry({ id: 'm', context_length: 200000 }), 200000);
    assert.equal(windowFromModelEntry({ id: 'm', owned_by: 'x' }), null);
    assert.equal(knownContextWindow('gpt-4o-mini-2024-07-18'), 128_000);
    assert.equal(knownContextWindow('o4-mini'), 200_000);
    assert.equal(knownContextWindow('llama3.1:8b'), null);
  });
});
