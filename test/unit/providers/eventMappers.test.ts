/**
 * The chunk → event mappers on wire shapes the scripted server does not produce but compatible
 * servers do: every call at index 0, finish "stop" after tool calls, arguments only in `.done`.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { ChatCompletionChunk } from 'openai/resources/chat/completions';
import type { ResponseStreamEvent } from 'openai/resources/responses/responses';
import { ModelError } from '../../../src/engine/ports/modelBackend.ts';
import { ChatCompletionsEventMapper } from '../../../src/providers/chatCompletionsEvents.ts';
import { ResponsesEventMapper } from '../../../src/providers/responsesEvents.ts';
import { toolCallsOf } from './support.ts';

function chunk(delta: Record<string, unknown>, finishReason: string | null = null): ChatCompletionChunk {
  return { id: 'c', object: 'chat.completion.chunk', created: 0, model: 'm', choices: [{ index: 0, delta, finish_reason: finishReason }] } as ChatCompletionChunk;
}

void describe('chat completions mapper', () => {
  void test('a new id at the same wire index starts a new call', () => {
    const mapper = new ChatCompletionsEventMapper();
    const events = [
      chunk({ tool_calls: [{ index: 0, id: 'call_x', type: 'function', function: { name: 'a', arguments: '{"n":' } }] }),
      chunk({ tool_calls: [{ index: 0, function: { arguments: '1}' } }] }),
      chunk({ tool_calls: [{ index: 0, id: 'call_y', type: 'function', function: { name: 'b', arguments: '{}' } }] }),
      chunk({}, 'stop'),
    ].flatMap((c) => mapper.map(c));
    events.push(...mapper.finish());
    assert.deepEqual(toolCallsOf(events), [
      { index: 0, id: 'call_x', name: 'a', arguments: '{"n":1}' },
      { index: 1, id: 'call_y', name: 'b', arguments: '{}' },
    ]);
    // "stop" after tool calls is reported as the tool calls it really is.
    assert.deepEqual(events.at(-1), { type: 'finish', reason: 'tool_calls' });
  });

  void test('usage from a trailing chunk comes out before finish; refusals are text', () => {
    const mapper = new ChatCompletionsEventMapper();
    const events = [chunk({ refusal: 'I cannot help with that.' }), chunk({}, 'stop')].flatMap((c) => mapper.map(c));
    mapper.map({ ...chunk({}), choices: [], usage: { prompt_tokens: 9, completion_tokens: 4, total_tokens: 13 } });
    events.push(...mapper.finish());
    assert.deepEqual(events, [
      { type: 'text', delta: 'I cannot help with that.' },
      { type: 'usage', promptTokens: 9, completionTokens: 4 },
      { type: 'finish', reason: 'stop' },
    ]);
  });

  void test('a stream that ends without a finish reason is an error, not a silent success', () => {
    const mapper = new ChatCompletionsEventMapper();
    mapper.map(chunk({ content: 'half an ans' }));
    assert.throws(() => mapper.finish(), (error: unknown) => error instanceof ModelError && error.code === 'server_error');
  });
});

void describe('responses mapper', () => {
  const event = (payload: Record<string, unknown>) => payload as unknown as ResponseStreamEvent;
  const item = (args: string) => ({ id: 'fc_1', type: 'function_call', call_id: 'call_1', name: 'lookup', arguments: args, status: 'in_progress' });

  void test('arguments sent only in .done are not lost, and not doubled by the finished item', () => {
    const mapper = new ResponsesEventMapper();
    const events = [
      event({ type: 'response.output_item.added', output_index: 0, item: item('') }),
      event({ type: 'response.function_call_arguments.done', item_id: 'fc_1', output_index: 0, arguments: '{"q":"x"}' }),
      event({ type: 'response.output_item.done', output_index: 0, item: item('{"q":"x"}') }),
      event({ type: 'response.completed', response: { output: [item('{"q":"x"}')], usage: { input_tokens: 3, output_tokens: 2 } } }),
    ].flatMap((e) => mapper.map(e));
    events.push(...mapper.finish());
    assert.deepEqual(toolCallsOf(events), [{ index: 0, id: 'call_1', name: 'lookup', arguments: '{"q":"x"}' }]);
    assert.deepEqual(events.slice(-2), [
      { type: 'usage', promptTokens: 3, completionTokens: 2 },
      { type: 'finish', reason: 'tool_calls' },
    ]);
  });

  void test('a finished reasoning item is handed on only with its encrypted content (without it, it cannot be sent back)', () => {
    const mapper = new ResponsesEventMapper();
    const reasoning = (extra: Record<string, unknown>) => event({ type: 'response.output_item.done', output_index: 0, item: { id: 'rs_1', type: 'reasoning', summary: [], ...extra } });
    assert.deepEqual(mapper.map(reasoning({})), []);
    assert.deepEqual(mapper.map(reasoning({ encrypted_content: null })), []);
    assert.deepEqual(mapper.map(reasoning({ encrypted_content: 'opaque' })), [{ type: 'providerItem', item: { id: 'rs_1', type: 'reasoning', summary: [], encrypted_content: 'opaque' } }]);
  });

  void test('a failed response becomes a ModelError with the mapped code', () => {
    const mapper = new ResponsesEventMapper();
    assert.throws(
      () => mapper.map(event({ type: 'response.failed', response: { error: { code: 'rate_limit_exceeded', message: 'Slow down' } } })),
      (error: unknown) => error instanceof ModelError && error.code === 'rate_limit_exceeded' && error.message.includes('Slow down'),
    );
  });

  void test('no terminal event means the stream was cut short', () => {
    const mapper = new ResponsesEventMapper();
    mapper.map(event({ type: 'response.output_text.delta', delta: 'Hi', item_id: 'm', output_index: 0, content_index: 0 }));
    assert.throws(() => mapper.finish(), ModelError);
  });
});
