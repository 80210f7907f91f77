/**
 * Error behaviour the SDK sees (checklist #2, #3, #5, #8–#12, #15, #29, #30, #35, #38, #40),
 * straight to the server: Prism would refuse most of these requests itself (422) before they
 * reached it.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { APIError } from 'openai';
import { startHarness, type Harness } from './support/harness.ts';

const MODEL = 'scripted-chat-model';

async function apiError(promise: Promise<unknown>): Promise<APIError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof APIError) return error;
    throw error;
  }
  assert.fail('expected the request to fail');
}

function body(error: APIError): { message: string; type: string; param: string | null; code: string | null } {
  return error.error as { message: string; type: string; param: string | null; code: string | null };
}

describe('errors (direct)', () => {
  let h: Harness;
  before(async () => {
    h = await startHarness();
  });
  after(async () => {
    await h.close();
  });

  test('#2 a path id with the wrong prefix is 400 naming the parameter and the expected prefix', async () => {
    const thread = await h.direct.beta.threads.create();
    const cases: Array<[Promise<unknown>, string, string]> = [
      [h.direct.beta.threads.retrieve('asst_123'), 'thread_id', 'thread'],
      [h.direct.beta.assistants.retrieve('thread_1'), 'assistant_id', 'asst'],
      [h.direct.beta.threads.runs.retrieve('msg_1', { thread_id: thread.id }), 'run_id', 'run'],
      [h.direct.beta.threads.messages.retrieve('run_1', { thread_id: thread.id }), 'message_id', 'msg'],
      [h.direct.files.retrieve('file_1'), 'file_id', 'file'],
      [h.direct.vectorStores.retrieve('store_1'), 'vector_store_id', 'vs'],
    ];
    for (const [promise, param, prefix] of cases) {
      const error = await apiError(promise);
      assert.equal(error.status, 400);
      assert.equal(body(error).type, 'invalid_request_error');
      assert.equal(body(error).param, param);
      assert.match(body(error).message, new RegExp(`^Invalid '${param}': '.*'\\. Expected an ID that begins with '${prefix}'\\.$`));
    }
  });

  test('#3 unknown well-formed ids are 404 with the v2 body', async () => {
    const error = await apiError(h.direct.beta.assistants.retrieve('asst_doesnotexist'));
    assert.equal(error.status, 404);
    assert.deepEqual(error.error, { message: "No assistant found with id 'asst_doesnotexist'.", type: 'invalid_request_error', param: null, code: null });
    const thread = await apiError(h.direct.beta.threads.retrieve('thread_nope'));
    assert.deepEqual(thread.error, { message: "No thread found with id 'thread_nope'.", type: 'invalid_request_error', param: null, code: null });
  });

  test('#5 Assistants endpoints without OpenAI-Beta: assistants=v2 are 400 invalid_beta; v1 is refused', async () => {
    const missing = await h.raw('GET', '/v1/assistants', { beta: false });
    assert.equal(missing.status, 400);
    assert.equal(missing.json.error.code, 'invalid_beta');
    assert.match(missing.json.error.message, /OpenAI-Beta: assistants=v2/);
    const v1 = await h.raw('GET', '/v1/assistants', { headers: { 'openai-beta': 'assistants=v1' } });
    assert.equal(v1.status, 400);
    assert.equal(v1.json.error.code, 'invalid_beta');
    const several = await h.raw('GET', '/v1/assistants', { headers: { 'openai-beta': 'realtime=v1, assistants=v2' } });
    assert.equal(several.status, 200);
    const lenient = await startHarness({ requireBetaHeader: false });
    try {
      assert.equal((await lenient.raw('GET', '/v1/assistants', { beta: false })).status, 200);
      assert.equal((await lenient.raw('GET', '/v1/assistants', { headers: { 'openai-beta': 'assistants=v1' } })).status, 400);
    } finally {
      await lenient.close();
    }
  });

  test('#8 metadata: 17 keys → object_above_max_properties; long key or value → string_above_max_length', async () => {
    const many = Object.fromEntries(Array.from({ length: 17 }, (_, i) => [`k${i}`, 'v']));
    const tooMany = await apiError(h.direct.beta.assistants.create({ model: MODEL, metadata: many }));
    assert.equal(tooMany.status, 400);
    assert.deepEqual([body(tooMany).param, body(tooMany).code], ['metadata', 'object_above_max_properties']);
    assert.equal(body(tooMany).message, "Invalid 'metadata': too many properties. Expected an object with at most 16 properties, but got an object with 17 properties instead.");
    const longKey = await apiError(h.direct.beta.threads.create({ metadata: { ['k'.repeat(65)]: 'v' } }));
    assert.equal(body(longKey).code, 'string_above_max_length');
    const longValue = await apiError(h.direct.beta.threads.create({ metadata: { k: 'v'.repeat(513) } }));
    assert.deepEqual([body(longValue).code, body(longValue).param], ['string_above_max_length', 'metadata.k']);
  });

  test('#9 assistant name > 256, description > 512, instructions > 256,000 → 400', async () => {
    for (const [field, length] of [['name', 257], ['description', 513], ['instructions', 256_001]] as const) {
      const error = await apiError(h.direct.beta.assistants.create({ model: MODEL, [field]: 'x'.repeat(length) }));
      assert.equal(error.status, 400);
      assert.deepEqual([body(error).param, body(error).code], [field, 'string_above_max_length']);
    }
  });

  test('#10 129 tools on an assistant → 400; 21 tools on a run → 400', async () => {
    const tool = (i: number) => ({ type: 'function' as const, function: { name: `f${i}` } });
    const assistantError = await apiError(h.direct.beta.assistants.create({ model: MODEL, tools: Array.from({ length: 129 }, (_, i) => tool(i)) }));
    assert.deepEqual([assistantError.status, body(assistantError).param, body(assistantError).code], [400, 'tools', 'array_above_max_length']);
    const assistant = await h.direct.beta.assistants.create({ model: MODEL, tools: Array.from({ length: 128 }, (_, i) => tool(i)) });
    const thread = await h.direct.beta.threads.create();
    const runError = await apiError(h.direct.beta.threads.runs.create(thread.id, { assistant_id: assistant.id, tools: Array.from({ length: 21 }, (_, i) => tool(i)) }));
    assert.deepEqual([runError.status, body(runError).param], [400, 'tools']);
  });

  test('#11 21 code_interpreter file ids or 2 vector store ids → 400', async () => {
    const codeError = await apiError(h.direct.beta.assistants.create({ model: MODEL, tool_resources: { code_interpreter: { file_ids: Array.from({ length: 21 }, (_, i) => `file-${i}`) } } }));
    assert.deepEqual([codeError.status, body(codeError).param], [400, 'tool_resources.code_interpreter.file_ids']);
    const storeError = await apiError(h.direct.beta.threads.create({ tool_resources: { file_search: { vector_store_ids: ['vs_a', 'vs_b'] } } }));
    assert.deepEqual([storeError.status, body(storeError).param], [400, 'tool_resources.file_search.vector_store_ids']);
  });

  test('#12 a function name with a space or over 64 characters → 400 at tools[i].function.name', async () => {
    for (const name of ['has space', 'n'.repeat(65)]) {
      const error = await apiError(h.direct.beta.assistants.create({ model: MODEL, tools: [{ type: 'code_interpreter' }, { type: 'function', function: { name } }] }));
      assert.deepEqual([error.status, body(error).param], [400, 'tools[1].function.name']);
    }
  });

  test('#15 limit=0 and limit=101 → 400', async () => {
    for (const limit of [0, 101]) {
      const error = await apiError(h.direct.beta.assistants.list({ limit }));
      assert.deepEqual([error.status, body(error).param], [400, 'limit']);
    }
  });

  test('#29 #30 #35 a thread with an active run refuses messages and runs; bad tool outputs leave the run waiting', async () => {
    const assistant = await h.direct.beta.assistants.create({ model: MODEL, tools: [{ type: 'function', function: { name: 'f' } }] });
    const thread = await h.direct.beta.threads.create({ messages: [{ role: 'user', content: 'call f' }] });
    h.model.enqueue({ toolCalls: [{ name: 'f', arguments: {} }, { name: 'f', arguments: { again: true } }] });
    const run = await h.direct.beta.threads.runs.createAndPoll(thread.id, { assistant_id: assistant.id });
    assert.equal(run.status, 'requires_action');
    const message = await apiError(h.direct.beta.threads.messages.create(thread.id, { role: 'user', content: 'more' }));
    assert.equal(message.status, 400);
    assert.deepEqual(message.error, { message: `Can't add messages to ${thread.id} while a run ${run.id} is active.`, type: 'invalid_request_error', param: null, code: null });
    const second = await apiError(h.direct.beta.threads.runs.create(thread.id, { assistant_id: assistant.id }));
    assert.equal(second.status, 400);
    assert.equal(body(second).message, `Thread ${thread.id} already has an active run ${run.id}.`);

    const [one, two] = run.required_action!.submit_tool_outputs.tool_calls;
    const unknown = await apiError(h.direct.beta.threads.runs.submitToolOutputs(run.id, { thread_id: thread.id, tool_outputs: [{ tool_call_id: 'call_unknown', output: 'x' }, { tool_call_id: two!.id, output: 'y' }] }));
    assert.equal(unknown.status, 400);
    const missing = await apiError(h.direct.beta.threads.runs.submitToolOutputs(run.id, { thread_id: thread.id, tool_outputs: [{ tool_call_id: one!.id, output: 'x' }] }));
    assert.equal(missing.status, 400);
    const still = await h.direct.beta.threads.runs.retrieve(run.id, { thread_id: thread.id });
    assert.equal(still.status, 'requires_action');
    assert.deepEqual(still.required_action, run.required_action);

    await h.direct.beta.threads.runs.cancel(run.id, { thread_id: thread.id });
    const afterCancel = await apiError(h.direct.beta.threads.runs.submitToolOutputs(run.id, { thread_id: thread.id, tool_outputs: [{ tool_call_id: one!.id, output: 'x' }, { tool_call_id: two!.id, output: 'y' }] }));
    assert.equal(afterCancel.status, 400);
    assert.equal((await h.direct.beta.threads.runs.retrieve(run.id, { thread_id: thread.id })).status, 'cancelled');
  });

  test('#38 cancelling a terminal run → 400 "Cannot cancel run with status \'completed\'."', async () => {
    const assistant = await h.direct.beta.assistants.create({ model: MODEL });
    const thread = await h.direct.beta.threads.create({ messages: [{ role: 'user', content: 'hi' }] });
    h.model.enqueue({ text: 'hello' });
    const run = await h.direct.beta.threads.runs.createAndPoll(thread.id, { assistant_id: assistant.id });
    const error = await apiError(h.direct.beta.threads.runs.cancel(run.id, { thread_id: thread.id }));
    assert.equal(error.status, 400);
    assert.equal(body(error).message, "Cannot cancel run with status 'completed'.");
  });

  test('#40 max_prompt_tokens or max_completion_tokens below 256 → 400', async () => {
    const assistant = await h.direct.beta.assistants.create({ model: MODEL });
    const thread = await h.direct.beta.threads.create();
    for (const field of ['max_prompt_tokens', 'max_completion_tokens'] as const) {
      const error = await apiError(h.direct.beta.threads.runs.create(thread.id, { assistant_id: assistant.id, [field]: 255 }));
      assert.deepEqual([error.status, body(error).param, body(error).code], [400, field, 'integer_below_min_value']);
    }
  });

  test('unknown routes are 404 "Invalid URL (METHOD /v1/…)"; a missing or wrong token is 401 invalid_api_key', async () => {
    const route = await h.raw('GET', '/v1/threads/thread_x/unknown');
    assert.deepEqual(route.json, { error: { message: 'Invalid URL (GET /v1/threads/thread_x/unknown)', type: 'invalid_request_error', param: null, code: null } });
    assert.equal(route.status, 404);
    const method = await h.raw('PUT', '/v1/assistants');
    assert.equal(method.status, 404);
    const noToken = await h.raw('GET', '/v1/assistants', { token: null });
    assert.deepEqual([noToken.status, noToken.json.error.code], [401, 'invalid_api_key']);
    const wrong = new (await import('openai')).default({ baseURL: h.server.url, apiKey: 'not-the-token', maxRetries: 0 });
    const error = await apiError(wrong.beta.assistants.list());
    assert.deepEqual([error.status, body(error).code], [401, 'invalid_api_key']);
  });
});
