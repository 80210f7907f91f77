// The parts of model setup and usage accounting that need no VS Code: the Language Model API
// mapping (both directions), run cost from reported usage and the price table, the context
// estimate, and recognising a server's refusal of tool calls.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { ModelEvent, ModelRequest } from '../../../src/engine/ports/modelBackend.ts';
import { countText } from '../../../src/engine/runs/tokenCounter.ts';
import type { Message } from '../../../src/engine/types/message.ts';
import { mapRequest, mapResponseStream, type LanguageModelPartFactory } from '../../../src/vscode/lm/languageModelMapping.ts';
import { isToolRefusal, withoutToolsWhenRefused } from '../../../src/vscode/setup/toolRefusals.ts';
import { describeContext, estimateContext } from '../../../src/vscode/usage/contextEstimate.ts';
import { DEFAULT_PRICES, formatCost, formatTokens, parsePriceTable, priceFor, runCost } from '../../../src/vscode/usage/runCost.ts';

type Built = { role: 'user' | 'assistant'; parts: unknown[] };
const factory: LanguageModelPartFactory<Built> = { user: (parts) => ({ role: 'user', parts }), assistant: (parts) => ({ role: 'assistant', parts }) };

function request(overrides: Partial<ModelRequest> = {}): ModelRequest {
  return {
    model: 'm', instructions: 'Be brief.', toolChoice: 'auto', parallelToolCalls: false,
    tools: [{ name: 'read_file', description: 'Reads', parameters: { type: 'object' } }, { name: 'run_tests', parameters: { type: 'object' } }],
    messages: [
      { role: 'user', content: 'Fix it' },
      { role: 'assistant', content: '', toolCalls: [{ id: 'c1', name: 'read_file', arguments: '{"path":"a.ts"}' }, { id: 'c2', name: 'read_file', arguments: 'not json' }] },
      { role: 'tool', toolCallId: 'c1', content: 'file a' },
      { role: 'tool', toolCallId: 'c2', content: 'file b' },
      { role: 'assistant', content: 'Done.' },
    ],
    ...overrides,
  };
}

async function collect(parts: unknown[]): Promise<ModelEvent[]> {
  const events: ModelEvent[] = [];
  async function* source(): AsyncIterable<unknown> {
    for (const part of parts) yield part;
  }
  for await (const event of mapResponseStream(source())) events.push(event);
  return events;
}

describe('VS Code language model mapping', () => {
  test('instructions lead as a user message; tool calls and their results keep their ids; consecutive results share one message', () => {
    const mapped = mapRequest(request(), factory);
    assert.deepEqual(mapped.messages, [
      { role: 'user', parts: [{ text: 'Instructions for this conversation:\n\nBe brief.' }] },
      { role: 'user', parts: [{ text: 'Fix it' }] },
      { role: 'assistant', parts: [{ toolCall: { callId: 'c1', name: 'read_file', input: { path: 'a.ts' } } }, { toolCall: { callId: 'c2', name: 'read_file', input: { arguments: 'not json' } } }] },
      { role: 'user', parts: [{ toolResult: { callId: 'c1', text: 'file a' } }, { toolResult: { callId: 'c2', text: 'file b' } }] },
      { role: 'assistant', parts: [{ text: 'Done.' }] },
    ]);
    assert.deepEqual(mapped.tools.map((tool) => [tool.name, tool.description]), [['read_file', 'Reads'], ['run_tests', 'run_tests']]);
    assert.equal(mapped.toolMode, 'auto');
  });

  test('tool choice: none sends no tools, required forces, a named tool is the only one offered', () => {
    assert.deepEqual(mapRequest(request({ toolChoice: 'none' }), factory).tools, []);
    assert.equal(mapRequest(request({ toolChoice: 'required' }), factory).toolMode, 'required');
    const named = mapRequest(request({ toolChoice: { name: 'run_tests' } }), factory);
    assert.deepEqual(named.tools.map((tool) => tool.name), ['run_tests']);
    assert.equal(named.toolMode, 'required');
  });

  test('response parts become text deltas, tool-call starts with whole arguments, and the right finish reason', async () => {
    assert.deepEqual(await collect([{ value: 'Hel' }, { value: 'lo' }, { something: 'future' }]), [
      { type: 'text', delta: 'Hel' }, { type: 'text', delta: 'lo' }, { type: 'finish', reason: 'stop' },
    ]);
    assert.deepEqual(await collect([{ value: 'Reading.' }, { callId: 'x1', name: 'read_file', input: { path: 'b.ts' } }]), [
      { type: 'text', delta: 'Reading.' },
      { type: 'toolCallStart', index: 0, id: 'x1', name: 'read_file' },
      { type: 'toolCallArguments', index: 0, delta: '{"path":"b.ts"}' },
      { type: 'finish', reason: 'tool_calls' },
    ]);
  });
});

describe('run cost and context', () => {
  test('cost is reported usage times the table; dated snapshots use their family; no usage or no price means no cost', () => {
    const usage = { prompt_tokens: 1_000_000, completion_tokens: 500_000, total_tokens: 1_500_000 };
    assert.equal(runCost('gpt-4.1-mini', usage, DEFAULT_PRICES), 1.2);
    assert.equal(runCost('gpt-4.1-mini-2025-04-14', usage, DEFAULT_PRICES), 1.2);
    assert.equal(priceFor('gpt-4.1-mini-finetuned', DEFAULT_PRICES), undefined, 'only a date suffix inherits the family price');
    assert.equal(runCost('llama3.1:8b', usage, DEFAULT_PRICES), undefined);
    assert.equal(runCost('gpt-4o', null, DEFAULT_PRICES), undefined);
    assert.equal(formatCost(0.00123), '$0.0012');
    assert.equal(formatCost(undefined), 'no price');
    assert.equal(formatTokens(128_000), '128k');
    assert.equal(formatTokens(1_047_576), '1.05M');
    assert.deepEqual(parsePriceTable({ a: { input: 1, output: 2 }, b: { input: -1, output: 2 }, c: 'x' }), { a: { input: 1, output: 2 } });
  });

  test('the context estimate counts instructions, tool schemas and messages with the engine tokenizer', () => {
    const message = { role: 'user', content: [{ type: 'text', text: { value: 'How do I sort an array in place?', annotations: [] } }] } as unknown as Message;
    const estimate = estimateContext({
      instructions: 'You are terse.',
      tools: [{ type: 'function', function: { name: 'read_file', description: 'Reads a file', parameters: { type: 'object' } } }, { type: 'file_search' }],
      messages: [message, message],
      window: 1000,
    });
    assert.equal(estimate.instructions, countText('You are terse.'));
    assert.ok(estimate.tools > 0);
    assert.equal(estimate.messages, 2 * (4 + countText('How do I sort an array in place?')));
    assert.equal(estimate.total, estimate.instructions + estimate.tools + estimate.messages);
    assert.equal(describeContext(estimate, formatTokens), `${estimate.total} / 1.0k tokens (${Math.round(estimate.total / 10)}%)`);
    assert.equal(describeContext({ ...estimate, window: null }, formatTokens), `${estimate.total} tokens`);
  });

  test('a run that failed because the server refused tools is recognised; other failures are not', () => {
    const tools = [{ type: 'function' as const, function: { name: 'read_file' } }];
    const failed = (message: string, withTools = tools) => ({ status: 'failed' as const, tools: withTools, last_error: { code: 'server_error' as const, message } });
    assert.equal(isToolRefusal(failed('The model server rejected the request (HTTP 400): registry.ollama.ai/library/gemma:2b does not support tools')), true);
    assert.equal(isToolRefusal(failed('tool use is not supported for this model')), true);
    assert.equal(isToolRefusal(failed('Tools are not supported by this endpoint')), true);
    assert.equal(isToolRefusal(failed('The model server failed with HTTP 500: out of memory')), false);
    assert.equal(isToolRefusal(failed('does not support tools', [])), false, 'a run without tools cannot have been refused for them');
  });

  test('while an endpoint refuses tools, the backend sends every run as a plain chat turn', async () => {
    const seen: ModelRequest[] = [];
    const backend = { async *stream(sent: ModelRequest): AsyncIterable<ModelEvent> { seen.push(sent); yield { type: 'finish', reason: 'stop' }; } };
    let allowed = false;
    const wrapped = withoutToolsWhenRefused(backend, () => allowed)!;
    for await (const _event of wrapped.stream(request({ toolChoice: 'required' }), new AbortController().signal)) { /* drain */ }
    allowed = true;
    for await (const _event of wrapped.stream(request(), new AbortController().signal)) { /* drain */ }
    assert.deepEqual(seen.map((sent) => [sent.tools.length, sent.toolChoice]), [[0, 'none'], [2, 'auto']]);
    assert.equal(withoutToolsWhenRefused(null, () => true), null);
  });
});
