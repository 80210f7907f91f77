/**
 * What each backend puts on the wire, read back from the scripted server: history with tool calls
 * and their outputs, instructions, tools, tool_choice, response formats and sampling settings.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { ModelRequest } from '../../../src/engine/ports/modelBackend.ts';
import { createModelBackend } from '../../../src/providers/createModelBackend.ts';
import { startScriptedModelServer } from '../../support/modelServer/index.ts';
import type { ScriptedModelServer } from '../../support/modelServer/index.ts';
import { drain, modelRequest } from './support.ts';

const WEATHER_TOOL = {
  name: 'get_weather',
  description: 'Current weather for a city.',
  parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
};

const FULL_REQUEST: ModelRequest = modelRequest({
  model: 'gpt-test',
  instructions: 'Answer in French.',
  messages: [
    { role: 'user', content: [{ type: 'text', text: 'What is this?' }, { type: 'image_url', url: 'data:image/png;base64,AAAA' }] },
    { role: 'assistant', content: 'Checking.', toolCalls: [{ id: 'call_1', name: 'get_weather', arguments: '{"city":"Paris"}' }] },
    { role: 'tool', toolCallId: 'call_1', content: '{"temp":21}' },
    { role: 'assistant', content: 'Il fait 21 degrés.' },
    { role: 'user', content: 'Merci' },
  ],
  tools: [WEATHER_TOOL, { name: 'strict_tool', parameters: { type: 'object', properties: {}, additionalProperties: false }, strict: true }],
  toolChoice: { name: 'get_weather' },
  parallelToolCalls: false,
  responseFormat: { type: 'json_schema', name: 'answer', schema: { type: 'object' }, strict: true },
  temperature: 0.3,
  topP: 0.9,
  maxOutputTokens: 256,
  reasoningEffort: 'low',
});

void describe('request bodies', () => {
  let server: ScriptedModelServer;
  before(async () => {
    server = await startScriptedModelServer();
    server.setHandler(() => ({ text: 'ok' }));
  });
  after(() => server.close());

  void test('chat completions: messages, tools, formats and settings', async () => {
    const backend = createModelBackend({ kind: 'chat-completions', baseURL: server.url, apiKey: 'k' });
    await drain(backend.stream(FULL_REQUEST, new AbortController().signal));
    const body = server.chatRequests().at(-1);
    assert.ok(body);
    assert.equal(body.model, 'gpt-test');
    assert.equal(body.stream, true);
    assert.deepEqual(body.stream_options, { include_usage: true });
    assert.deepEqual(body.messages, [
      { role: 'system', content: 'Answer in French.' },
      {
        role: 'user',
        content: [
          { type: 'text', text: 'What is this?' },
          { type: 'image_url', image_url: { url: 'data:image/png;base64,AAAA' } },
        ],
      },
      { role: 'assistant', content: 'Checking.', tool_calls: [{ id: 'call_1', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Paris"}' } }] },
      { role: 'tool', tool_call_id: 'call_1', content: '{"temp":21}' },
      { role: 'assistant', content: 'Il fait 21 degrés.' },
      { role: 'user', content: 'Merci' },
    ]);
    assert.deepEqual(body.tools, [
      { type: 'function', function: { name: 'get_weather', description: 'Current weather for a city.', parameters: WEATHER_TOOL.parameters } },
      { type: 'function', function: { name: 'strict_tool', parameters: { type: 'object', properties: {}, additionalProperties: false }, strict: true } },
    ]);
    assert.deepEqual(body.tool_choice, { type: 'function', function: { name: 'get_weather' } });
    assert.equal(body.parallel_tool_calls, false);
    assert.deepEqual(body.response_format, { type: 'json_schema', json_schema: { name: 'answer', schema: { type: 'object' }, strict: true } });
    assert.equal(body.temperature, 0.3);
    assert.equal(body.top_p, 0.9);
    // A local server gets the widely understood field; OpenAI gets the current one.
    assert.equal(body.max_tokens, 256);
    assert.equal(body.max_completion_tokens, undefined);
    assert.equal(body.reasoning_effort, 'low');
  });

  void test('chat completions: max_completion_tokens when asked, nothing tool-related without tools', async () => {
    const backend = createModelBackend({ kind: 'chat-completions', baseURL: server.url, maxTokensField: 'max_completion_tokens' });
    await drain(backend.stream(modelRequest({ instructions: '', maxOutputTokens: 64, responseFormat: { type: 'text' } }), new AbortController().signal));
    const body = server.chatRequests().at(-1);
    assert.ok(body);
    assert.equal(body.max_completion_tokens, 64);
    assert.equal(body.max_tokens, undefined);
    assert.deepEqual(body.messages, [{ role: 'user', content: 'Say hello.' }]);
    for (const absent of ['tools', 'tool_choice', 'parallel_tool_calls', 'response_format', 'temperature', 'top_p', 'reasoning_effort'] as const) {
      assert.equal(body[absent], undefined, `${absent} is not sent`);
    }
  });

  void test('responses: stateless input items, instructions, function tools, text format and settings', async () => {
    const backend = createModelBackend({ kind: 'responses', baseURL: server.url, apiKey: 'k' });
    server.enqueue({ text: 'ok', reasoning: true });
    const { error } = await drain(backend.stream(FULL_REQUEST, new AbortController().signal));
    assert.equal(error, undefined);
    const body = server.responsesRequests().at(-1);
    assert.ok(body);
    // A reasoning effort means a reasoning model: its thinking is asked for, to be sent back.
    assert.deepEqual(body.include, ['reasoning.encrypted_content']);
    assert.equal(body.model, 'gpt-test');
    assert.equal(body.store, false);
    assert.equal(body.stream, true);
    assert.equal(body.instructions, 'Answer in French.');
    assert.deepEqual(body.input, [
      {
        type: 'message',
        role: 'user',
        content: [
          { type: 'input_text', text: 'What is this?' },
          { type: 'input_image', image_url: 'data:image/png;base64,AAAA', detail: 'auto' },
        ],
      },
      { type: 'message', role: 'assistant', content: 'Checking.' },
      { type: 'function_call', call_id: 'call_1', name: 'get_weather', arguments: '{"city":"Paris"}' },
      { type: 'function_call_output', call_id: 'call_1', output: '{"temp":21}' },
      { type: 'message', role: 'assistant', content: 'Il fait 21 degrés.' },
      { type: 'message', role: 'user', content: 'Merci' },
    ]);
    assert.deepEqual(body.tools, [
      { type: 'function', name: 'get_weather', description: 'Current weather for a city.', parameters: WEATHER_TOOL.parameters, strict: false },
      { type: 'function', name: 'strict_tool', parameters: { type: 'object', properties: {}, additionalProperties: false }, strict: true },
    ]);
    assert.deepEqual(body.tool_choice, { type: 'function', name: 'get_weather' });
    assert.equal(body.parallel_tool_calls, false);
    assert.deepEqual(body.text, { format: { type: 'json_schema', name: 'answer', schema: { type: 'object' }, strict: true } });
    assert.equal(body.temperature, 0.3);
    assert.equal(body.top_p, 0.9);
    assert.equal(body.max_output_tokens, 256);
    assert.deepEqual(body.reasoning, { effort: 'low' });
  });

  void test('responses: assistant turns that only call tools add no empty message; json_object maps to text.format', async () => {
    const backend = createModelBackend({ kind: 'responses', baseURL: server.url });
    const request = modelRequest({
      instructions: '',
      messages: [
        { role: 'user', content: 'go' },
        { role: 'assistant', content: '', toolCalls: [{ id: 'c1', name: 'a', arguments: '{}' }, { id: 'c2', name: 'b', arguments: '{}' }] },
        { role: 'tool', toolCallId: 'c1', content: 'one' },
        { role: 'tool', toolCallId: 'c2', content: 'two' },
      ],
      responseFormat: { type: 'json_object' },
    });
    assert.equal((await drain(backend.stream(request, new AbortController().signal))).error, undefined);
    const body = server.responsesRequests().at(-1);
    assert.ok(body);
    assert.equal(body.instructions, undefined);
    assert.equal(body.include, undefined, 'no reasoning effort, no encrypted reasoning (other models refuse it)');
    assert.deepEqual(body.input, [
      { type: 'message', role: 'user', content: 'go' },
      { type: 'function_call', call_id: 'c1', name: 'a', arguments: '{}' },
      { type: 'function_call', call_id: 'c2', name: 'b', arguments: '{}' },
      { type: 'function_call_output', call_id: 'c1', output: 'one' },
      { type: 'function_call_output', call_id: 'c2', output: 'two' },
    ]);
    assert.deepEqual(body.text, { format: { type: 'json_object' } });
    assert.equal(body.tools, undefined);
  });

  void test('responses: a reasoning item handed on goes back, unchanged, right before the calls it led to; chat completions leaves it out', async () => {
    const responses = createModelBackend({ kind: 'responses', baseURL: server.url });
    server.enqueue({ reasoning: true, toolCalls: [{ id: 'call_r', name: 'get_weather', arguments: { city: 'Oslo' } }] }, { reasoning: true, text: 'Cold.' });
    const first = await drain(responses.stream(modelRequest({ reasoningEffort: 'medium', tools: [WEATHER_TOOL] }), new AbortController().signal));
    assert.equal(first.error, undefined);
    const handedOn = first.events.flatMap((event) => (event.type === 'providerItem' ? [event.item] : []));
    assert.equal(handedOn.length, 1);
    assert.equal(handedOn[0]?.type, 'reasoning');
    assert.equal(typeof handedOn[0]?.encrypted_content, 'string');

    const followUp = modelRequest({
      reasoningEffort: 'medium',
      tools: [WEATHER_TOOL],
      messages: [
        { role: 'user', content: 'Weather in Oslo?' },
        { role: 'assistant', content: '', toolCalls: [{ id: 'call_r', name: 'get_weather', arguments: '{"city":"Oslo"}' }], providerItems: handedOn },
        { role: 'tool', toolCallId: 'call_r', content: '{"temp":-3}' },
      ],
    });
    // The scripted server refuses reasoning it did not issue or that nothing follows, as the API does.
    assert.equal((await drain(responses.stream(followUp, new AbortController().signal))).error, undefined);
    const input = server.responsesRequests().at(-1)?.input as unknown as Array<Record<string, unknown>>;
    assert.deepEqual(input.map((item) => item.type), ['message', 'reasoning', 'function_call', 'function_call_output']);
    assert.deepEqual(input[1], handedOn[0]);

    const chat = createModelBackend({ kind: 'chat-completions', baseURL: server.url });
    server.enqueue({ text: 'Cold.' });
    assert.equal((await drain(chat.stream({ ...followUp, reasoningEffort: undefined }, new AbortController().signal))).error, undefined);
    assert.equal(JSON.stringify(server.chatRequests().at(-1)?.messages).includes('reasoning'), false);
  });
});
