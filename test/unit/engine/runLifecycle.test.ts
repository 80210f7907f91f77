// Checklist items 26–38, 46, 47: run defaults, overrides, locking, function calls, expiry, cancel.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { EngineError } from '../../../src/engine/errors.ts';
import type { Run } from '../../../src/engine/types/run.ts';
import { createEngineHarness, eventNames, type EngineHarness } from '../../support/engineHarness.ts';

const weather = { type: 'function' as const, function: { name: 'get_weather', parameters: { type: 'object', properties: { city: { type: 'string' } } } } };

describe('run lifecycle', () => {
  let h: EngineHarness;
  before(async () => (h = await createEngineHarness({ runExpirySeconds: 600 })));
  after(async () => h.close());

  function start(overrides: Record<string, unknown> = {}, content = 'hello'): { threadId: string; run: Run } {
    const assistant = h.assistant({ tools: [weather] });
    const thread = h.engine.threads.create({ messages: [{ role: 'user', content }] });
    return { threadId: thread.id, run: h.engine.runs.create(thread.id, { assistant_id: assistant.id, ...overrides }) };
  }

  test('#26 createRun returns a queued run with the v2 defaults', async () => {
    h.model.enqueue({ text: 'ok' });
    const { threadId, run } = start();
    assert.equal(run.status, 'queued');
    assert.equal(run.expires_at, run.created_at + 600);
    assert.equal(run.required_action, null);
    assert.equal(run.usage, null);
    assert.deepEqual(run.truncation_strategy, { type: 'auto', last_messages: null });
    assert.equal(run.tool_choice, 'auto');
    assert.equal(run.parallel_tool_calls, true);
    assert.equal(run.response_format, 'auto');
    await h.settle(threadId, run.id);
  });

  test('#27 overrides are reflected and additional_instructions is appended', async () => {
    h.model.enqueue({ text: 'ok' });
    const { threadId, run } = start({ model: 'other-model', instructions: 'Base.', additional_instructions: 'Also be brief.', tools: [] });
    assert.equal(run.model, 'other-model');
    assert.ok(run.instructions.startsWith('Base.') && run.instructions.endsWith('Also be brief.'));
    assert.deepEqual(run.tools, []);
    await h.settle(threadId, run.id);
    const sent = h.model.requests.at(-1)!.body as { model: string; messages: Array<{ role: string; content: string }> };
    assert.equal(sent.model, 'other-model');
    assert.ok(sent.messages[0]!.content.includes('Also be brief.'));
  });

  test('#28 additional_messages are in the thread before the run answer', async () => {
    h.model.enqueue({ text: 'answer' });
    const { threadId, run } = start({ additional_messages: [{ role: 'user', content: 'extra context' }] });
    await h.settle(threadId, run.id);
    const texts = h.engine.messages.list(threadId, { order: 'asc' }).data.map((m) => (m.content[0]!.type === 'text' ? m.content[0]!.text.value : ''));
    assert.deepEqual(texts, ['hello', 'extra context', 'answer']);
  });

  test('#29 #30 #31 an active run locks its thread; every terminal status releases it', async () => {
    h.model.enqueue({ text: 'slow', delayMs: 30, chunkSize: 1 });
    const { threadId, run } = start();
    assert.throws(
      () => h.engine.messages.create(threadId, { role: 'user', content: 'more' }),
      (error: unknown) => EngineError.is(error) && error.status === 400 && error.message === `Can't add messages to ${threadId} while a run ${run.id} is active.`,
    );
    const assistant = h.assistant();
    assert.throws(
      () => h.engine.runs.create(threadId, { assistant_id: assistant.id }),
      (error: unknown) => EngineError.is(error) && error.status === 400 && error.message === `Thread ${threadId} already has an active run ${run.id}.`,
    );
    const done = await h.settle(threadId, run.id);
    assert.equal(done.status, 'completed');
    h.engine.messages.create(threadId, { role: 'user', content: 'after completed' });
    // failed
    h.model.enqueue({ fault: { kind: 'httpError', status: 400, message: 'bad prompt' } });
    const failed = h.engine.runs.create(threadId, { assistant_id: assistant.id });
    assert.equal((await h.settle(threadId, failed.id)).status, 'failed');
    h.engine.messages.create(threadId, { role: 'user', content: 'after failed' });
    // cancelled
    h.model.enqueue({ text: 'x'.repeat(200), delayMs: 20, chunkSize: 1 });
    const cancelled = h.engine.runs.create(threadId, { assistant_id: assistant.id });
    await new Promise((resolve) => setTimeout(resolve, 50));
    h.engine.runs.cancel(threadId, cancelled.id);
    assert.equal((await h.settle(threadId, cancelled.id)).status, 'cancelled');
    h.engine.messages.create(threadId, { role: 'user', content: 'after cancelled' });
    // incomplete
    h.model.enqueue({ text: 'cut off', finishReason: 'length', usage: { promptTokens: 10, completionTokens: 256 } });
    const incomplete = h.engine.runs.create(threadId, { assistant_id: assistant.id, max_completion_tokens: 256 });
    assert.equal((await h.settle(threadId, incomplete.id)).status, 'incomplete');
    h.engine.messages.create(threadId, { role: 'user', content: 'after incomplete' });
  });

  test('#32 #33 #34 function calls → requires_action; submitting outputs continues the same run', async () => {
    h.model.enqueue({ toolCalls: [{ name: 'get_weather', arguments: { city: 'Paris' } }] }, { text: 'It is sunny in Paris.' });
    const { threadId, run } = start();
    const waiting = await h.settle(threadId, run.id);
    assert.equal(waiting.status, 'requires_action');
    assert.equal(waiting.required_action!.type, 'submit_tool_outputs');
    const call = waiting.required_action!.submit_tool_outputs.tool_calls[0]!;
    assert.match(call.id, /^call_/);
    assert.deepEqual(JSON.parse(call.function.arguments), { city: 'Paris' });
    const step = h.engine.runs.listSteps(threadId, run.id).data[0]!;
    assert.equal(step.status, 'in_progress');
    assert.equal(step.step_details.type === 'tool_calls' && step.step_details.tool_calls[0]!.type === 'function' ? step.step_details.tool_calls[0]!.function.output : 'x', null);

    const resumed = h.engine.runs.submitToolOutputs(threadId, run.id, { tool_outputs: [{ tool_call_id: call.id, output: '22C sunny' }] });
    assert.equal(resumed.status, 'queued');
    const final = await h.settle(threadId, run.id);
    assert.equal(final.status, 'completed');
    const toolStep = h.engine.runs.retrieveStep(threadId, run.id, step.id);
    assert.equal(toolStep.status, 'completed');
    assert.equal(toolStep.step_details.type === 'tool_calls' && toolStep.step_details.tool_calls[0]!.type === 'function' ? toolStep.step_details.tool_calls[0]!.function.output : null, '22C sunny');
    // The model saw the output on its second call.
    const second = h.model.requests.at(-1)!.body as { messages: Array<{ role: string; content: string; tool_call_id?: string }> };
    assert.ok(second.messages.some((m) => m.role === 'tool' && m.tool_call_id === call.id && m.content === '22C sunny'));
  });

  test('#35 wrong or missing tool outputs are 400 and leave the run unchanged', async () => {
    h.model.enqueue({ toolCalls: [{ name: 'get_weather', arguments: { city: 'A' } }, { name: 'get_weather', arguments: { city: 'B' } }] });
    const { threadId, run } = start();
    const waiting = await h.settle(threadId, run.id);
    const [first] = waiting.required_action!.submit_tool_outputs.tool_calls;
    const attempts = [
      { tool_outputs: [{ tool_call_id: first!.id, output: 'only one' }] },
      { tool_outputs: [{ tool_call_id: 'call_unknown', output: 'x' }] },
    ];
    for (const attempt of attempts) {
      assert.throws(() => h.engine.runs.submitToolOutputs(threadId, run.id, attempt), (error: unknown) => EngineError.is(error) && error.status === 400);
      assert.equal(h.engine.runs.retrieve(threadId, run.id).status, 'requires_action');
    }
    h.engine.runs.cancel(threadId, run.id);
    assert.throws(
      () => h.engine.runs.submitToolOutputs(threadId, run.id, { tool_outputs: [{ tool_call_id: first!.id, output: 'late' }] }),
      (error: unknown) => EngineError.is(error) && error.status === 400 && error.message.includes("status 'cancelled'"),
    );
  });

  test('#37 cancel on a running run returns cancelling and ends cancelled; its message ends incomplete', async () => {
    h.model.enqueue({ text: 'a long answer '.repeat(40), delayMs: 10, chunkSize: 2 });
    const { threadId, run } = start();
    const stream = h.collect(run.id);
    while (h.engine.messages.list(threadId, { run_id: run.id }).data.length === 0) await new Promise((resolve) => setTimeout(resolve, 5));
    const cancelling = h.engine.runs.cancel(threadId, run.id);
    assert.equal(cancelling.status, 'cancelling');
    const events = eventNames(await stream);
    assert.deepEqual(events.slice(-4), ['thread.message.incomplete', 'thread.run.step.cancelled', 'thread.run.cancelled', 'done']);
    assert.ok(events.includes('thread.run.cancelling'));
    const final = h.engine.runs.retrieve(threadId, run.id);
    assert.equal(final.status, 'cancelled');
    assert.ok(final.cancelled_at);
    const message = h.engine.messages.list(threadId, { run_id: run.id }).data[0]!;
    assert.equal(message.status, 'incomplete');
    assert.deepEqual(message.incomplete_details, { reason: 'run_cancelled' });
    // The abort reached the model server: the request was dropped, not drained.
    await new Promise((resolve) => setTimeout(resolve, 50));
    assert.equal(h.model.requests.at(-1)!.clientDisconnected, true);
  });

  test('#38 cancelling a terminal run is a 400 naming its status', async () => {
    h.model.enqueue({ text: 'done' });
    const { threadId, run } = start();
    await h.settle(threadId, run.id);
    assert.throws(() => h.engine.runs.cancel(threadId, run.id), (error: unknown) => EngineError.is(error) && error.message === "Cannot cancel run with status 'completed'.");
  });

  test('a run waiting in requires_action can be cancelled to free the thread', async () => {
    h.model.enqueue({ toolCalls: [{ name: 'get_weather', arguments: {} }] });
    const { threadId, run } = start();
    await h.settle(threadId, run.id);
    const events = h.collect(run.id, h.engine.hub.nextSeq(run.id));
    assert.equal(h.engine.runs.cancel(threadId, run.id).status, 'cancelling');
    assert.deepEqual(eventNames(await events), ['thread.run.cancelling', 'thread.run.step.cancelled', 'thread.run.cancelled', 'done']);
    h.engine.messages.create(threadId, { role: 'user', content: 'free again' });
  });

  test('#46 #47 terminal usage is the sum of step usage; message steps name messages of the thread', async () => {
    h.model.enqueue(
      { toolCalls: [{ name: 'get_weather', arguments: { city: 'X' } }], usage: { promptTokens: 100, completionTokens: 20 } },
      { text: 'done', usage: { promptTokens: 150, completionTokens: 7 } },
    );
    const { threadId, run } = start();
    const waiting = await h.settle(threadId, run.id);
    h.engine.runs.submitToolOutputs(threadId, run.id, { tool_outputs: [{ tool_call_id: waiting.required_action!.submit_tool_outputs.tool_calls[0]!.id, output: 'x' }] });
    const final = await h.settle(threadId, run.id);
    assert.deepEqual(final.usage, { prompt_tokens: 250, completion_tokens: 27, total_tokens: 277 });
    assert.equal(final.expires_at, null);
    const steps = h.engine.runs.listSteps(threadId, run.id, { order: 'asc' }).data;
    assert.equal(steps.length, 2);
    const summed = steps.reduce((sum, step) => sum + (step.usage?.total_tokens ?? 0), 0);
    assert.equal(summed, 277);
    const creation = steps[1]!;
    assert.equal(creation.type, 'message_creation');
    const messageId = creation.step_details.type === 'message_creation' ? creation.step_details.message_creation.message_id : '';
    assert.equal(h.engine.messages.retrieve(threadId, messageId).thread_id, threadId);
  });
});

describe('run expiry', () => {
  let h: EngineHarness;
  before(async () => (h = await createEngineHarness({ runExpirySeconds: 1 })));
  after(async () => h.close());

  test('#36 a run left in requires_action past expires_at expires, with its step', async () => {
    h.model.enqueue({ toolCalls: [{ name: 'get_weather', arguments: {} }] });
    const assistant = h.assistant({ tools: [weather] });
    const thread = h.engine.threads.create({ messages: [{ role: 'user', content: 'x' }] });
    const run = h.engine.runs.create(thread.id, { assistant_id: assistant.id });
    assert.equal((await h.settle(thread.id, run.id)).status, 'requires_action');
    await new Promise((resolve) => setTimeout(resolve, 1300));
    const expired = h.engine.runs.retrieve(thread.id, run.id);
    assert.equal(expired.status, 'expired');
    assert.equal(expired.expires_at, null);
    const step = h.engine.runs.listSteps(thread.id, run.id).data[0]!;
    assert.equal(step.status, 'expired');
    assert.ok(step.expired_at);
    h.engine.messages.create(thread.id, { role: 'user', content: 'unlocked' });
  });
});
