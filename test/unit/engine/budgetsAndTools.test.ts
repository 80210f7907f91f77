// Checklist items 39–45: token budgets, truncation, tool choice, parallel calls, provider errors.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { EngineError } from '../../../src/engine/errors.ts';
import type { Run } from '../../../src/engine/types/run.ts';
import { createEngineHarness, type EngineHarness } from '../../support/engineHarness.ts';

const lookup = { type: 'function' as const, function: { name: 'lookup', parameters: { type: 'object', properties: {} } } };
const other = { type: 'function' as const, function: { name: 'other', parameters: { type: 'object', properties: {} } } };

type ChatBody = { messages: Array<{ role: string; content: unknown }>; tools?: unknown[]; tool_choice?: unknown; max_completion_tokens?: number; max_tokens?: number; parallel_tool_calls?: boolean };

describe('budgets, truncation and tool choice', () => {
  let h: EngineHarness;
  before(async () => (h = await createEngineHarness()));
  after(async () => h.close());

  function start(overrides: Record<string, unknown> = {}, messages: string[] = ['hi']): { threadId: string; run: Run } {
    const assistant = h.assistant({ tools: [lookup, other] });
    const thread = h.engine.threads.create({ messages: messages.map((content) => ({ role: 'user' as const, content })) });
    return { threadId: thread.id, run: h.engine.runs.create(thread.id, { assistant_id: assistant.id, ...overrides }) };
  }

  test('#39 hitting max_completion_tokens ends the run incomplete with an incomplete message', async () => {
    h.model.enqueue({ text: 'This answer runs out of', finishReason: 'length', usage: { promptTokens: 20, completionTokens: 300 } });
    const { threadId, run } = start({ max_completion_tokens: 300 });
    const final = await h.settle(threadId, run.id);
    assert.equal(final.status, 'incomplete');
    assert.deepEqual(final.incomplete_details, { reason: 'max_completion_tokens' });
    const message = h.engine.messages.list(threadId, { run_id: run.id }).data[0]!;
    assert.equal(message.status, 'incomplete');
    assert.deepEqual(message.incomplete_details, { reason: 'max_tokens' });
    const body = h.model.requests.at(-1)!.body as ChatBody;
    assert.equal(body.max_completion_tokens ?? body.max_tokens, 300);
  });

  test('#40 token caps below 256 are refused', () => {
    for (const cap of ['max_prompt_tokens', 'max_completion_tokens']) {
      assert.throws(() => start({ [cap]: 255 }), (error: unknown) => EngineError.is(error) && error.status === 400 && error.param === cap);
    }
  });

  test('#41 caps are cumulative across the model calls of one run', async () => {
    h.model.enqueue({ toolCalls: [{ name: 'lookup', arguments: {} }], usage: { promptTokens: 50, completionTokens: 300 } }, { text: 'final', usage: { promptTokens: 60, completionTokens: 10 } });
    const { threadId, run } = start({ max_completion_tokens: 1000 });
    const waiting = await h.settle(threadId, run.id);
    h.engine.runs.submitToolOutputs(threadId, run.id, { tool_outputs: [{ tool_call_id: waiting.required_action!.submit_tool_outputs.tool_calls[0]!.id, output: 'r' }] });
    await h.settle(threadId, run.id);
    const bodies = h.model.requests.slice(-2).map((request) => request.body as ChatBody);
    assert.equal(bodies[0]!.max_completion_tokens ?? bodies[0]!.max_tokens, 1000);
    assert.equal(bodies[1]!.max_completion_tokens ?? bodies[1]!.max_tokens, 700);
  });

  test('#41 a prompt larger than what is left of max_prompt_tokens ends incomplete (max_prompt_tokens)', async () => {
    const long = 'word '.repeat(400);
    const { threadId, run } = start({ max_prompt_tokens: 256, truncation_strategy: { type: 'last_messages', last_messages: 1 } }, [long]);
    const final = await h.settle(threadId, run.id);
    assert.equal(final.status, 'incomplete');
    assert.deepEqual(final.incomplete_details, { reason: 'max_prompt_tokens' });
  });

  test('#42 last_messages sends only the N most recent messages', async () => {
    h.model.enqueue({ text: 'ok' });
    const { threadId, run } = start({ truncation_strategy: { type: 'last_messages', last_messages: 2 } }, ['one', 'two', 'three', 'four', 'five']);
    await h.settle(threadId, run.id);
    const body = h.model.requests.at(-1)!.body as ChatBody;
    const userContents = body.messages.filter((m) => m.role === 'user').map((m) => m.content);
    assert.deepEqual(userContents, ['four', 'five']);
  });

  test('auto truncation drops the middle of a long thread to fit max_prompt_tokens, keeping the first and latest', async () => {
    h.model.enqueue({ text: 'ok' });
    const messages = ['FIRST task statement', ...Array.from({ length: 30 }, (_, i) => `filler ${i} ${'lorem ipsum '.repeat(20)}`), 'LATEST question'];
    const { threadId, run } = start({ max_prompt_tokens: 800 }, messages);
    assert.equal((await h.settle(threadId, run.id)).status, 'completed');
    const body = h.model.requests.at(-1)!.body as ChatBody;
    const userContents = body.messages.filter((m) => m.role === 'user').map((m) => String(m.content));
    assert.equal(userContents[0], 'FIRST task statement');
    assert.equal(userContents.at(-1), 'LATEST question');
    assert.ok(userContents.length < messages.length);
  });

  test('#43 tool_choice none never produces a tool_calls step, even if the model calls a tool', async () => {
    h.model.enqueue({ text: 'no tools here', toolCalls: [{ name: 'lookup', arguments: {} }] });
    const { threadId, run } = start({ tool_choice: 'none' });
    assert.equal((await h.settle(threadId, run.id)).status, 'completed');
    const steps = h.engine.runs.listSteps(threadId, run.id).data;
    assert.deepEqual(steps.map((s) => s.type), ['message_creation']);
    const body = h.model.requests.at(-1)!.body as ChatBody;
    assert.ok(!body.tools || body.tools.length === 0);
  });

  test('#43 a named function choice is sent to the model and yields exactly that call', async () => {
    h.model.enqueue({ toolCalls: [{ name: 'other', arguments: {} }] });
    const { threadId, run } = start({ tool_choice: { type: 'function', function: { name: 'other' } } });
    const waiting = await h.settle(threadId, run.id);
    const body = h.model.requests.at(-1)!.body as ChatBody;
    assert.deepEqual(body.tool_choice, { type: 'function', function: { name: 'other' } });
    assert.deepEqual(waiting.required_action!.submit_tool_outputs.tool_calls.map((c) => c.function.name), ['other']);
    h.engine.runs.cancel(threadId, run.id);
  });

  test('#44 parallel_tool_calls false yields at most one function call per required_action', async () => {
    h.model.enqueue({ toolCalls: [{ name: 'lookup', arguments: { n: 1 } }, { name: 'other', arguments: { n: 2 } }] });
    const { threadId, run } = start({ parallel_tool_calls: false });
    const waiting = await h.settle(threadId, run.id);
    assert.equal(waiting.required_action!.submit_tool_outputs.tool_calls.length, 1);
    assert.equal((h.model.requests.at(-1)!.body as ChatBody).parallel_tool_calls, false);
    h.engine.runs.cancel(threadId, run.id);
  });

  test('parallel calls arrive together in one required_action', async () => {
    h.model.enqueue({ toolCalls: [{ name: 'lookup', arguments: { n: 1 } }, { name: 'other', arguments: { n: 2 } }] });
    const { threadId, run } = start();
    const waiting = await h.settle(threadId, run.id);
    assert.deepEqual(waiting.required_action!.submit_tool_outputs.tool_calls.map((c) => c.function.name), ['lookup', 'other']);
    h.engine.runs.cancel(threadId, run.id);
  });

  test('#45 a provider rate limit fails the run with rate_limit_exceeded; other failures are server_error', async () => {
    h.model.enqueue(
      { fault: { kind: 'rateLimit', retryAfterMs: 1 } },
      { fault: { kind: 'rateLimit', retryAfterMs: 1 } },
      { fault: { kind: 'rateLimit', retryAfterMs: 1 } },
    );
    const limited = start();
    const failed = await h.settle(limited.threadId, limited.run.id);
    assert.equal(failed.status, 'failed');
    assert.equal(failed.last_error!.code, 'rate_limit_exceeded');
    assert.ok(failed.failed_at);

    h.model.enqueue({ fault: { kind: 'httpError', status: 500 } }, { fault: { kind: 'httpError', status: 500 } }, { fault: { kind: 'httpError', status: 500 } });
    const broken = start();
    const serverError = await h.settle(broken.threadId, broken.run.id);
    assert.equal(serverError.status, 'failed');
    assert.equal(serverError.last_error!.code, 'server_error');
  });

  test('response_format json_schema is passed to the model', async () => {
    h.model.enqueue({ text: '{"a":1}' });
    const schema = { type: 'object', properties: { a: { type: 'number' } }, required: ['a'], additionalProperties: false };
    const { threadId, run } = start({ response_format: { type: 'json_schema', json_schema: { name: 'answer', schema, strict: true } } });
    await h.settle(threadId, run.id);
    const body = h.model.requests.at(-1)!.body as { response_format?: { type: string; json_schema?: { name: string } } };
    assert.equal(body.response_format?.type, 'json_schema');
    assert.equal(body.response_format?.json_schema?.name, 'answer');
  });
});
