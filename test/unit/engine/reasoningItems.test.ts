// Reasoning models on the Responses API with store: false: the encrypted reasoning of a turn that
// called tools goes back with those calls, so the model goes on from its own thinking instead of
// starting over. The scripted server checks the items as the real API does (reasoningItems.ts).
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createEngineHarness, type EngineHarness } from '../../support/engineHarness.ts';

const lookup = { type: 'function' as const, function: { name: 'lookup', parameters: { type: 'object', properties: { q: { type: 'string' } } } } };

type InputItem = { type?: string; id?: string; encrypted_content?: string; call_id?: string; role?: string };
type ResponsesBody = { include?: string[]; input: InputItem[]; reasoning?: { effort?: string } };

describe('reasoning items across tool calls', () => {
  let h: EngineHarness;
  before(async () => (h = await createEngineHarness({ kind: 'responses' })));
  after(async () => h.close());

  test('each turn that called tools sends its encrypted reasoning back right before those calls, and the run completes', async () => {
    h.model.enqueue(
      { reasoning: true, toolCalls: [{ name: 'lookup', arguments: { q: 'first' } }] },
      { reasoning: true, text: 'Looked once, now a second time.', toolCalls: [{ name: 'lookup', arguments: { q: 'second' } }] },
      { reasoning: true, text: 'Both lookups agree.' },
    );
    const assistant = h.assistant({ tools: [lookup], reasoning_effort: 'low' });
    const thread = h.engine.threads.create({ messages: [{ role: 'user', content: 'Look it up twice.' }] });
    const run = h.engine.runs.create(thread.id, { assistant_id: assistant.id });
    for (let call = 0; call < 2; call++) {
      const waiting = await h.settle(thread.id, run.id);
      assert.equal(waiting.status, 'requires_action', waiting.last_error?.message);
      const [pending] = waiting.required_action!.submit_tool_outputs.tool_calls;
      h.engine.runs.submitToolOutputs(thread.id, run.id, { tool_outputs: [{ tool_call_id: pending!.id, output: `result ${call}` }] });
    }
    const final = await h.settle(thread.id, run.id);
    assert.equal(final.status, 'completed', final.last_error?.message);

    const bodies = h.model.requests.filter((request) => request.endpoint === 'responses').slice(-3).map((request) => request.body as unknown as ResponsesBody);
    for (const body of bodies) assert.deepEqual(body.include, ['reasoning.encrypted_content']);
    assert.equal(bodies[0]!.input.some((item) => item.type === 'reasoning'), false, 'nothing to send back before the first call');

    const shape = (body: ResponsesBody): string[] => body.input.map((item) => item.type ?? item.role ?? '?');
    assert.deepEqual(shape(bodies[1]!), ['message', 'reasoning', 'function_call', 'function_call_output']);
    // The second turn's text is its own message before its reasoning and call; both reasonings go back.
    assert.deepEqual(shape(bodies[2]!), ['message', 'reasoning', 'function_call', 'function_call_output', 'message', 'reasoning', 'function_call', 'function_call_output']);
    const reasonings = bodies[2]!.input.filter((item) => item.type === 'reasoning');
    assert.deepEqual(reasonings.map((item) => item.id), ['rs_000001', 'rs_000002'], "the first and second responses' reasoning, in order");
    assert.ok(reasonings.every((item) => typeof item.encrypted_content === 'string' && item.encrypted_content.length > 0));
  });

  test('without a reasoning effort nothing is asked for or sent back', async () => {
    h.model.enqueue({ toolCalls: [{ name: 'lookup', arguments: { q: 'plain' } }] }, { text: 'done' });
    const assistant = h.assistant({ tools: [lookup] });
    const thread = h.engine.threads.create({ messages: [{ role: 'user', content: 'Look it up.' }] });
    const run = h.engine.runs.create(thread.id, { assistant_id: assistant.id });
    const waiting = await h.settle(thread.id, run.id);
    const [pending] = waiting.required_action!.submit_tool_outputs.tool_calls;
    h.engine.runs.submitToolOutputs(thread.id, run.id, { tool_outputs: [{ tool_call_id: pending!.id, output: 'r' }] });
    assert.equal((await h.settle(thread.id, run.id)).status, 'completed');
    for (const request of h.model.requests.slice(-2)) {
      const body = request.body as unknown as ResponsesBody;
      assert.equal(body.include, undefined);
      assert.equal(body.input.some((item) => item.type === 'reasoning'), false);
    }
  });
});
