/**
 * The flows of the Assistants tutorials, driven by the official SDK against `threadwork serve`,
 * once straight and once through Prism (docs/assistants-v2.md §12; COVERAGE.md maps the items).
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { AssistantStreamEvent } from 'openai/resources/beta/assistants';
import { SseRecorder } from './support/sseRecorder.ts';
import { startHarness, VARIANTS, waitFor, type Harness } from './support/harness.ts';

const MODEL = 'scripted-chat-model';
const WEATHER_TOOL = {
  type: 'function' as const,
  function: { name: 'get_weather', description: 'Weather for a city', parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] } },
};

for (const via of VARIANTS) {
  describe(`tutorial flows (${via})`, () => {
    let h: Harness;
    before(async () => {
      h = await startHarness({ via });
    });
    after(async () => {
      await h.close();
    });

    test('#20 #21 #26 #47 create assistant, thread, message, run; poll to completion; list messages', async () => {
      const assistant = await h.api.beta.assistants.create({ model: MODEL, name: 'Math Tutor', instructions: 'You are a personal math tutor.' });
      assert.match(assistant.id, /^asst_/);
      const thread = await h.api.beta.threads.create();
      const message = await h.api.beta.threads.messages.create(thread.id, { role: 'user', content: 'Solve 3x + 11 = 14.' });
      assert.deepEqual(message.content, [{ type: 'text', text: { value: 'Solve 3x + 11 = 14.', annotations: [] } }]);
      assert.equal(message.assistant_id, null);
      assert.equal(message.run_id, null);
      assert.equal(message.status, 'completed');

      h.model.enqueue({ text: 'x = 1.' });
      const run = await h.api.beta.threads.runs.create(thread.id, { assistant_id: assistant.id });
      assert.equal(run.status, 'queued');
      assert.equal(run.expires_at, run.created_at + 600);
      assert.equal(run.required_action, null);
      assert.equal(run.usage, null);
      assert.deepEqual(run.truncation_strategy, { type: 'auto', last_messages: null });
      assert.equal(run.tool_choice, 'auto');
      assert.equal(run.parallel_tool_calls, true);
      assert.equal(run.response_format, 'auto');
      assert.equal(run.instructions, 'You are a personal math tutor.');

      const finished = await h.api.beta.threads.runs.poll(run.id, { thread_id: thread.id });
      assert.equal(finished.status, 'completed');
      assert.equal(finished.expires_at, null);
      assert.ok(finished.completed_at !== null && finished.usage !== null);

      const messages = await h.api.beta.threads.messages.list(thread.id, { order: 'asc' });
      assert.deepEqual(
        messages.data.map((m) => [m.role, m.content[0]?.type === 'text' ? m.content[0].text.value : null]),
        [
          ['user', 'Solve 3x + 11 = 14.'],
          ['assistant', 'x = 1.'],
        ],
      );
      const reply = messages.data[1]!;
      assert.equal(reply.run_id, run.id);
      assert.equal(reply.assistant_id, assistant.id);

      const steps = await h.api.beta.threads.runs.steps.list(run.id, { thread_id: thread.id });
      assert.equal(steps.data.length, 1);
      const step = steps.data[0]!;
      assert.equal(step.type, 'message_creation');
      assert.equal(step.status, 'completed');
      assert.ok(step.step_details.type === 'message_creation' && step.step_details.message_creation.message_id === reply.id);
    });

    test('#32 #33 #34 function calling: requires_action, then submitToolOutputs and completion', async () => {
      const assistant = await h.api.beta.assistants.create({ model: MODEL, tools: [WEATHER_TOOL] });
      const thread = await h.api.beta.threads.create({ messages: [{ role: 'user', content: 'Weather in Paris?' }] });
      h.model.enqueue({ toolCalls: [{ name: 'get_weather', arguments: { city: 'Paris' } }] });
      const waiting = await h.api.beta.threads.runs.createAndPoll(thread.id, { assistant_id: assistant.id });
      assert.equal(waiting.status, 'requires_action');
      assert.equal(waiting.required_action?.type, 'submit_tool_outputs');
      const [call] = waiting.required_action!.submit_tool_outputs.tool_calls;
      assert.match(call!.id, /^call_/);
      assert.equal(call!.function.name, 'get_weather');
      assert.deepEqual(JSON.parse(call!.function.arguments), { city: 'Paris' });

      const pending = await h.api.beta.threads.runs.steps.list(waiting.id, { thread_id: thread.id });
      const toolStep = pending.data.find((s) => s.type === 'tool_calls')!;
      assert.equal(toolStep.status, 'in_progress');
      assert.ok(toolStep.step_details.type === 'tool_calls');
      const pendingCall = toolStep.step_details.tool_calls[0]!;
      assert.ok(pendingCall.type === 'function' && pendingCall.function.output === null);

      h.model.enqueue({ text: 'It is sunny in Paris.' });
      const resumed = await h.api.beta.threads.runs.submitToolOutputs(waiting.id, { thread_id: thread.id, tool_outputs: [{ tool_call_id: call!.id, output: '22C, sunny' }] });
      assert.ok(['queued', 'in_progress', 'completed'].includes(resumed.status));
      const done = await h.api.beta.threads.runs.poll(waiting.id, { thread_id: thread.id });
      assert.equal(done.status, 'completed');
      const steps = await h.api.beta.threads.runs.steps.list(waiting.id, { thread_id: thread.id, order: 'asc' });
      assert.deepEqual(steps.data.map((s) => [s.type, s.status]), [
        ['tool_calls', 'completed'],
        ['message_creation', 'completed'],
      ]);
      const submitted = steps.data[0]!.step_details;
      assert.ok(submitted.type === 'tool_calls' && submitted.tool_calls[0]?.type === 'function' && submitted.tool_calls[0].function.output === '22C, sunny');
      // The model saw the tool output on its second call.
      const second = h.model.chatRequests().at(-1)!;
      assert.ok(second.messages.some((m) => m.role === 'tool' && m.content === '22C, sunny'));
    });

    test('#60 #53 runs.stream delivers text deltas and finalRun/finalMessages match the REST state', async () => {
      const assistant = await h.api.beta.assistants.create({ model: MODEL });
      const thread = await h.api.beta.threads.create({ messages: [{ role: 'user', content: 'Tell me a short story.' }] });
      h.model.enqueue({ text: 'Once upon a time, a server answered.', chunkSize: 5 });
      const deltas: string[] = [];
      const stream = h.direct.beta.threads.runs.stream(thread.id, { assistant_id: assistant.id });
      stream.on('textDelta', (delta) => deltas.push(delta.value ?? ''));
      const finalRun = await stream.finalRun();
      const finalMessages = await stream.finalMessages();
      assert.equal(finalRun.status, 'completed');
      assert.ok(deltas.length > 1, 'text arrives in several deltas');
      assert.equal(deltas.join(''), 'Once upon a time, a server answered.');
      const stored = await h.api.beta.threads.runs.retrieve(finalRun.id, { thread_id: thread.id });
      assert.equal(stored.status, finalRun.status);
      assert.deepEqual(stored.usage, finalRun.usage);
      const listed = await h.api.beta.threads.messages.list(thread.id, { run_id: finalRun.id });
      assert.deepEqual(listed.data.map((m) => m.id), finalMessages.map((m) => m.id));
      assert.deepEqual(listed.data[0]!.content, finalMessages[0]!.content);
      await h.recorder.settled();
      assert.deepEqual(h.recorder.problems, []);
    });

    test('#60 submitToolOutputsStream continues a function-call stream to completion', async () => {
      const assistant = await h.api.beta.assistants.create({ model: MODEL, tools: [WEATHER_TOOL] });
      const thread = await h.api.beta.threads.create({ messages: [{ role: 'user', content: 'Weather in Oslo?' }] });
      h.model.enqueue({ toolCalls: [{ name: 'get_weather', arguments: { city: 'Oslo' } }], argumentsChunkSize: 4 });
      const first = h.direct.beta.threads.runs.stream(thread.id, { assistant_id: assistant.id });
      const argumentDeltas: string[] = [];
      first.on('toolCallDelta', (delta) => {
        if (delta.type === 'function' && delta.function?.arguments) argumentDeltas.push(delta.function.arguments);
      });
      const waiting = await first.finalRun();
      assert.equal(waiting.status, 'requires_action');
      const call = waiting.required_action!.submit_tool_outputs.tool_calls[0]!;
      assert.equal(argumentDeltas.join(''), call.function.arguments);

      h.model.enqueue({ text: 'Cold and clear.' });
      const second = h.direct.beta.threads.runs.submitToolOutputsStream(waiting.id, { thread_id: thread.id, tool_outputs: [{ tool_call_id: call.id, output: '-3C' }] });
      const text: string[] = [];
      second.on('textDelta', (delta) => text.push(delta.value ?? ''));
      const done = await second.finalRun();
      assert.equal(done.status, 'completed');
      assert.equal(text.join(''), 'Cold and clear.');
      const stored = await h.api.beta.threads.runs.retrieve(waiting.id, { thread_id: thread.id });
      assert.equal(stored.status, 'completed');
      await h.recorder.settled();
      assert.deepEqual(h.recorder.problems, []);
    });

    test('#50 #60 createAndRunStream starts with thread.created and completes', async () => {
      const assistant = await h.api.beta.assistants.create({ model: MODEL });
      h.model.enqueue({ text: 'Hello from a new thread.' });
      const events: AssistantStreamEvent[] = [];
      const stream = h.direct.beta.threads.createAndRunStream({ assistant_id: assistant.id, thread: { messages: [{ role: 'user', content: 'Hi' }] } });
      stream.on('event', (event) => events.push(event));
      const run = await stream.finalRun();
      assert.equal(run.status, 'completed');
      assert.deepEqual(events.slice(0, 4).map((e) => e.event), ['thread.created', 'thread.run.created', 'thread.run.queued', 'thread.run.in_progress']);
      const thread = await h.api.beta.threads.retrieve(run.thread_id);
      assert.equal(thread.id, run.thread_id);
      const messages = await h.api.beta.threads.messages.list(run.thread_id, { order: 'asc' });
      assert.deepEqual(messages.data.map((m) => m.role), ['user', 'assistant']);
      await h.recorder.settled();
      assert.deepEqual(h.recorder.problems, []);
    });

    test('createAndPoll on createAndRun (POST /threads/runs) completes', async () => {
      const assistant = await h.api.beta.assistants.create({ model: MODEL });
      h.model.enqueue({ text: 'Polled answer.' });
      const run = await h.api.beta.threads.createAndRunPoll({ assistant_id: assistant.id, thread: { messages: [{ role: 'user', content: 'Hi' }] } });
      assert.equal(run.status, 'completed');
      const messages = await h.api.beta.threads.messages.list(run.thread_id);
      assert.equal(messages.data[0]!.content[0]?.type === 'text' && messages.data[0]!.content[0].text.value, 'Polled answer.');
    });

    test('#37 cancel a running run: cancelling, then cancelled with the open message incomplete', async () => {
      const assistant = await h.api.beta.assistants.create({ model: MODEL });
      const thread = await h.api.beta.threads.create({ messages: [{ role: 'user', content: 'Write slowly.' }] });
      h.model.enqueue({ text: 'one two three four five six seven eight nine ten', chunkSize: 4, delayMs: 150 });
      const run = await h.api.beta.threads.runs.create(thread.id, { assistant_id: assistant.id });
      await waitFor(async () => {
        const page = await h.direct.beta.threads.messages.list(thread.id, { run_id: run.id });
        return page.data.length > 0 ? true : undefined;
      }, 'the assistant message to open');
      const cancelling = await h.api.beta.threads.runs.cancel(run.id, { thread_id: thread.id });
      assert.equal(cancelling.status, 'cancelling');
      const final = await h.api.beta.threads.runs.poll(run.id, { thread_id: thread.id });
      assert.equal(final.status, 'cancelled');
      assert.ok(Number.isInteger(final.cancelled_at));
      const [message] = (await h.api.beta.threads.messages.list(thread.id, { run_id: run.id })).data;
      assert.equal(message!.status, 'incomplete');
      assert.deepEqual(message!.incomplete_details, { reason: 'run_cancelled' });
    });

    test('#13 deletes return {id, object: "<type>.deleted", deleted: true} and later GETs 404', async () => {
      const assistant = await h.api.beta.assistants.create({ model: MODEL });
      const thread = await h.api.beta.threads.create({ messages: [{ role: 'user', content: 'keep' }, { role: 'user', content: 'drop' }] });
      const messages = await h.api.beta.threads.messages.list(thread.id, { order: 'asc' });
      const dropped = messages.data[1]!;
      assert.deepEqual(await h.api.beta.threads.messages.delete(dropped.id, { thread_id: thread.id }), { id: dropped.id, object: 'thread.message.deleted', deleted: true });
      await assert.rejects(h.direct.beta.threads.messages.retrieve(dropped.id, { thread_id: thread.id }), { status: 404 });
      assert.deepEqual(await h.api.beta.threads.delete(thread.id), { id: thread.id, object: 'thread.deleted', deleted: true });
      await assert.rejects(h.direct.beta.threads.retrieve(thread.id), { status: 404 });
      assert.deepEqual(await h.api.beta.assistants.delete(assistant.id), { id: assistant.id, object: 'assistant.deleted', deleted: true });
      await assert.rejects(h.direct.beta.assistants.retrieve(assistant.id), { status: 404 });
      const file = await h.api.files.create({ file: new File(['bytes'], 'note.txt'), purpose: 'assistants' });
      assert.deepEqual(await h.api.files.delete(file.id), { id: file.id, object: 'file', deleted: true });
      await assert.rejects(h.direct.files.retrieve(file.id), { status: 404 });
      const store = await h.api.vectorStores.create({ name: 'gone' });
      assert.deepEqual(await h.api.vectorStores.delete(store.id), { id: store.id, object: 'vector_store.deleted', deleted: true });
      await assert.rejects(h.direct.vectorStores.retrieve(store.id), { status: 404 });
    });

    test('streams recorded in this file framed and validated cleanly', async () => {
      await h.recorder.settled();
      assert.ok(h.recorder.streams.length >= 4);
      for (const stream of h.recorder.streams) {
        assert.equal(stream.contentType, 'text/event-stream');
        assert.ok(stream.complete);
        assert.equal(SseRecorder.events(stream).at(-1)?.event, 'done');
      }
      assert.deepEqual(h.recorder.problems, []);
    });
  });
}
