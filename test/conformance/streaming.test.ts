/**
 * Server-Sent Events on the wire (checklist #49–#59, #73): every frame the SDK received is
 * recorded by the harness's fetch wrapper, checked for framing and validated against the spec's
 * stream-event schemas; these tests then check orders and contents.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { APIError } from 'openai';
import type { StreamEvent } from '../../src/engine/types/streamEvent.ts';
import { startHarness, type Harness } from './support/harness.ts';
import { SseRecorder } from './support/sseRecorder.ts';

const MODEL = 'scripted-chat-model';
const TERMINAL_OR_ACTION = new Set(['thread.run.completed', 'thread.run.failed', 'thread.run.cancelled', 'thread.run.expired', 'thread.run.incomplete', 'thread.run.requires_action']);

/** Checks the ordering rules every stream must follow (#51, #52, #55, #58). */
function checkStreamRules(events: StreamEvent[]): void {
  const createdSteps = new Set<string>();
  const createdMessages = new Set<string>();
  const open = new Set<string>();
  const annotationFields = new Set<string>();
  for (const { event, data } of events) {
    if (event === 'thread.run.step.created') createdSteps.add(data.id);
    if (event === 'thread.run.step.delta') {
      assert.ok(createdSteps.has(data.id), '#51 step.created precedes the step\'s deltas');
      const details = data.delta.step_details;
      if (details.type === 'tool_calls') for (const call of details.tool_calls) assert.equal(typeof call.index, 'number', '#55 tool call delta entries carry index');
    }
    if (event === 'thread.message.created') {
      createdMessages.add(data.id);
      open.add(data.id);
      assert.ok(open.size <= 1, '#52 at most one message is open at a time');
    }
    if (event === 'thread.message.completed' || event === 'thread.message.incomplete') open.delete(data.id);
    if (event === 'thread.message.delta') {
      assert.ok(createdMessages.has(data.id), '#51 message.created precedes the message\'s deltas');
      for (const part of data.delta.content) {
        assert.equal(typeof part.index, 'number', '#55 content delta entries carry index');
        if (part.type !== 'text') continue;
        for (const annotation of part.text.annotations ?? []) {
          assert.equal(typeof annotation.index, 'number', '#55 annotation entries carry index');
          const key = `${data.id}/${part.index}/${annotation.index}`;
          if ('start_index' in annotation) {
            assert.ok(!annotationFields.has(key), '#55 numeric annotation fields are sent once per index');
            annotationFields.add(key);
          }
        }
      }
    }
  }
  const runEvents = events.filter((e) => TERMINAL_OR_ACTION.has(e.event));
  assert.equal(runEvents.length, 1, '#58 exactly one terminal-or-requires_action run event');
  assert.deepEqual(events.slice(-2).map((e) => e.event), [runEvents[0]!.event, 'done'], '#58 that event is followed by done, which ends the stream');
  assert.equal(events.at(-1)!.data, '[DONE]');
}

describe('streaming on the wire (direct)', () => {
  let h: Harness;
  before(async () => {
    h = await startHarness();
  });
  after(async () => {
    await h.close();
  });

  async function lastStream(): Promise<StreamEvent[]> {
    await h.recorder.settled();
    const stream = h.recorder.streams.at(-1)!;
    assert.equal(stream.contentType, 'text/event-stream', '#49 Content-Type: text/event-stream');
    return SseRecorder.events(stream);
  }

  test('#49 #50 #51 #53 #58 a text answer: opening events, order, and deltas that add up to the message', async () => {
    const assistant = await h.direct.beta.assistants.create({ model: MODEL });
    const thread = await h.direct.beta.threads.create({ messages: [{ role: 'user', content: 'hi' }] });
    h.model.enqueue({ text: 'Hello, streaming world! Line two\nhas a newline.', chunkSize: 6 });
    await h.direct.beta.threads.runs.stream(thread.id, { assistant_id: assistant.id }).finalRun();
    const events = await lastStream();
    assert.deepEqual(events.slice(0, 3).map((e) => e.event), ['thread.run.created', 'thread.run.queued', 'thread.run.in_progress']);
    assert.deepEqual(
      events.map((e) => e.event).filter((name) => name !== 'thread.message.delta'),
      [
        'thread.run.created', 'thread.run.queued', 'thread.run.in_progress',
        'thread.run.step.created', 'thread.run.step.in_progress',
        'thread.message.created', 'thread.message.in_progress',
        'thread.message.completed', 'thread.run.step.completed',
        'thread.run.completed', 'done',
      ],
    );
    const text = events.flatMap((e) => (e.event === 'thread.message.delta' ? e.data.delta.content.map((part) => (part.type === 'text' ? (part.text.value ?? '') : '')) : [])).join('');
    const completed = events.find((e) => e.event === 'thread.message.completed')!;
    assert.ok(completed.event === 'thread.message.completed' && completed.data.content[0]?.type === 'text');
    assert.equal(text, completed.data.content[0].text.value);
    assert.equal(text, 'Hello, streaming world! Line two\nhas a newline.');
    const created = events.find((e) => e.event === 'thread.run.step.created')!;
    assert.ok(created.event === 'thread.run.step.created' && created.data.step_details.type === 'message_creation');
    checkStreamRules(events);
    assert.deepEqual(h.recorder.problems, []);
  });

  test('#52 #54 #56 text then parallel function calls: the message closes first, argument deltas add up, requires_action then done', async () => {
    const assistant = await h.direct.beta.assistants.create({
      model: MODEL,
      tools: [{ type: 'function', function: { name: 'lookup', parameters: { type: 'object', properties: { q: { type: 'string' } } } } }],
    });
    const thread = await h.direct.beta.threads.create({ messages: [{ role: 'user', content: 'find two things' }] });
    h.model.enqueue({ text: 'Let me check.', toolCalls: [{ name: 'lookup', arguments: { q: 'first thing' } }, { name: 'lookup', arguments: { q: 'second thing' } }], argumentsChunkSize: 5 });
    const run = await h.direct.beta.threads.runs.stream(thread.id, { assistant_id: assistant.id }).finalRun();
    assert.equal(run.status, 'requires_action');
    const events = await lastStream();
    assert.deepEqual(events.slice(-2).map((e) => e.event), ['thread.run.requires_action', 'done']);
    const argumentsByIndex = new Map<number, string>();
    const idByIndex = new Map<number, string>();
    for (const event of events) {
      if (event.event !== 'thread.run.step.delta' || event.data.delta.step_details.type !== 'tool_calls') continue;
      for (const call of event.data.delta.step_details.tool_calls) {
        if (call.type !== 'function') continue;
        if (call.id) {
          assert.ok(!idByIndex.has(call.index), 'a call id is sent once, with its first fragment');
          idByIndex.set(call.index, call.id);
        }
        argumentsByIndex.set(call.index, (argumentsByIndex.get(call.index) ?? '') + (call.function?.arguments ?? ''));
      }
    }
    const required = run.required_action!.submit_tool_outputs.tool_calls;
    assert.equal(required.length, 2);
    for (const [index, call] of required.entries()) {
      assert.equal(idByIndex.get(index), call.id);
      assert.equal(argumentsByIndex.get(index), call.function.arguments, '#54 argument deltas concatenate to required_action arguments');
    }
    const messageDone = events.findIndex((e) => e.event === 'thread.message.completed');
    const toolStep = events.findIndex((e) => e.event === 'thread.run.step.created' && e.data.step_details.type === 'tool_calls');
    assert.ok(messageDone >= 0 && messageDone < toolStep, '#52 the text message is completed before the tool step opens');
    checkStreamRules(events);
    await h.direct.beta.threads.runs.cancel(run.id, { thread_id: thread.id });
  });

  test('#57 submit_tool_outputs with stream opens with step.completed (outputs filled), queued, in_progress', async () => {
    const assistant = await h.direct.beta.assistants.create({ model: MODEL, tools: [{ type: 'function', function: { name: 'f' } }] });
    const thread = await h.direct.beta.threads.create({ messages: [{ role: 'user', content: 'call f' }] });
    h.model.enqueue({ toolCalls: [{ name: 'f', arguments: {} }] });
    const waiting = await h.direct.beta.threads.runs.stream(thread.id, { assistant_id: assistant.id }).finalRun();
    const call = waiting.required_action!.submit_tool_outputs.tool_calls[0]!;
    h.model.enqueue({ text: 'thanks' });
    await h.direct.beta.threads.runs.submitToolOutputsStream(waiting.id, { thread_id: thread.id, tool_outputs: [{ tool_call_id: call.id, output: 'result!' }] }).finalRun();
    const events = await lastStream();
    assert.deepEqual(events.slice(0, 3).map((e) => e.event), ['thread.run.step.completed', 'thread.run.queued', 'thread.run.in_progress']);
    const completedStep = events[0]!;
    assert.ok(completedStep.event === 'thread.run.step.completed' && completedStep.data.step_details.type === 'tool_calls');
    const submitted = completedStep.data.step_details.tool_calls[0]!;
    assert.ok(submitted.type === 'function' && submitted.function.output === 'result!');
    assert.equal(events.at(-2)!.event, 'thread.run.completed');
    checkStreamRules(events);
  });

  test('#58 cancelled and failed streams end with their terminal event and done', async () => {
    const assistant = await h.direct.beta.assistants.create({ model: MODEL });
    const thread = await h.direct.beta.threads.create({ messages: [{ role: 'user', content: 'fail please' }] });
    h.model.enqueue({ fault: { kind: 'httpError', status: 500, message: 'boom' } });
    const failed = await h.direct.beta.threads.runs.stream(thread.id, { assistant_id: assistant.id }).finalRun();
    assert.equal(failed.status, 'failed');
    const failedEvents = await lastStream();
    assert.equal(failedEvents.at(-2)!.event, 'thread.run.failed');
    checkStreamRules(failedEvents);

    h.model.enqueue({ text: 'slow words arriving one at a time', chunkSize: 3, delayMs: 100 });
    const stream = h.direct.beta.threads.runs.stream(thread.id, { assistant_id: assistant.id });
    stream.once('textDelta', () => {
      const run = stream.currentRun();
      if (run) void h.direct.beta.threads.runs.cancel(run.id, { thread_id: thread.id });
    });
    const cancelled = await stream.finalRun();
    assert.equal(cancelled.status, 'cancelled');
    const events = await lastStream();
    const names = events.map((e) => e.event);
    assert.ok(names.includes('thread.run.cancelling'));
    assert.ok(names.indexOf('thread.message.incomplete') < names.indexOf('thread.run.cancelled'));
    checkStreamRules(events);
    assert.deepEqual(h.recorder.problems, []);
  });

  test('a client that disconnects mid-stream ends only its subscription: the run completes', async () => {
    const assistant = await h.direct.beta.assistants.create({ model: MODEL });
    const thread = await h.direct.beta.threads.create({ messages: [{ role: 'user', content: 'keep going' }] });
    h.model.enqueue({ text: 'this answer keeps streaming after the client left', chunkSize: 4, delayMs: 30 });
    const stream = h.direct.beta.threads.runs.stream(thread.id, { assistant_id: assistant.id });
    let runId = '';
    await new Promise<void>((resolve) => {
      stream.once('textDelta', () => {
        runId = stream.currentRun()!.id;
        stream.abort();
        resolve();
      });
    });
    await stream.done().catch(() => undefined);
    const run = await h.direct.beta.threads.runs.poll(runId, { thread_id: thread.id, pollIntervalMs: 20 } as never);
    assert.equal(run.status, 'completed');
    const [message] = (await h.direct.beta.threads.messages.list(thread.id, { run_id: runId })).data;
    assert.ok(message!.content[0]?.type === 'text' && message!.content[0].text.value === 'this answer keeps streaming after the client left');
    assert.deepEqual(h.recorder.problems, []);
  });
});

describe('stream-level failure (direct)', () => {
  test('#59 a stream cut by the server stopping ends with event: error {"error":{…}} and the SDK raises APIError', async () => {
    const h = await startHarness();
    try {
      const assistant = await h.direct.beta.assistants.create({ model: MODEL });
      const thread = await h.direct.beta.threads.create({ messages: [{ role: 'user', content: 'long answer' }] });
      h.model.enqueue({ text: 'a long answer that the server will not finish streaming', chunkSize: 3, delayMs: 50 });
      const stream = h.direct.beta.threads.runs.stream(thread.id, { assistant_id: assistant.id });
      stream.once('textDelta', () => void h.server.close());
      const failure = await stream.finalRun().then(
        () => assert.fail('the stream should fail'),
        (error: unknown) => error,
      );
      assert.ok(failure instanceof APIError, `expected APIError, got ${String(failure)}`);
      assert.equal((failure.error as { code?: string }).code, 'stream_interrupted');
      await h.recorder.settled();
      const events = SseRecorder.events(h.recorder.streams.at(-1)!);
      const last = events.at(-1)!;
      assert.equal(last.event, 'error');
      assert.ok(last.event === 'error');
      assert.deepEqual(Object.keys(last.data.error).sort(), ['code', 'message', 'param', 'type']);
      assert.deepEqual(h.recorder.problems, []);
    } finally {
      await h.close();
    }
  });
});
