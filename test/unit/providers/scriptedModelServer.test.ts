/**
 * The scripted model server itself, checked with the real `openai` SDK as its client, including
 * the SDK's stream helpers, which assemble a final result and reject out-of-order wire events.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import OpenAI, { APIConnectionError, APIError, InternalServerError, RateLimitError } from 'openai';
import { embedText, startScriptedModelServer } from '../../support/modelServer/index.ts';
import type { ScriptedModelServer } from '../../support/modelServer/index.ts';

void describe('scripted model server', () => {
  let server: ScriptedModelServer;
  let client: OpenAI;
  before(async () => {
    server = await startScriptedModelServer({ models: ['m-1', 'm-2'], embeddingDimensions: 32 });
    client = new OpenAI({ baseURL: server.url, apiKey: 'sk-scripted', maxRetries: 0, logLevel: 'off' });
  });
  after(() => server.close());

  void test('serves on 127.0.0.1 with a /v1 base URL', () => {
    assert.match(server.url, /^http:\/\/127\.0\.0\.1:\d+\/v1$/);
  });

  void test('chat stream: the SDK stream helper assembles text, tool calls and usage', async () => {
    server.enqueue({
      text: 'Hello from the script.',
      chunkSize: 2,
      toolCalls: [{ id: 'call_1', name: 'f', arguments: { a: 1 } }, { name: 'g', arguments: '{"b":[2]}' }],
      usage: { promptTokens: 11, completionTokens: 7 },
    });
    const stream = client.chat.completions.stream({ model: 'm-1', messages: [{ role: 'user', content: 'hi' }], stream_options: { include_usage: true } });
    let deltas = 0;
    stream.on('content.delta', () => {
      deltas += 1;
    });
    const completion = await stream.finalChatCompletion();
    const message = completion.choices[0]?.message;
    assert.equal(message?.content, 'Hello from the script.');
    assert.equal(deltas, 11);
    assert.deepEqual(message?.tool_calls?.map((call) => (call.type === 'function' ? [call.id, call.function.name, call.function.arguments] : [])), [
      ['call_1', 'f', '{"a":1}'],
      [message?.tool_calls?.[1]?.id, 'g', '{"b":[2]}'],
    ]);
    assert.equal(completion.choices[0]?.finish_reason, 'tool_calls');
    assert.equal(completion.usage?.total_tokens, 18);
  });

  void test('chat stream without include_usage sends no usage; chat without stream returns one completion', async () => {
    server.enqueue({ text: 'abc' }, { text: 'whole', finishReason: 'length' });
    const chunks = [];
    for await (const chunk of await client.chat.completions.create({ model: 'm-1', messages: [{ role: 'user', content: 'hi' }], stream: true })) chunks.push(chunk);
    assert.ok(chunks.every((chunk) => chunk.usage === undefined && chunk.choices.length === 1));
    assert.equal(chunks[0]?.choices[0]?.delta.role, 'assistant');
    const completion = await client.chat.completions.create({ model: 'm-1', messages: [{ role: 'user', content: 'hi' }] });
    assert.equal(completion.object, 'chat.completion');
    assert.equal(completion.choices[0]?.message.content, 'whole');
    assert.equal(completion.choices[0]?.finish_reason, 'length');
    assert.ok((completion.usage?.prompt_tokens ?? 0) > 0);
  });

  void test('responses stream: the SDK stream helper assembles the final response in order', async () => {
    server.enqueue({ text: 'Streaming answer', toolCalls: [{ id: 'call_9', name: 'lookup', arguments: { q: 'x' } }], usage: { promptTokens: 5, completionTokens: 6 } });
    const stream = client.responses.stream({ model: 'm-2', input: 'hi', store: false });
    const types: string[] = [];
    stream.on('event', (event) => types.push(event.type));
    const response = await stream.finalResponse();
    assert.equal(response.output_text, 'Streaming answer');
    const call = response.output.find((item) => item.type === 'function_call');
    assert.deepEqual(call && [call.call_id, call.name, call.arguments], ['call_9', 'lookup', '{"q":"x"}']);
    assert.deepEqual(response.usage && [response.usage.input_tokens, response.usage.output_tokens, response.usage.total_tokens], [5, 6, 11]);
    assert.deepEqual(types.slice(0, 4), ['response.created', 'response.in_progress', 'response.output_item.added', 'response.content_part.added']);
    assert.ok(types.includes('response.function_call_arguments.delta') && types.includes('response.function_call_arguments.done'));
    assert.equal(types.at(-1), 'response.completed');
  });

  void test('responses: a length finish is response.incomplete; without stream a whole response', async () => {
    server.enqueue({ text: 'cut', finishReason: 'length' }, { text: 'whole' });
    const events = [];
    for await (const event of await client.responses.create({ model: 'm-2', input: 'hi', stream: true })) events.push(event);
    const last = events.at(-1);
    assert.equal(last?.type, 'response.incomplete');
    assert.equal(last?.type === 'response.incomplete' ? last.response.incomplete_details?.reason : undefined, 'max_output_tokens');
    assert.deepEqual(events.map((event) => event.sequence_number), events.map((_, i) => i));
    const response = await client.responses.create({ model: 'm-2', input: 'hi' });
    assert.equal(response.status, 'completed');
    assert.equal(response.output_text, 'whole');
  });

  void test('models and embeddings (float and the SDK default base64) through the SDK', async () => {
    const models = await client.models.list();
    assert.deepEqual(models.data.map((model) => model.id), ['m-1', 'm-2']);
    const floats = await client.embeddings.create({ model: 'e', input: ['alpha beta', 'gamma'], dimensions: 12, encoding_format: 'float' });
    assert.deepEqual(floats.data.map((item) => item.embedding.length), [12, 12]);
    const decoded = await client.embeddings.create({ model: 'e', input: 'alpha beta' });
    assert.equal(server.embeddingsRequests().at(-1)?.encoding_format, 'base64', 'the SDK asks for base64 by default');
    assert.deepEqual(Float32Array.from(decoded.data[0]?.embedding ?? []), embedText('alpha beta', 32));
    assert.deepEqual(Float32Array.from(floats.data[0]?.embedding ?? []), embedText('alpha beta', 12));
  });

  void test('records method, path, headers and parsed body; the handler sees each request after the queue', async () => {
    const seen: string[] = [];
    server.setHandler((request) => {
      seen.push(String(request.body.model));
      return { text: `echo ${String(request.body.model)}` };
    });
    server.enqueue({ text: 'queued first' });
    const first = await client.chat.completions.create({ model: 'q-model', messages: [{ role: 'user', content: 'x' }] });
    const second = await client.chat.completions.create({ model: 'h-model', messages: [{ role: 'user', content: 'x' }] }, { headers: { 'X-Trace': 't1' } });
    server.setHandler(undefined);
    assert.equal(first.choices[0]?.message.content, 'queued first');
    assert.equal(second.choices[0]?.message.content, 'echo h-model');
    assert.deepEqual(seen, ['h-model']);
    const recorded = server.requests.at(-1);
    assert.equal(recorded?.method, 'POST');
    assert.equal(recorded?.path, '/v1/chat/completions');
    assert.equal(recorded?.endpoint, 'chat.completions');
    assert.equal(recorded?.headers.authorization, 'Bearer sk-scripted');
    assert.equal(recorded?.headers['x-trace'], 't1');
    assert.deepEqual(recorded?.body.messages, [{ role: 'user', content: 'x' }]);
  });

  void test('an unscripted request and an unknown route get clear OpenAI-shaped errors', async () => {
    await assert.rejects(client.chat.completions.create({ model: 'm', messages: [] }), (error: unknown) => error instanceof APIError && error.status === 400 && /no reply was scripted/.test(error.message));
    await assert.rejects(client.get('/nowhere'), (error: unknown) => error instanceof APIError && error.status === 404);
  });

  void test('reasoning items follow the API: encrypted only when included, refused from other models, checked when sent back', async () => {
    const refused = (status: number, pattern: RegExp) => (error: unknown) => error instanceof APIError && error.status === status && pattern.test(error.message);
    const include = ['reasoning.encrypted_content' as const];
    server.enqueue({ text: 'plain model' });
    await assert.rejects(client.responses.create({ model: 'm', input: 'x', store: false, include }), refused(400, /Encrypted content is not supported with this model/));

    server.enqueue({ reasoning: true, text: 'thought' }, { reasoning: true, text: 'thought, kept' });
    const bare = await client.responses.create({ model: 'm', input: 'x', store: false });
    assert.deepEqual(bare.output[0], { id: 'rs_' + bare.id.slice(5), type: 'reasoning', summary: [] });
    const kept = await client.responses.create({ model: 'm', input: 'x', store: false, include });
    const reasoning = kept.output[0];
    assert.ok(reasoning?.type === 'reasoning' && typeof reasoning.encrypted_content === 'string');

    const answer = { type: 'message' as const, role: 'assistant' as const, content: 'thought, kept' };
    const sendBack = (input: OpenAI.Responses.ResponseInput) => client.responses.create({ model: 'm', input, store: false, include });
    await assert.rejects(sendBack([{ ...reasoning, encrypted_content: null }, answer]), refused(404, /Items are not persisted when `store` is set to false/));
    await assert.rejects(sendBack([{ ...reasoning, encrypted_content: 'forged' }, answer]), refused(400, /could not be verified/));
    await assert.rejects(sendBack([reasoning]), refused(400, /without its required following item/));
    server.enqueue({ reasoning: true, text: 'accepted' });
    assert.equal((await sendBack([reasoning, answer])).output_text, 'accepted');
  });

  void test('HTTP faults carry the status, headers and error body the SDK expects', async () => {
    server.enqueue({ fault: { kind: 'rateLimit', retryAfterSeconds: 2, retryAfterMs: 1500 } }, { fault: { kind: 'httpError', status: 503, message: 'overloaded' } });
    await assert.rejects(client.responses.create({ model: 'm', input: 'x', stream: true }), (error: unknown) => {
      assert.ok(error instanceof RateLimitError);
      assert.equal(error.headers.get('retry-after'), '2');
      assert.equal(error.headers.get('retry-after-ms'), '1500');
      assert.equal(error.code, 'rate_limit_exceeded');
      return true;
    });
    await assert.rejects(client.chat.completions.create({ model: 'm', messages: [] }), (error: unknown) => error instanceof InternalServerError && error.status === 503 && error.message.includes('overloaded'));
  });

  void test('stream faults: reset, malformed chunk and stall, as the SDK sees them', async () => {
    const collect = async (stream: AsyncIterable<unknown>) => {
      let count = 0;
      try {
        for await (const _ of stream) count += 1;
        return { count, error: undefined };
      } catch (error) {
        return { count, error };
      }
    };
    const chat = () => client.chat.completions.create({ model: 'm', messages: [{ role: 'user', content: 'x' }], stream: true });

    server.enqueue({ text: 'abcdefghij', chunkSize: 1, fault: { kind: 'reset', afterEvents: 4 } });
    const reset = await collect(await chat());
    assert.equal(reset.count, 4);
    assert.ok(reset.error instanceof TypeError || reset.error instanceof APIConnectionError, String(reset.error));

    server.enqueue({ text: 'abcdefghij', chunkSize: 1, fault: { kind: 'malformed', afterEvents: 3 } });
    const malformed = await collect(await chat());
    assert.equal(malformed.count, 3);
    assert.ok(malformed.error instanceof SyntaxError);

    server.enqueue({ text: 'abc', chunkSize: 1, fault: { kind: 'stall', afterEvents: 2, ms: 200 } });
    const started = performance.now();
    const stalled = await collect(await chat());
    assert.equal(stalled.error, undefined);
    assert.equal(stalled.count, 5, 'the stream resumes after the stall');
    assert.ok(performance.now() - started >= 190);
  });

  void test('a client that goes away is recorded as disconnected, and close() ends pending stalls', async () => {
    const local = await startScriptedModelServer();
    const localClient = new OpenAI({ baseURL: local.url, apiKey: 'k', maxRetries: 0, logLevel: 'off' });
    local.enqueue({ text: 'abc', fault: { kind: 'stall', afterEvents: 1, ms: 60_000 } });
    const controller = new AbortController();
    const stream = await localClient.chat.completions.create({ model: 'm', messages: [], stream: true }, { signal: controller.signal });
    const iterator = stream[Symbol.asyncIterator]();
    await iterator.next();
    controller.abort();
    await iterator.next().catch(() => undefined);
    for (let i = 0; i < 100 && !local.requests[0]?.clientDisconnected; i += 1) await new Promise((resolve) => setTimeout(resolve, 5));
    assert.equal(local.requests[0]?.clientDisconnected, true);

    local.enqueue({ text: 'abc', fault: { kind: 'stall', afterEvents: 1, ms: 60_000 } });
    const pending = localClient.chat.completions.create({ model: 'm', messages: [], stream: true });
    const stalled = await pending;
    const started = performance.now();
    const drained = (async () => {
      try {
        for await (const _ of stalled);
      } catch {
        // the connection is dropped by close()
      }
    })();
    await new Promise((resolve) => setTimeout(resolve, 30));
    await local.close();
    await drained;
    assert.ok(performance.now() - started < 2_000, 'close() did not wait for the 60 s stall');
  });
});
