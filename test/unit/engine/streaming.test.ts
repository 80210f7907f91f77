// Checklist items 50–58 at the engine level: the event log a run writes is the v2 stream.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Message } from '../../../src/engine/types/message.ts';
import type { Run } from '../../../src/engine/types/run.ts';
import type { StreamEvent } from '../../../src/engine/types/streamEvent.ts';
import { createEngineHarness, eventNames, type EngineHarness } from '../../support/engineHarness.ts';

const lookup = { type: 'function' as const, function: { name: 'lookup', parameters: { type: 'object', properties: { q: { type: 'string' } } } } };

/** The invariants every stream segment must keep, checked on any event list. */
function assertWellFormed(events: StreamEvent[]): void {
  const openedSteps = new Set<string>();
  const openedMessages = new Set<string>();
  let openMessage: string | null = null;
  for (const { event, data } of events) {
    if (event === 'thread.run.step.created') openedSteps.add((data as { id: string }).id);
    if (event === 'thread.run.step.delta') {
      const delta = data as { id: string; delta: { step_details: { tool_calls?: Array<{ index?: number }> } } };
      assert.ok(openedSteps.has(delta.id), '#51 step.created precedes its deltas');
      for (const call of delta.delta.step_details.tool_calls ?? []) assert.equal(typeof call.index, 'number', '#55 every delta entry has an index');
    }
    if (event === 'thread.message.created') {
      assert.equal(openMessage, null, '#52 at most one message is open');
      openMessage = (data as Message).id;
      openedMessages.add(openMessage);
    }
    if (event === 'thread.message.delta') {
      const delta = data as { id: string; delta: { content: Array<{ index?: number }> } };
      assert.ok(openedMessages.has(delta.id), '#51 message.created precedes its deltas');
      for (const part of delta.delta.content) assert.equal(typeof part.index, 'number', '#55');
    }
    if (event === 'thread.message.completed' || event === 'thread.message.incomplete') openMessage = null;
  }
  const names = eventNames(events);
  assert.equal(names.at(-1), 'done', '#58 ends with done');
  const runEnds = names.filter((name) => /^thread\.run\.(completed|incomplete|failed|cancelled|expired|requires_action)$/.test(name));
  assert.equal(runEnds.length, 1, '#58 exactly one terminal-or-requires_action run event');
  assert.equal(names.at(-2), runEnds[0]);
}

describe('streaming', () => {
  let h: EngineHarness;
  before(async () => (h = await createEngineHarness()));
  after(async () => h.close());

  function start(): { threadId: string; run: Run } {
    const assistant = h.assistant({ tools: [lookup] });
    const thread = h.engine.threads.create({ messages: [{ role: 'user', content: 'hello' }] });
    return { threadId: thread.id, run: h.engine.runs.create(thread.id, { assistant_id: assistant.id }) };
  }

  test('#50 #53 a text run: first three events, then deltas that concatenate to the final text', async () => {
    const text = 'Streaming, one small piece at a time — with ünïcode too.';
    h.model.enqueue({ text, chunkSize: 3 });
    const { run } = start();
    const events = await h.collect(run.id);
    assertWellFormed(events);
    assert.deepEqual(eventNames(events).slice(0, 3), ['thread.run.created', 'thread.run.queued', 'thread.run.in_progress']);
    const deltas = events.filter((e) => e.event === 'thread.message.delta').map((e) => (e.data as { delta: { content: Array<{ text?: { value?: string } }> } }).delta.content[0]!.text?.value ?? '');
    assert.ok(deltas.length > 10);
    const completed = events.find((e) => e.event === 'thread.message.completed')!.data as Message;
    const finalText = completed.content[0]!.type === 'text' ? completed.content[0]!.text.value : '';
    assert.equal(deltas.join(''), text);
    assert.equal(finalText, text);
    const first = (events.find((e) => e.event === 'thread.message.delta')!.data as { delta: { content: Array<{ text: { annotations?: unknown[] } }> } }).delta.content[0]!;
    assert.deepEqual(first.text.annotations, []);
  });

  test('#54 #56 #57 function-call stream: argument deltas, requires_action then done; the submit stream continues', async () => {
    h.model.enqueue({ toolCalls: [{ name: 'lookup', arguments: { q: 'a fairly long query string' } }], argumentsChunkSize: 4 }, { text: 'answer' });
    const { threadId, run } = start();
    const events = await h.collect(run.id);
    assertWellFormed(events);
    assert.deepEqual(eventNames(events).slice(-2), ['thread.run.requires_action', 'done']);
    const argumentPieces = events
      .filter((e) => e.event === 'thread.run.step.delta')
      .flatMap((e) => (e.data as { delta: { step_details: { tool_calls: Array<{ function?: { arguments?: string } }> } } }).delta.step_details.tool_calls)
      .map((call) => call.function?.arguments ?? '');
    const waiting = events.find((e) => e.event === 'thread.run.requires_action')!.data as Run;
    const call = waiting.required_action!.submit_tool_outputs.tool_calls[0]!;
    assert.equal(argumentPieces.join(''), call.function.arguments);
    assert.ok(argumentPieces.filter((piece) => piece.length > 0).length > 3);

    const from = h.engine.hub.nextSeq(run.id);
    h.engine.runs.submitToolOutputs(threadId, run.id, { tool_outputs: [{ tool_call_id: call.id, output: 'found' }] });
    const resumed = await h.collect(run.id, from);
    assertWellFormed(resumed);
    assert.deepEqual(eventNames(resumed).slice(0, 3), ['thread.run.step.completed', 'thread.run.queued', 'thread.run.in_progress']);
    assert.deepEqual(eventNames(resumed).slice(-2), ['thread.run.completed', 'done']);
  });

  test('createThreadAndRun starts its stream with thread.created', async () => {
    h.model.enqueue({ text: 'hi' });
    const assistant = h.assistant();
    const { thread, run } = h.engine.runs.createThreadAndRun({ assistant_id: assistant.id, thread: { messages: [{ role: 'user', content: 'x' }] } });
    const events = await h.collect(run.id);
    assertWellFormed(events);
    assert.deepEqual(eventNames(events).slice(0, 4), ['thread.created', 'thread.run.created', 'thread.run.queued', 'thread.run.in_progress']);
    assert.equal((events[0]!.data as { id: string }).id, thread.id);
  });

  test('a subscriber that joins late replays what it missed (snapshot-then-events)', async () => {
    h.model.enqueue({ text: 'late joiners miss nothing', chunkSize: 2, delayMs: 2 });
    const { threadId, run } = start();
    await h.settle(threadId, run.id);
    const replay = await h.collect(run.id, 0);
    assertWellFormed(replay);
    const seqs: number[] = [];
    h.engine.hub.subscribe(run.id, 3, (event) => seqs.push(event.seq))();
    assert.deepEqual(seqs, Array.from({ length: replay.length - 3 }, (_, i) => i + 3));
  });
});

describe('event log snapshots', () => {
  test('replaying a finished run from seq 0 gives each snapshot as it was when published', async () => {
    const h = await createEngineHarness();
    try {
      h.model.enqueue({ text: 'abcdefghij', chunkSize: 2 });
      const assistant = h.assistant();
      const thread = h.engine.threads.create({ messages: [{ role: 'user', content: 'x' }] });
      const run = h.engine.runs.create(thread.id, { assistant_id: assistant.id });
      await h.settle(thread.id, run.id);
      const replay = await h.collect(run.id, 0);
      const created = replay.find((event) => event.event === 'thread.message.created')!.data as Message;
      assert.deepEqual(created.content, [], 'the created snapshot has no text yet');
      assertWellFormed(replay);
    } finally {
      await h.close();
    }
  });
});
