/** Object shapes, ids, timestamps, lists and pagination (checklist #1, #4, #6, #7, #14–#28, #46–#48). */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startHarness, timestampFields, VARIANTS, type Harness } from './support/harness.ts';

const MODEL = 'scripted-chat-model';
const STEP_INCLUDE = 'step_details.tool_calls[*].file_search.results[*].content' as const;

for (const via of VARIANTS) {
  describe(`objects and lists (${via})`, () => {
    let h: Harness;
    before(async () => {
      h = await startHarness({ via });
    });
    after(async () => {
      await h.close();
    });

    test('#1 #4 #7 ids carry their prefixes, times are integer seconds, nullable fields are present', async () => {
      const assistant = await h.api.beta.assistants.create({ model: MODEL, tools: [{ type: 'function', function: { name: 'lookup' } }] });
      const file = await h.api.files.create({ file: new File(['some notes'], 'notes.md'), purpose: 'assistants' });
      const store = await h.api.vectorStores.create({ name: 'ids', file_ids: [file.id] });
      const batch = await h.api.vectorStores.fileBatches.create(store.id, { file_ids: [file.id] });
      const thread = await h.api.beta.threads.create({ messages: [{ role: 'user', content: 'look it up' }] });
      h.model.enqueue({ toolCalls: [{ name: 'lookup', arguments: {} }] });
      const run = await h.api.beta.threads.runs.createAndPoll(thread.id, { assistant_id: assistant.id });
      const steps = await h.api.beta.threads.runs.steps.list(run.id, { thread_id: thread.id });
      const [message] = (await h.api.beta.threads.messages.list(thread.id)).data;
      const call = run.required_action!.submit_tool_outputs.tool_calls[0]!;
      const ids: Array<[string, RegExp]> = [
        [assistant.id, /^asst_[A-Za-z0-9]+$/],
        [thread.id, /^thread_[A-Za-z0-9]+$/],
        [message!.id, /^msg_[A-Za-z0-9]+$/],
        [run.id, /^run_[A-Za-z0-9]+$/],
        [steps.data[0]!.id, /^step_[A-Za-z0-9]+$/],
        [call.id, /^call_[A-Za-z0-9]+$/],
        [file.id, /^file-[A-Za-z0-9]+$/],
        [store.id, /^vs_[A-Za-z0-9]+$/],
        [batch.id, /^vsfb_[A-Za-z0-9]+$/],
      ];
      for (const [id, pattern] of ids) assert.match(id, pattern);

      for (const object of [assistant, file, store, batch, thread, run, steps.data[0], message]) {
        for (const { path, value } of timestampFields(object)) {
          if (value === null) continue;
          assert.ok(Number.isInteger(value) && String(value).length <= 10, `${path} = ${String(value)} is not integer seconds`);
        }
      }
      const runKeys = ['required_action', 'last_error', 'expires_at', 'started_at', 'cancelled_at', 'failed_at', 'completed_at', 'incomplete_details', 'usage', 'max_prompt_tokens', 'max_completion_tokens'];
      const queued = await h.direct.beta.threads.runs.cancel(run.id, { thread_id: thread.id });
      for (const key of runKeys) assert.ok(key in queued, `run.${key} is present`);
      const step = steps.data[0]!;
      for (const key of ['last_error', 'expired_at', 'cancelled_at', 'failed_at', 'completed_at', 'usage']) assert.ok(key in step, `step.${key} is present`);
      for (const key of ['incomplete_details', 'completed_at', 'incomplete_at', 'assistant_id', 'run_id', 'attachments']) assert.ok(key in message!, `message.${key} is present`);
      assert.equal(message!.assistant_id, null);
    });

    test('#14 #15 #16 lists: newest first by default, asc reverses, limit 20 by default, has_more and first/last ids', async () => {
      const thread = await h.api.beta.threads.create();
      const created = [];
      for (let i = 0; i < 23; i++) created.push(await h.api.beta.threads.messages.create(thread.id, { role: 'user', content: `m${i}` }));
      const newest = await h.api.beta.threads.messages.list(thread.id);
      assert.equal(newest.data.length, 20);
      assert.equal(newest.data[0]!.id, created[22]!.id);
      assert.equal(newest.has_more, true);
      const body = newest.getPaginatedItems();
      assert.equal(body.length, 20);
      const raw = await h.api.beta.threads.messages.list(thread.id, { limit: 3 }).asResponse();
      const page = (await raw.json()) as { first_id: string; last_id: string; has_more: boolean };
      assert.deepEqual([page.first_id, page.last_id, page.has_more], [created[22]!.id, created[20]!.id, true]);
      const oldest = await h.api.beta.threads.messages.list(thread.id, { order: 'asc', limit: 5 });
      assert.deepEqual(oldest.data.map((m) => m.id), created.slice(0, 5).map((m) => m.id));
      const all = await h.api.beta.threads.messages.list(thread.id, { limit: 100 });
      assert.equal(all.data.length, 23);
      assert.equal(all.has_more, false);
    });

    test('#17 #18 paging with after visits every object once, even within one second; before returns the preceding page', async () => {
      const ids = new Set<string>();
      const made: string[] = [];
      for (let i = 0; i < 17; i++) made.push((await h.api.beta.assistants.create({ model: MODEL, metadata: { batch: 'paging' } })).id);
      const seen: string[] = [];
      for await (const assistant of h.api.beta.assistants.list({ limit: 4, order: 'asc' })) {
        if (assistant.metadata?.['batch'] === 'paging') seen.push(assistant.id);
        ids.add(assistant.id);
      }
      assert.deepEqual(seen, made, 'auto-pagination yields every assistant exactly once, in order');
      const pageOne = await h.api.beta.assistants.list({ limit: 4, order: 'asc', after: made[3]! });
      const back = await h.api.beta.assistants.list({ limit: 4, order: 'asc', before: pageOne.data[0]!.id });
      assert.deepEqual(back.data.map((a) => a.id), made.slice(0, 4));
    });

    test('#19 messages?run_id= returns only that run\'s messages; #28 additional_messages precede the answer', async () => {
      const assistant = await h.api.beta.assistants.create({ model: MODEL });
      const thread = await h.api.beta.threads.create({ messages: [{ role: 'user', content: 'first' }] });
      h.model.enqueue({ text: 'answer one' });
      const first = await h.api.beta.threads.runs.createAndPoll(thread.id, { assistant_id: assistant.id, additional_messages: [{ role: 'user', content: 'added by the run' }] });
      h.model.enqueue({ text: 'answer two' });
      const second = await h.api.beta.threads.runs.createAndPoll(thread.id, { assistant_id: assistant.id });
      const ofFirst = await h.api.beta.threads.messages.list(thread.id, { run_id: first.id });
      assert.deepEqual(ofFirst.data.map((m) => m.content[0]?.type === 'text' && m.content[0].text.value), ['answer one']);
      const ofSecond = await h.api.beta.threads.messages.list(thread.id, { run_id: second.id });
      assert.deepEqual(ofSecond.data.map((m) => m.content[0]?.type === 'text' && m.content[0].text.value), ['answer two']);
      const all = await h.api.beta.threads.messages.list(thread.id, { order: 'asc' });
      assert.deepEqual(all.data.map((m) => m.content[0]?.type === 'text' && m.content[0].text.value), ['first', 'added by the run', 'answer one', 'answer two']);
    });

    test('#20 #21 #22 #25 message create/modify: string content, assistant role, metadata-only modify', async () => {
      const thread = await h.api.beta.threads.create();
      const fromAssistant = await h.api.beta.threads.messages.create(thread.id, { role: 'assistant', content: 'I said this earlier.' });
      assert.equal(fromAssistant.role, 'assistant');
      assert.equal(fromAssistant.assistant_id, null);
      assert.equal(fromAssistant.run_id, null);
      const parts = await h.api.beta.threads.messages.create(thread.id, { role: 'user', content: [{ type: 'text', text: 'part one' }] });
      assert.deepEqual(parts.content, [{ type: 'text', text: { value: 'part one', annotations: [] } }]);
      const modified = await h.api.beta.threads.messages.update(parts.id, { thread_id: thread.id, metadata: { tag: 'x' } });
      assert.deepEqual(modified.metadata, { tag: 'x' });
      const refused = await h.raw('POST', `/v1/threads/${thread.id}/messages/${parts.id}`, { body: JSON.stringify({ content: 'rewrite' }) });
      assert.equal(refused.status, 400);
      assert.equal(refused.json.error.param, 'content');
    });

    test('#27 run overrides: model, instructions, tools, and additional_instructions appended', async () => {
      const assistant = await h.api.beta.assistants.create({ model: MODEL, instructions: 'Base.', tools: [{ type: 'function', function: { name: 'a' } }] });
      const thread = await h.api.beta.threads.create({ messages: [{ role: 'user', content: 'go' }] });
      h.model.enqueue({ text: 'ok' });
      const run = await h.api.beta.threads.runs.createAndPoll(thread.id, {
        assistant_id: assistant.id,
        model: 'override-model',
        instructions: 'Replaced.',
        additional_instructions: 'Also this.',
        tools: [{ type: 'function', function: { name: 'b' } }],
      });
      assert.equal(run.model, 'override-model');
      assert.equal(run.instructions, 'Replaced.\n\nAlso this.');
      assert.deepEqual(run.tools.map((t) => (t.type === 'function' ? t.function.name : t.type)), ['b']);
      const request = h.model.chatRequests().at(-1)!;
      assert.equal(request.model, 'override-model');
      assert.deepEqual(request.tools?.map((t) => (t.type === 'function' ? t.function.name : '')), ['b']);
      const withExtra = await (async () => {
        h.model.enqueue({ text: 'ok' });
        return h.api.beta.threads.runs.createAndPoll(thread.id, { assistant_id: assistant.id, additional_instructions: 'Extra.' });
      })();
      assert.equal(withExtra.instructions, 'Base.\n\nExtra.');
      assert.equal(withExtra.model, MODEL);
    });

    test('#46 #47 terminal runs carry usage equal to the sum of their steps; message steps point at thread messages', async () => {
      const assistant = await h.api.beta.assistants.create({ model: MODEL, tools: [{ type: 'function', function: { name: 'f' } }] });
      const thread = await h.api.beta.threads.create({ messages: [{ role: 'user', content: 'use f' }] });
      h.model.enqueue({ toolCalls: [{ name: 'f', arguments: {} }], usage: { promptTokens: 40, completionTokens: 7 } });
      const waiting = await h.api.beta.threads.runs.createAndPoll(thread.id, { assistant_id: assistant.id });
      h.model.enqueue({ text: 'done', usage: { promptTokens: 55, completionTokens: 3 } });
      await h.api.beta.threads.runs.submitToolOutputs(waiting.id, { thread_id: thread.id, tool_outputs: [{ tool_call_id: waiting.required_action!.submit_tool_outputs.tool_calls[0]!.id, output: 'ok' }] });
      const run = await h.api.beta.threads.runs.poll(waiting.id, { thread_id: thread.id });
      assert.equal(run.status, 'completed');
      assert.equal(run.expires_at, null);
      const steps = await h.api.beta.threads.runs.steps.list(run.id, { thread_id: thread.id });
      const sum = steps.data.reduce((total, step) => ({ p: total.p + (step.usage?.prompt_tokens ?? 0), c: total.c + (step.usage?.completion_tokens ?? 0) }), { p: 0, c: 0 });
      assert.deepEqual(run.usage, { prompt_tokens: 95, completion_tokens: 10, total_tokens: 105 });
      assert.deepEqual([sum.p, sum.c], [95, 10]);
      for (const step of steps.data) {
        if (step.step_details.type !== 'message_creation') continue;
        const message = await h.api.beta.threads.messages.retrieve(step.step_details.message_creation.message_id, { thread_id: thread.id });
        assert.equal(message.thread_id, thread.id);
      }
    });

    test('#48 run steps list/retrieve accept include[] for file_search result content', async () => {
      const assistant = await h.api.beta.assistants.create({ model: MODEL });
      const thread = await h.api.beta.threads.create({ messages: [{ role: 'user', content: 'hi' }] });
      h.model.enqueue({ text: 'hello' });
      const run = await h.api.beta.threads.runs.createAndPoll(thread.id, { assistant_id: assistant.id });
      const listed = await h.api.beta.threads.runs.steps.list(run.id, { thread_id: thread.id, include: [STEP_INCLUDE] });
      assert.equal(listed.data.length, 1);
      const one = await h.api.beta.threads.runs.steps.retrieve(listed.data[0]!.id, { thread_id: thread.id, run_id: run.id, include: [STEP_INCLUDE] });
      assert.deepEqual(one, listed.data[0]);
      const bad = await h.raw('GET', `/v1/threads/${thread.id}/runs/${run.id}/steps?include[]=step_details.everything`);
      assert.equal(bad.status, 400);
      assert.equal(bad.json.error.param, 'include[0]');
    });

    test('#6 vector-store and file endpoints answer with or without the beta header', async () => {
      for (const headers of [{}, { 'openai-beta': 'assistants=v2' }] as Array<Record<string, string>>) {
        const stores = await h.raw('GET', '/v1/vector_stores', { beta: false, headers });
        assert.equal(stores.status, 200);
        const files = await h.raw('GET', '/v1/files', { beta: false, headers });
        assert.equal(files.status, 200);
      }
      const listed = await h.api.vectorStores.list();
      assert.equal(listed.data.length > 0 || listed.has_more === false, true);
    });
  });
}
