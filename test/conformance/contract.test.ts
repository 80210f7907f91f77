/**
 * Contract tooling (checklist #72, #73): Prism's verdict on the two places where this server
 * knowingly answers differently from the spec's letter, and proof that the SSE validator used
 * by every streaming test rejects what the spec forbids.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { APIError } from 'openai';
import { startHarness, type Harness } from './support/harness.ts';
import { validateFrame } from './support/streamSchemas.ts';

const MODEL = 'scripted-chat-model';

describe('contract: Prism (prism)', () => {
  let h: Harness;
  before(async () => {
    h = await startHarness({ via: 'prism' });
  });
  after(async () => {
    await h.close();
  });

  async function violations(promise: Promise<unknown>): Promise<Array<{ location: string[]; message: string }>> {
    try {
      await promise;
    } catch (error) {
      assert.ok(error instanceof APIError && error.status === 500, `expected Prism's violation report, got ${String(error)}`);
      return (error.error as { validation: Array<{ location: string[]; message: string }> }).validation;
    }
    return [];
  }

  test('#72 a full tutorial round through Prism --errors passes response validation', async () => {
    const assistant = await h.api.beta.assistants.create({ model: MODEL, name: 'Checked', tools: [{ type: 'code_interpreter' }, { type: 'file_search' }, { type: 'function', function: { name: 'f', strict: true, parameters: { type: 'object', properties: {}, additionalProperties: false } } }], response_format: { type: 'json_object' }, temperature: 0.5, top_p: 0.9, metadata: { a: 'b' } });
    const updated = await h.api.beta.assistants.update(assistant.id, { description: 'desc', instructions: 'be brief', response_format: 'auto' });
    assert.equal(updated.description, 'desc');
    const thread = await h.api.beta.threads.create({ messages: [{ role: 'user', content: [{ type: 'text', text: 'hi' }, { type: 'image_url', image_url: { url: 'https://example.com/a.png', detail: 'low' } }] }], metadata: { k: 'v' } });
    await h.api.beta.threads.update(thread.id, { metadata: { k: 'w' } });
    h.model.enqueue({ toolCalls: [{ name: 'f', arguments: {} }] });
    const run = await h.api.beta.threads.runs.createAndPoll(thread.id, { assistant_id: assistant.id, truncation_strategy: { type: 'last_messages', last_messages: 3 }, max_prompt_tokens: 10_000, max_completion_tokens: 1_000, response_format: { type: 'json_schema', json_schema: { name: 'out', schema: { type: 'object' }, strict: true } } });
    assert.equal(run.status, 'requires_action');
    const steps = await h.api.beta.threads.runs.steps.list(run.id, { thread_id: thread.id });
    await h.api.beta.threads.runs.steps.retrieve(steps.data[0]!.id, { thread_id: thread.id, run_id: run.id });
    h.model.enqueue({ text: '{"ok":true}' });
    await h.api.beta.threads.runs.submitToolOutputs(run.id, { thread_id: thread.id, tool_outputs: [{ tool_call_id: run.required_action!.submit_tool_outputs.tool_calls[0]!.id, output: '{}' }] });
    const done = await h.api.beta.threads.runs.poll(run.id, { thread_id: thread.id });
    assert.equal(done.status, 'completed');
    assert.ok((await h.api.beta.threads.runs.list(thread.id)).data.length === 1);
    assert.ok((await h.api.beta.threads.messages.list(thread.id)).data.length === 2);
  });

  test('#72 known deviation: an empty page has first_id/last_id null (as v2 answered); the spec types them as strings', async () => {
    const thread = await h.direct.beta.threads.create();
    const direct = await h.raw('GET', `/v1/threads/${thread.id}/messages`);
    assert.deepEqual(direct.json, { object: 'list', data: [], first_id: null, last_id: null, has_more: false });
    const found = await violations(h.api.beta.threads.messages.list(thread.id));
    assert.deepEqual(found.map((v) => v.location.join('.')).sort(), ['response.body.first_id', 'response.body.last_id'], 'those two fields are the only violations');
  });

  test('#72 known deviation: file content is sent as application/octet-stream; the spec says application/json', async () => {
    const file = await h.direct.files.create({ file: new File(['raw bytes'], 'raw.bin'), purpose: 'assistants' });
    const direct = await h.raw('GET', `/v1/files/${file.id}/content`, { beta: false });
    assert.equal(direct.headers.get('content-type'), 'application/octet-stream');
    assert.equal(direct.text, 'raw bytes');
    const found = await violations(h.api.files.content(file.id));
    assert.equal(found.length, 1);
    assert.match(found[0]!.message, /media type "application\/octet-stream"/);
  });
});

describe('contract: SSE payload validation (no server)', () => {
  const run = {
    id: 'run_1', object: 'thread.run', created_at: 1, thread_id: 'thread_1', assistant_id: 'asst_1', status: 'queued', required_action: null, last_error: null,
    expires_at: 601, started_at: null, cancelled_at: null, failed_at: null, completed_at: null, incomplete_details: null, model: 'm', instructions: '', tools: [],
    metadata: {}, usage: null, temperature: 1, top_p: 1, max_prompt_tokens: null, max_completion_tokens: null, truncation_strategy: { type: 'auto', last_messages: null },
    tool_choice: 'auto', parallel_tool_calls: true, response_format: 'auto',
  };

  test('#73 a valid run event passes; a wrong status, a missing required key or a mismatched event name fail', () => {
    assert.deepEqual(validateFrame('thread.run.created', run), []);
    assert.notDeepEqual(validateFrame('thread.run.created', { ...run, status: 'running' }), []);
    const { tools: _tools, ...withoutTools } = run;
    assert.notDeepEqual(validateFrame('thread.run.queued', withoutTools), []);
    assert.notDeepEqual(validateFrame('thread.run.bogus', run), []);
    assert.notDeepEqual(validateFrame('thread.message.created', run), []);
  });

  test('#73 deltas, done and error frames', () => {
    assert.deepEqual(validateFrame('thread.message.delta', { id: 'msg_1', object: 'thread.message.delta', delta: { content: [{ index: 0, type: 'text', text: { value: 'Hi', annotations: [] } }] } }), []);
    assert.notDeepEqual(validateFrame('thread.message.delta', { id: 'msg_1', object: 'thread.message.delta', delta: { content: [{ type: 'text', text: { value: 'Hi' } }] } }), [], 'index is required');
    assert.deepEqual(validateFrame('thread.run.step.delta', { id: 'step_1', object: 'thread.run.step.delta', delta: { step_details: { type: 'tool_calls', tool_calls: [{ index: 0, id: 'call_1', type: 'function', function: { name: 'f', arguments: '', output: null } }] } } }), []);
    assert.deepEqual(validateFrame('done', '[DONE]'), []);
    assert.notDeepEqual(validateFrame('done', 'DONE'), []);
    assert.deepEqual(validateFrame('error', { error: { message: 'x', type: 'server_error', param: null, code: null } }), []);
    assert.notDeepEqual(validateFrame('error', { message: 'x', type: 'server_error', param: null, code: null }), [], 'the bare error shape is refused: only {"error":{…}} makes both SDKs raise');
  });
});
