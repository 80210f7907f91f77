/** Run lifecycle and semantics (checklist #31, #36, #39, #41–#45). */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startHarness, VARIANTS, waitFor, type Harness } from './support/harness.ts';

const MODEL = 'scripted-chat-model';
const fn = (name: string) => ({ type: 'function' as const, function: { name, parameters: { type: 'object', properties: {} } } });

for (const via of VARIANTS) {
  describe(`run lifecycle (${via})`, () => {
    let h: Harness;
    before(async () => {
      h = await startHarness({ via });
    });
    after(async () => {
      await h.close();
    });

    /** The lock is free again when a message can be added. */
    async function assertUnlocked(threadId: string): Promise<void> {
      const message = await h.api.beta.threads.messages.create(threadId, { role: 'user', content: 'lock released?' });
      assert.equal(message.thread_id, threadId);
    }

    test('#31 #45 locks are released on completed, failed (rate limit / server error), cancelled and incomplete', async () => {
      const assistant = await h.api.beta.assistants.create({ model: MODEL, tools: [fn('f')] });
      const thread = await h.api.beta.threads.create({ messages: [{ role: 'user', content: 'start' }] });

      h.model.enqueue({ text: 'fine' });
      assert.equal((await h.api.beta.threads.runs.createAndPoll(thread.id, { assistant_id: assistant.id })).status, 'completed');
      await assertUnlocked(thread.id);

      h.model.enqueue({ fault: { kind: 'rateLimit', message: 'Slow down.' } });
      const limited = await h.api.beta.threads.runs.createAndPoll(thread.id, { assistant_id: assistant.id });
      assert.equal(limited.status, 'failed');
      assert.equal(limited.last_error?.code, 'rate_limit_exceeded');
      assert.ok(Number.isInteger(limited.failed_at));
      await assertUnlocked(thread.id);

      h.model.enqueue({ fault: { kind: 'httpError', status: 500, message: 'upstream broke' } });
      const broken = await h.api.beta.threads.runs.createAndPoll(thread.id, { assistant_id: assistant.id });
      assert.equal(broken.status, 'failed');
      assert.equal(broken.last_error?.code, 'server_error');
      await assertUnlocked(thread.id);

      h.model.enqueue({ toolCalls: [{ name: 'f', arguments: {} }] });
      const waiting = await h.api.beta.threads.runs.createAndPoll(thread.id, { assistant_id: assistant.id });
      assert.equal(waiting.status, 'requires_action');
      const cancelled = await h.api.beta.threads.runs.cancel(waiting.id, { thread_id: thread.id });
      assert.ok(['cancelling', 'cancelled'].includes(cancelled.status));
      assert.equal((await h.api.beta.threads.runs.poll(waiting.id, { thread_id: thread.id })).status, 'cancelled');
      await assertUnlocked(thread.id);

      h.model.enqueue({ text: 'cut short by the cap', finishReason: 'length' });
      const capped = await h.api.beta.threads.runs.createAndPoll(thread.id, { assistant_id: assistant.id, max_completion_tokens: 256 });
      assert.equal(capped.status, 'incomplete');
      await assertUnlocked(thread.id);
    });

    test('#39 hitting max_completion_tokens: run incomplete (max_completion_tokens), message incomplete (max_tokens)', async () => {
      const assistant = await h.api.beta.assistants.create({ model: MODEL });
      const thread = await h.api.beta.threads.create({ messages: [{ role: 'user', content: 'write a lot' }] });
      h.model.enqueue({ text: 'a long answer that stops', finishReason: 'length' });
      const run = await h.api.beta.threads.runs.createAndPoll(thread.id, { assistant_id: assistant.id, max_completion_tokens: 300 });
      assert.equal(run.status, 'incomplete');
      assert.deepEqual(run.incomplete_details, { reason: 'max_completion_tokens' });
      const [message] = (await h.api.beta.threads.messages.list(thread.id, { run_id: run.id })).data;
      assert.equal(message!.status, 'incomplete');
      assert.deepEqual(message!.incomplete_details, { reason: 'max_tokens' });
      assert.equal(h.model.chatRequests().at(-1)!.max_tokens ?? h.model.chatRequests().at(-1)!.max_completion_tokens, 300);
    });

    test('#41 token caps are cumulative across the run\'s model calls', async () => {
      const assistant = await h.api.beta.assistants.create({ model: MODEL, tools: [fn('f')] });
      const thread = await h.api.beta.threads.create({ messages: [{ role: 'user', content: 'two calls' }] });
      h.model.enqueue({ toolCalls: [{ name: 'f', arguments: {} }], usage: { promptTokens: 120, completionTokens: 200 } });
      const waiting = await h.api.beta.threads.runs.createAndPoll(thread.id, { assistant_id: assistant.id, max_completion_tokens: 500, max_prompt_tokens: 5000 });
      const first = h.model.chatRequests().at(-1)!;
      assert.equal(first.max_tokens ?? first.max_completion_tokens, 500);
      h.model.enqueue({ text: 'second call', usage: { promptTokens: 150, completionTokens: 10 } });
      await h.api.beta.threads.runs.submitToolOutputs(waiting.id, { thread_id: thread.id, tool_outputs: [{ tool_call_id: waiting.required_action!.submit_tool_outputs.tool_calls[0]!.id, output: 'x' }] });
      const run = await h.api.beta.threads.runs.poll(waiting.id, { thread_id: thread.id });
      assert.equal(run.status, 'completed');
      const second = h.model.chatRequests().at(-1)!;
      assert.equal(second.max_tokens ?? second.max_completion_tokens, 300, 'the second call may only spend what the first left');
      assert.deepEqual(run.usage, { prompt_tokens: 270, completion_tokens: 210, total_tokens: 480 });
    });

    test('#42 truncation_strategy last_messages sends only the N most recent messages', async () => {
      const assistant = await h.api.beta.assistants.create({ model: MODEL });
      const thread = await h.api.beta.threads.create({ messages: ['one', 'two', 'three', 'four', 'five'].map((content) => ({ role: 'user' as const, content })) });
      h.model.enqueue({ text: 'ok' });
      const run = await h.api.beta.threads.runs.createAndPoll(thread.id, { assistant_id: assistant.id, truncation_strategy: { type: 'last_messages', last_messages: 2 } });
      assert.deepEqual(run.truncation_strategy, { type: 'last_messages', last_messages: 2 });
      const sent = h.model.chatRequests().at(-1)!.messages.filter((m) => m.role === 'user').map((m) => m.content);
      assert.deepEqual(sent, ['four', 'five']);
    });

    test('#43 tool_choice none never makes a tool step; a named function always makes exactly that call', async () => {
      const assistant = await h.api.beta.assistants.create({ model: MODEL, tools: [fn('alpha'), fn('beta')] });
      const thread = await h.api.beta.threads.create({ messages: [{ role: 'user', content: 'choose' }] });
      h.model.enqueue({ text: 'No tools for me.', toolCalls: [{ name: 'alpha', arguments: {} }] });
      const none = await h.api.beta.threads.runs.createAndPoll(thread.id, { assistant_id: assistant.id, tool_choice: 'none' });
      assert.equal(none.status, 'completed');
      const request = h.model.chatRequests().at(-1)!;
      assert.ok(!request.tools?.length || request.tool_choice === 'none');
      const steps = await h.api.beta.threads.runs.steps.list(none.id, { thread_id: thread.id });
      assert.ok(steps.data.every((step) => step.type !== 'tool_calls'));

      h.model.enqueue({ toolCalls: [{ name: 'beta', arguments: {} }] });
      const named = await h.api.beta.threads.runs.createAndPoll(thread.id, { assistant_id: assistant.id, tool_choice: { type: 'function', function: { name: 'beta' } } });
      assert.deepEqual(h.model.chatRequests().at(-1)!.tool_choice, { type: 'function', function: { name: 'beta' } });
      assert.deepEqual(named.required_action!.submit_tool_outputs.tool_calls.map((call) => call.function.name), ['beta']);
      await h.api.beta.threads.runs.cancel(named.id, { thread_id: thread.id });
    });

    test('#44 parallel_tool_calls false yields at most one function call per required_action', async () => {
      const assistant = await h.api.beta.assistants.create({ model: MODEL, tools: [fn('f'), fn('g')] });
      const thread = await h.api.beta.threads.create({ messages: [{ role: 'user', content: 'both' }] });
      h.model.enqueue({ toolCalls: [{ name: 'f', arguments: {} }, { name: 'g', arguments: {} }] });
      const serial = await h.api.beta.threads.runs.createAndPoll(thread.id, { assistant_id: assistant.id, parallel_tool_calls: false });
      assert.equal(serial.parallel_tool_calls, false);
      assert.equal(serial.required_action!.submit_tool_outputs.tool_calls.length, 1);
      assert.equal(h.model.chatRequests().at(-1)!.parallel_tool_calls, false);
      await h.api.beta.threads.runs.cancel(serial.id, { thread_id: thread.id });
      await h.api.beta.threads.runs.poll(serial.id, { thread_id: thread.id });
      h.model.enqueue({ toolCalls: [{ name: 'f', arguments: {} }, { name: 'g', arguments: {} }] });
      const parallel = await h.api.beta.threads.runs.createAndPoll(thread.id, { assistant_id: assistant.id });
      assert.equal(parallel.required_action!.submit_tool_outputs.tool_calls.length, 2);
      await h.api.beta.threads.runs.cancel(parallel.id, { thread_id: thread.id });
    });

    test('modify run metadata; list runs newest first', async () => {
      const assistant = await h.api.beta.assistants.create({ model: MODEL });
      const thread = await h.api.beta.threads.create({ messages: [{ role: 'user', content: 'x' }] });
      h.model.enqueue({ text: 'a' });
      const first = await h.api.beta.threads.runs.createAndPoll(thread.id, { assistant_id: assistant.id });
      h.model.enqueue({ text: 'b' });
      const second = await h.api.beta.threads.runs.createAndPoll(thread.id, { assistant_id: assistant.id });
      const updated = await h.api.beta.threads.runs.update(first.id, { thread_id: thread.id, metadata: { reviewed: 'yes' } });
      assert.deepEqual(updated.metadata, { reviewed: 'yes' });
      const runs = await h.api.beta.threads.runs.list(thread.id);
      assert.deepEqual(runs.data.map((run) => run.id), [second.id, first.id]);
    });
  });
}

describe('run expiry (direct)', () => {
  let h: Harness;
  before(async () => {
    h = await startHarness({ runExpirySeconds: 1 });
  });
  after(async () => {
    await h.close();
  });

  test('#36 #31 a run left in requires_action past expires_at becomes expired, its step expired, the lock released', async () => {
    const assistant = await h.direct.beta.assistants.create({ model: MODEL, tools: [fn('f')] });
    const thread = await h.direct.beta.threads.create({ messages: [{ role: 'user', content: 'call and wait' }] });
    h.model.enqueue({ toolCalls: [{ name: 'f', arguments: {} }] });
    const waiting = await h.direct.beta.threads.runs.createAndPoll(thread.id, { assistant_id: assistant.id });
    assert.equal(waiting.status, 'requires_action');
    assert.equal(waiting.expires_at, waiting.created_at + 1);
    const expired = await waitFor(async () => {
      const run = await h.direct.beta.threads.runs.retrieve(waiting.id, { thread_id: thread.id });
      return run.status === 'expired' ? run : undefined;
    }, 'the run to expire', 5_000);
    assert.equal(expired.required_action, null);
    const [step] = (await h.direct.beta.threads.runs.steps.list(expired.id, { thread_id: thread.id })).data;
    assert.equal(step!.status, 'expired');
    assert.ok(Number.isInteger(step!.expired_at));
    const late = await h.raw('POST', `/v1/threads/${thread.id}/runs/${expired.id}/submit_tool_outputs`, {
      body: JSON.stringify({ tool_outputs: [{ tool_call_id: waiting.required_action!.submit_tool_outputs.tool_calls[0]!.id, output: 'late' }] }),
    });
    assert.equal(late.status, 400);
    const message = await h.direct.beta.threads.messages.create(thread.id, { role: 'user', content: 'free again' });
    assert.equal(message.thread_id, thread.id);
  });
});
