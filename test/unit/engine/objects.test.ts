// Checklist items about ids, shapes, deletes and messages (docs/assistants-v2.md §12), at the engine level.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { EngineError } from '../../../src/engine/errors.ts';
import { createEngineHarness, type EngineHarness } from '../../support/engineHarness.ts';

describe('objects', () => {
  let h: EngineHarness;
  before(async () => (h = await createEngineHarness()));
  after(async () => h.close());

  test('#1 every created object id carries its prefix', async () => {
    h.model.enqueue({ toolCalls: [{ name: 'lookup', arguments: { q: 'x' } }] });
    const assistant = h.assistant({ tools: [{ type: 'function', function: { name: 'lookup', parameters: { type: 'object', properties: { q: { type: 'string' } } } } }] });
    const thread = h.engine.threads.create({ messages: [{ role: 'user', content: 'go' }] });
    const message = h.engine.messages.list(thread.id).data[0]!;
    const run = h.engine.runs.create(thread.id, { assistant_id: assistant.id });
    const settled = await h.settle(thread.id, run.id);
    const step = h.engine.runs.listSteps(thread.id, run.id).data[0]!;
    const file = h.engine.files.create({ filename: 'a.txt', purpose: 'assistants', bytes: new TextEncoder().encode('hello') });
    assert.match(assistant.id, /^asst_[A-Za-z0-9]{24}$/);
    assert.match(thread.id, /^thread_/);
    assert.match(message.id, /^msg_/);
    assert.match(run.id, /^run_/);
    assert.match(step.id, /^step_/);
    assert.match(settled.required_action!.submit_tool_outputs.tool_calls[0]!.id, /^call_/);
    assert.match(file.id, /^file-/);
    h.engine.runs.cancel(thread.id, run.id);
  });

  test('#2 a path id with the wrong prefix is a 400 naming the parameter and prefix', () => {
    assert.throws(
      () => h.engine.threads.retrieve('run_abc'),
      (error: unknown) => EngineError.is(error) && error.status === 400 && error.param === 'thread_id' && error.message === "Invalid 'thread_id': 'run_abc'. Expected an ID that begins with 'thread'.",
    );
    assert.throws(() => h.engine.assistants.retrieve('thread_x'), (error: unknown) => EngineError.is(error) && error.message.includes("begins with 'asst'"));
  });

  test('#3 unknown but well-formed ids are 404 with the v2 body', () => {
    try {
      h.engine.assistants.retrieve('asst_doesnotexist');
      assert.fail('expected a 404');
    } catch (error) {
      assert.ok(EngineError.is(error, 'not_found'));
      assert.equal(error.status, 404);
      assert.deepEqual(error.toBody(), { error: { message: "No assistant found with id 'asst_doesnotexist'.", type: 'invalid_request_error', param: null, code: null } });
    }
  });

  test('#4 all *_at fields are integer seconds', async () => {
    h.model.enqueue({ text: 'ok' });
    const assistant = h.assistant();
    const thread = h.engine.threads.create({ messages: [{ role: 'user', content: 'hi' }] });
    const run = h.engine.runs.create(thread.id, { assistant_id: assistant.id });
    const final = await h.settle(thread.id, run.id);
    const objects: Array<Record<string, unknown>> = [
      assistant as never,
      thread as never,
      final as never,
      ...(h.engine.messages.list(thread.id).data as never[]),
      ...(h.engine.runs.listSteps(thread.id, run.id).data as never[]),
    ];
    let checked = 0;
    for (const object of objects) {
      for (const [key, value] of Object.entries(object)) {
        if (!key.endsWith('_at') || value === null) continue;
        assert.ok(Number.isInteger(value) && String(value).length <= 10, `${key}=${String(value)}`);
        checked++;
      }
    }
    assert.ok(checked >= 8);
  });

  test('#7 required-but-nullable fields are present as null', async () => {
    const assistant = h.assistant();
    const thread = h.engine.threads.create();
    h.model.enqueue({ text: 'ok', delayMs: 20 });
    const run = h.engine.runs.create(thread.id, { assistant_id: assistant.id });
    for (const key of ['required_action', 'last_error', 'started_at', 'cancelled_at', 'failed_at', 'completed_at', 'incomplete_details', 'usage', 'max_prompt_tokens', 'max_completion_tokens']) {
      assert.ok(key in run, `run.${key} present`);
      assert.equal((run as unknown as Record<string, unknown>)[key], null, `run.${key} is null`);
    }
    await h.settle(thread.id, run.id);
    const message = h.engine.messages.create(thread.id, { role: 'user', content: 'hello' });
    for (const key of ['assistant_id', 'run_id', 'incomplete_at', 'incomplete_details', 'attachments']) {
      assert.ok(key in message, `message.${key} present`);
      assert.equal((message as unknown as Record<string, unknown>)[key], null);
    }
    const step = h.engine.runs.listSteps(thread.id, run.id).data[0]!;
    for (const key of ['last_error', 'expired_at', 'cancelled_at', 'failed_at']) assert.equal((step as unknown as Record<string, unknown>)[key], null);
  });

  test('#13 deletes return <type>.deleted and later reads are 404', () => {
    const assistant = h.assistant();
    const thread = h.engine.threads.create({ messages: [{ role: 'user', content: 'x' }] });
    const message = h.engine.messages.list(thread.id).data[0]!;
    const file = h.engine.files.create({ filename: 'b.txt', purpose: 'assistants', bytes: new Uint8Array([1, 2]) });
    assert.deepEqual(h.engine.messages.delete(thread.id, message.id), { id: message.id, object: 'thread.message.deleted', deleted: true });
    assert.deepEqual(h.engine.assistants.delete(assistant.id), { id: assistant.id, object: 'assistant.deleted', deleted: true });
    assert.deepEqual(h.engine.threads.delete(thread.id), { id: thread.id, object: 'thread.deleted', deleted: true });
    assert.deepEqual(h.engine.files.delete(file.id), { id: file.id, object: 'file', deleted: true });
    assert.throws(() => h.engine.assistants.retrieve(assistant.id), (error: unknown) => EngineError.is(error, 'not_found'));
    assert.throws(() => h.engine.threads.retrieve(thread.id), (error: unknown) => EngineError.is(error, 'not_found'));
    assert.throws(() => h.engine.files.retrieve(file.id), (error: unknown) => EngineError.is(error, 'not_found'));
  });

  test('#20 plain string content becomes one text part with empty annotations', () => {
    const thread = h.engine.threads.create();
    const message = h.engine.messages.create(thread.id, { role: 'user', content: 'plain words' });
    assert.deepEqual(message.content, [{ type: 'text', text: { value: 'plain words', annotations: [] } }]);
  });

  test('#21 client-created messages have null assistant and run ids and a valid status', () => {
    const thread = h.engine.threads.create();
    const message = h.engine.messages.create(thread.id, { role: 'user', content: [{ type: 'text', text: 'part' }] });
    assert.equal(message.assistant_id, null);
    assert.equal(message.run_id, null);
    assert.equal(message.status, 'completed');
    assert.equal(message.completed_at, message.created_at);
  });

  test('#22 clients can create assistant-role messages', () => {
    const thread = h.engine.threads.create();
    const message = h.engine.messages.create(thread.id, { role: 'assistant', content: 'I said this earlier.' });
    assert.equal(message.role, 'assistant');
    assert.equal(h.engine.messages.retrieve(thread.id, message.id).role, 'assistant');
  });

  test('#8 #9 #10 #12 metadata, field lengths, tool counts and function names are validated', () => {
    const metadata = Object.fromEntries(Array.from({ length: 17 }, (_, i) => [`k${i}`, 'v']));
    assert.throws(() => h.assistant({ metadata }), (error: unknown) => EngineError.is(error) && error.code === 'object_above_max_properties' && error.param === 'metadata');
    assert.throws(() => h.assistant({ metadata: { k: 'v'.repeat(513) } }), (error: unknown) => EngineError.is(error) && error.code === 'string_above_max_length');
    assert.throws(() => h.assistant({ name: 'n'.repeat(257) }), (error: unknown) => EngineError.is(error) && error.param === 'name');
    const tools = Array.from({ length: 129 }, () => ({ type: 'code_interpreter' as const }));
    assert.throws(() => h.assistant({ tools }), (error: unknown) => EngineError.is(error) && error.code === 'array_above_max_length');
    assert.throws(
      () => h.assistant({ tools: [{ type: 'function', function: { name: 'has space' } }] }),
      (error: unknown) => EngineError.is(error) && error.param === 'tools[0].function.name',
    );
  });

  test('modify changes only what it names and keeps the rest', () => {
    const assistant = h.assistant({ name: 'first', metadata: { a: '1' } });
    const updated = h.engine.assistants.update(assistant.id, { name: 'second' });
    assert.equal(updated.name, 'second');
    assert.deepEqual(updated.metadata, { a: '1' });
    assert.equal(h.engine.assistants.retrieve(assistant.id).name, 'second');
  });
});
