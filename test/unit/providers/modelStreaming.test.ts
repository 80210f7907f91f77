/**
 * Both backends against the scripted server through the real SDK: text, tool calls, usage and
 * finish reasons come out as the same provider-neutral events.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createModelBackend } from '../../../src/providers/createModelBackend.ts';
import { startScriptedModelServer } from '../../support/modelServer/index.ts';
import type { ScriptedModelServer } from '../../support/modelServer/index.ts';
import { drain, finishOf, KINDS, modelRequest, textDeltaCount, textOf, toolCallsOf, usageOf } from './support.ts';

const LONG_TEXT = 'Threads never get lost: every state change is one transaction, and a crash leaves nothing corrupt.';

for (const kind of KINDS) {
  void describe(`${kind} backend streaming`, () => {
    let server: ScriptedModelServer;
    before(async () => {
      server = await startScriptedModelServer();
    });
    after(() => server.close());
    const backend = () => createModelBackend({ kind, baseURL: server.url, apiKey: 'sk-test', maxAttempts: 1 });

    void test('streams text in many deltas, then usage and a stop', async () => {
      server.enqueue({ text: LONG_TEXT, chunkSize: 3, usage: { promptTokens: 42, completionTokens: 17 } });
      const { events, error } = await drain(backend().stream(modelRequest(), new AbortController().signal));
      assert.equal(error, undefined);
      assert.equal(textOf(events), LONG_TEXT);
      assert.equal(textDeltaCount(events), Math.ceil(LONG_TEXT.length / 3));
      assert.deepEqual(usageOf(events), { promptTokens: 42, completionTokens: 17 });
      assert.equal(finishOf(events), 'stop');
      assert.deepEqual(events.slice(-2).map((event) => event.type), ['usage', 'finish']);
    });

    void test('streams one tool call with its arguments in fragments', async () => {
      server.enqueue({ toolCalls: [{ id: 'call_weather', name: 'get_weather', arguments: { city: 'Zürich', unit: 'celsius' } }], argumentsChunkSize: 5 });
      const { events, error } = await drain(backend().stream(modelRequest(), new AbortController().signal));
      assert.equal(error, undefined);
      assert.deepEqual(toolCallsOf(events), [
        { index: 0, id: 'call_weather', name: 'get_weather', arguments: JSON.stringify({ city: 'Zürich', unit: 'celsius' }) },
      ]);
      assert.ok(events.filter((event) => event.type === 'toolCallArguments').length > 3, 'arguments arrive in several fragments');
      assert.equal(textOf(events), '');
      assert.equal(finishOf(events), 'tool_calls');
    });

    void test('streams text followed by several tool calls with stable indexes', async () => {
      server.enqueue({
        text: 'Let me look.',
        toolCalls: [
          { id: 'call_a', name: 'read_file', arguments: { path: 'src/a.ts' } },
          { id: 'call_b', name: 'read_file', arguments: { path: 'src/b.ts' } },
          { id: 'call_c', name: 'search', arguments: '{"query":"x"}' },
        ],
        argumentsChunkSize: 4,
      });
      const { events, error } = await drain(backend().stream(modelRequest(), new AbortController().signal));
      assert.equal(error, undefined);
      assert.equal(textOf(events), 'Let me look.');
      const calls = toolCallsOf(events);
      assert.deepEqual(calls.map((call) => [call.index, call.id, call.name]), [
        [0, 'call_a', 'read_file'],
        [1, 'call_b', 'read_file'],
        [2, 'call_c', 'search'],
      ]);
      assert.deepEqual(calls.map((call) => JSON.parse(call.arguments)), [{ path: 'src/a.ts' }, { path: 'src/b.ts' }, { query: 'x' }]);
      assert.equal(finishOf(events), 'tool_calls');
    });

    void test('reports a token cap as finish reason length', async () => {
      server.enqueue({ text: 'This answer was cut', finishReason: 'length' });
      const { events, error } = await drain(backend().stream(modelRequest({ maxOutputTokens: 5 }), new AbortController().signal));
      assert.equal(error, undefined);
      assert.equal(textOf(events), 'This answer was cut');
      assert.equal(finishOf(events), 'length');
    });

    void test('reports a content filter stop', async () => {
      server.enqueue({ text: 'Partial', finishReason: 'content_filter' });
      const { events } = await drain(backend().stream(modelRequest(), new AbortController().signal));
      assert.equal(finishOf(events), 'content_filter');
    });

    void test('sends the API key and custom headers; a keyless backend sends no Authorization', async () => {
      server.enqueue({ text: 'a' }, { text: 'b' });
      const withKey = createModelBackend({ kind, baseURL: server.url, apiKey: 'sk-secret', headers: { 'X-Team': 'threadwork' } });
      await drain(withKey.stream(modelRequest(), new AbortController().signal));
      const keyless = createModelBackend({ kind, baseURL: server.url });
      await drain(keyless.stream(modelRequest(), new AbortController().signal));
      const [first, second] = server.requests.slice(-2);
      assert.equal(first?.headers.authorization, 'Bearer sk-secret');
      assert.equal(first?.headers['x-team'], 'threadwork');
      assert.equal(second?.headers.authorization, undefined);
    });
  });
}
