/**
 * Malformed requests, table-driven: each gets its documented status and a v2 error body
 * (`{"error":{message,type,param,code}}`), and afterwards the server still answers normally
 * (DESIGN.md invariant 7). Sent raw, so nothing in between tidies them up.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startHarness, type Harness, type RawResponse } from './support/harness.ts';

const MODEL = 'scripted-chat-model';
const JSON_LIMIT = 64 * 1024;
const UPLOAD_LIMIT = 256 * 1024;

interface Fixtures {
  assistant: string;
  thread: string;
  lockedThread: string;
  waitingRun: string;
  doneThread: string;
  doneRun: string;
  file: string;
  store: string;
}

interface BadRequest {
  name: string;
  method?: string;
  path: (f: Fixtures) => string;
  body?: string | ((f: Fixtures) => string);
  raw?: Uint8Array;
  headers?: Record<string, string>;
  token?: string | null;
  beta?: boolean;
  status: number;
  code?: string | null;
  param?: string | null;
  message?: RegExp;
}

const json = (value: unknown): string => JSON.stringify(value);

function multipart(parts: Array<{ name: string; filename?: string; value: string }>, boundary = 'XyZ123boundary'): { body: Uint8Array; type: string } {
  const text = parts
    .map((part) => `--${boundary}\r\nContent-Disposition: form-data; name="${part.name}"${part.filename ? `; filename="${part.filename}"` : ''}\r\n\r\n${part.value}\r\n`)
    .join('');
  return { body: new TextEncoder().encode(`${text}--${boundary}--\r\n`), type: `multipart/form-data; boundary=${boundary}` };
}

const upload = (parts: Array<{ name: string; filename?: string; value: string }>): Pick<BadRequest, 'raw' | 'headers'> => {
  const form = multipart(parts);
  return { raw: form.body, headers: { 'content-type': form.type } };
};

const CASES: BadRequest[] = [
  // Bodies that are not the JSON object an endpoint expects.
  { name: 'malformed JSON', path: () => '/v1/assistants', body: '{"model": "m",', status: 400, code: null, message: /could not parse the JSON body/ },
  { name: 'JSON array body', path: () => '/v1/assistants', body: '[1,2]', status: 400, code: 'invalid_type' },
  { name: 'JSON string body', path: () => '/v1/threads', body: '"hello"', status: 400, code: 'invalid_type' },
  { name: 'empty body where one is required', path: () => '/v1/assistants', body: '', status: 400, code: 'invalid_type' },
  { name: 'deeply nested JSON', path: () => '/v1/assistants', body: `${'['.repeat(20_000)}${']'.repeat(20_000)}`, status: 400 },
  { name: 'JSON body over the limit', path: () => '/v1/assistants', body: json({ model: MODEL, instructions: 'x'.repeat(JSON_LIMIT) }), status: 413, code: 'request_too_large' },
  // Field types and ranges.
  { name: 'missing model', path: () => '/v1/assistants', body: json({ name: 'x' }), status: 400, code: 'missing_required_parameter', param: 'model' },
  { name: 'model of the wrong type', path: () => '/v1/assistants', body: json({ model: 42 }), status: 400, code: 'invalid_type', param: 'model' },
  { name: 'temperature above 2', path: () => '/v1/assistants', body: json({ model: MODEL, temperature: 5 }), status: 400, param: 'temperature' },
  { name: 'top_p below 0', path: () => '/v1/assistants', body: json({ model: MODEL, top_p: -1 }), status: 400, param: 'top_p' },
  { name: 'unknown parameter', path: () => '/v1/assistants', body: json({ model: MODEL, colour: 'blue' }), status: 400, code: 'unknown_parameter', param: 'colour' },
  { name: 'metadata with 17 keys', path: () => '/v1/threads', body: json({ metadata: Object.fromEntries(Array.from({ length: 17 }, (_, i) => [`k${i}`, 'v'])) }), status: 400, code: 'object_above_max_properties', param: 'metadata' },
  { name: 'metadata value not a string', path: () => '/v1/threads', body: json({ metadata: { k: 1 } }), status: 400, code: 'invalid_type', param: 'metadata.k' },
  { name: 'metadata as an array', path: () => '/v1/threads', body: json({ metadata: ['a'] }), status: 400, code: 'invalid_type', param: 'metadata' },
  { name: 'metadata value of 513 characters', path: () => '/v1/threads', body: json({ metadata: { k: 'v'.repeat(513) } }), status: 400, code: 'string_above_max_length', param: 'metadata.k' },
  // Tools.
  { name: 'unknown tool type', path: () => '/v1/assistants', body: json({ model: MODEL, tools: [{ type: 'retrieval' }] }), status: 400, code: 'invalid_value', param: 'tools[0].type' },
  { name: 'tools not an array', path: () => '/v1/assistants', body: json({ model: MODEL, tools: { type: 'function' } }), status: 400, code: 'invalid_type', param: 'tools' },
  { name: 'function tool without a name', path: () => '/v1/assistants', body: json({ model: MODEL, tools: [{ type: 'function', function: {} }] }), status: 400, code: 'missing_required_parameter', param: 'tools[0].function.name' },
  { name: 'function name with a space', path: () => '/v1/assistants', body: json({ model: MODEL, tools: [{ type: 'function', function: { name: 'a b' } }] }), status: 400, param: 'tools[0].function.name' },
  { name: '129 tools', path: () => '/v1/assistants', body: json({ model: MODEL, tools: Array.from({ length: 129 }, () => ({ type: 'code_interpreter' })) }), status: 400, code: 'array_above_max_length', param: 'tools' },
  { name: 'response_format of an unknown type', path: () => '/v1/assistants', body: json({ model: MODEL, response_format: { type: 'yaml' } }), status: 400, param: 'response_format.type' },
  { name: 'file_search max_num_results 51', path: () => '/v1/assistants', body: json({ model: MODEL, tools: [{ type: 'file_search', file_search: { max_num_results: 51 } }] }), status: 400, param: 'tools[0].file_search.max_num_results' },
  // Authentication, beta header, routing, ids.
  { name: 'no token', path: () => '/v1/assistants', method: 'GET', token: null, status: 401, code: 'invalid_api_key' },
  { name: 'wrong token', path: () => '/v1/assistants', method: 'GET', token: 'guess', status: 401, code: 'invalid_api_key' },
  { name: 'non-bearer authorization', path: () => '/v1/assistants', method: 'GET', token: null, headers: { authorization: 'Basic dXNlcjpwdw==' }, status: 401, code: 'invalid_api_key' },
  { name: 'missing beta header', path: () => '/v1/assistants', method: 'GET', beta: false, status: 400, code: 'invalid_beta' },
  { name: 'v1 beta header', path: () => '/v1/threads', method: 'POST', body: '{}', headers: { 'openai-beta': 'assistants=v1' }, status: 400, code: 'invalid_beta' },
  { name: 'assistant id with the wrong prefix', path: () => '/v1/assistants/thread_abc', method: 'GET', status: 400, param: 'assistant_id', message: /Expected an ID that begins with 'asst'/ },
  { name: 'thread id with the wrong prefix in a messages path', path: () => '/v1/threads/abc/messages', method: 'GET', status: 400, param: 'thread_id' },
  { name: 'unknown thread', path: () => '/v1/threads/thread_unknown', method: 'GET', status: 404, message: /^No thread found with id 'thread_unknown'\.$/ },
  { name: 'unknown route', path: () => '/v1/engines', method: 'GET', status: 404, message: /^Invalid URL \(GET \/v1\/engines\)$/ },
  { name: 'unsupported method', path: () => '/v1/assistants', method: 'PATCH', body: '{}', status: 404 },
  { name: 'path without /v1', path: () => '/assistants', method: 'GET', status: 404 },
  // List parameters.
  { name: 'limit=0', path: () => '/v1/assistants?limit=0', method: 'GET', status: 400, param: 'limit' },
  { name: 'limit=101', path: () => '/v1/assistants?limit=101', method: 'GET', status: 400, param: 'limit' },
  { name: 'limit=abc', path: () => '/v1/assistants?limit=abc', method: 'GET', status: 400, param: 'limit' },
  { name: 'order=sideways', path: () => '/v1/assistants?order=sideways', method: 'GET', status: 400, param: 'order' },
  { name: 'after an unknown id', path: () => '/v1/assistants?after=asst_nothere', method: 'GET', status: 400, param: 'after' },
  { name: 'include[] with an unknown value', path: (f) => `/v1/threads/${f.doneThread}/runs/${f.doneRun}/steps?include[]=everything`, method: 'GET', status: 400, param: 'include[0]' },
  // Messages and runs.
  { name: 'message content as an empty array', path: (f) => `/v1/threads/${f.thread}/messages`, body: json({ role: 'user', content: [] }), status: 400, param: 'content' },
  { name: 'message with role system', path: (f) => `/v1/threads/${f.thread}/messages`, body: json({ role: 'system', content: 'x' }), status: 400, param: 'role' },
  { name: 'message part of an unknown type', path: (f) => `/v1/threads/${f.thread}/messages`, body: json({ role: 'user', content: [{ type: 'audio', audio: {} }] }), status: 400, param: 'content[0].type' },
  { name: 'message on a locked thread', path: (f) => `/v1/threads/${f.lockedThread}/messages`, body: json({ role: 'user', content: 'x' }), status: 400, message: /^Can't add messages to thread_\w+ while a run run_\w+ is active\.$/ },
  { name: 'run on a locked thread', path: (f) => `/v1/threads/${f.lockedThread}/runs`, body: (f) => json({ assistant_id: f.assistant }), status: 400, message: /^Thread thread_\w+ already has an active run run_\w+\.$/ },
  { name: 'run with an unknown assistant', path: (f) => `/v1/threads/${f.thread}/runs`, body: json({ assistant_id: 'asst_gone' }), status: 404 },
  { name: 'run with stream of the wrong type', path: (f) => `/v1/threads/${f.thread}/runs`, body: (f) => json({ assistant_id: f.assistant, stream: 'yes' }), status: 400, code: 'invalid_type', param: 'stream' },
  { name: 'max_prompt_tokens 255', path: (f) => `/v1/threads/${f.thread}/runs`, body: (f) => json({ assistant_id: f.assistant, max_prompt_tokens: 255 }), status: 400, param: 'max_prompt_tokens' },
  { name: 'max_completion_tokens 100', path: (f) => `/v1/threads/${f.thread}/runs`, body: (f) => json({ assistant_id: f.assistant, max_completion_tokens: 100 }), status: 400, param: 'max_completion_tokens' },
  { name: 'last_messages truncation without a count', path: (f) => `/v1/threads/${f.thread}/runs`, body: (f) => json({ assistant_id: f.assistant, truncation_strategy: { type: 'last_messages' } }), status: 400, param: 'truncation_strategy.last_messages' },
  { name: 'tool_choice naming a missing function', path: (f) => `/v1/threads/${f.thread}/runs`, body: (f) => json({ assistant_id: f.assistant, tool_choice: { type: 'function', function: { name: 'nope' } } }), status: 400, param: 'tool_choice' },
  { name: '21 tools on a run', path: (f) => `/v1/threads/${f.thread}/runs`, body: (f) => json({ assistant_id: f.assistant, tools: Array.from({ length: 21 }, () => ({ type: 'code_interpreter' })) }), status: 400, param: 'tools' },
  { name: 'tool outputs for an unknown call id', path: (f) => `/v1/threads/${f.lockedThread}/runs/${f.waitingRun}/submit_tool_outputs`, body: json({ tool_outputs: [{ tool_call_id: 'call_unknown', output: 'x' }] }), status: 400, param: 'tool_outputs[0].tool_call_id' },
  { name: 'tool outputs missing', path: (f) => `/v1/threads/${f.lockedThread}/runs/${f.waitingRun}/submit_tool_outputs`, body: '{}', status: 400, code: 'missing_required_parameter', param: 'tool_outputs' },
  { name: 'tool outputs for a completed run', path: (f) => `/v1/threads/${f.doneThread}/runs/${f.doneRun}/submit_tool_outputs`, body: json({ tool_outputs: [] }), status: 400 },
  { name: 'cancel a completed run', path: (f) => `/v1/threads/${f.doneThread}/runs/${f.doneRun}/cancel`, status: 400, message: /^Cannot cancel run with status 'completed'\.$/ },
  // Vector stores and files.
  { name: 'batch with both file_ids and files', path: (f) => `/v1/vector_stores/${f.store}/file_batches`, beta: false, body: (f) => json({ file_ids: [f.file], files: [{ file_id: f.file }] }), status: 400 },
  { name: 'batch with neither file_ids nor files', path: (f) => `/v1/vector_stores/${f.store}/file_batches`, beta: false, body: '{}', status: 400, code: 'missing_required_parameter' },
  { name: 'chunk overlap above half', path: (f) => `/v1/vector_stores/${f.store}/files`, beta: false, body: (f) => json({ file_id: f.file, chunking_strategy: { type: 'static', static: { max_chunk_size_tokens: 400, chunk_overlap_tokens: 201 } } }), status: 400, param: 'chunking_strategy.static.chunk_overlap_tokens' },
  { name: 'expires_after of 0 days', path: () => '/v1/vector_stores', beta: false, body: json({ expires_after: { anchor: 'last_active_at', days: 0 } }), status: 400, param: 'expires_after.days' },
  { name: 'attribute value that is an object', path: (f) => `/v1/vector_stores/${f.store}/files`, beta: false, body: (f) => json({ file_id: f.file, attributes: { a: { b: 1 } } }), status: 400, param: 'attributes.a' },
  { name: 'search with an empty query', path: (f) => `/v1/vector_stores/${f.store}/search`, beta: false, body: json({ query: ' ' }), status: 400, param: 'query' },
  { name: 'search filter with an unknown operator', path: (f) => `/v1/vector_stores/${f.store}/search`, beta: false, body: json({ query: 'q', filters: { type: 'like', key: 'a', value: 'b' } }), status: 400, param: 'filters.type' },
  { name: 'file id with the wrong prefix in a store', path: (f) => `/v1/vector_stores/${f.store}/files`, beta: false, body: json({ file_id: 'doc_1' }), status: 400, param: 'file_id' },
  { name: 'upload sent as JSON', path: () => '/v1/files', beta: false, body: json({ purpose: 'assistants' }), status: 400, code: 'invalid_content_type' },
  { name: 'upload without purpose', path: () => '/v1/files', beta: false, ...upload([{ name: 'file', filename: 'a.txt', value: 'abc' }]), status: 400, param: 'purpose' },
  { name: 'upload with an unknown purpose', path: () => '/v1/files', beta: false, ...upload([{ name: 'file', filename: 'a.txt', value: 'abc' }, { name: 'purpose', value: 'pictures' }]), status: 400, param: 'purpose' },
  { name: 'upload without a file part', path: () => '/v1/files', beta: false, ...upload([{ name: 'purpose', value: 'assistants' }]), status: 400, param: 'file' },
  { name: 'upload with an expiry below an hour', path: () => '/v1/files', beta: false, ...upload([{ name: 'file', filename: 'a.txt', value: 'abc' }, { name: 'purpose', value: 'assistants' }, { name: 'expires_after[anchor]', value: 'created_at' }, { name: 'expires_after[seconds]', value: '60' }]), status: 400, param: 'expires_after.seconds' },
  { name: 'multipart body without its boundary', path: () => '/v1/files', beta: false, raw: new TextEncoder().encode('just bytes'), headers: { 'content-type': 'multipart/form-data; boundary=nowhere' }, status: 400, code: 'invalid_multipart' },
  { name: 'multipart part without a name', path: () => '/v1/files', beta: false, raw: new TextEncoder().encode('--b\r\nContent-Disposition: form-data\r\n\r\nx\r\n--b--\r\n'), headers: { 'content-type': 'multipart/form-data; boundary=b' }, status: 400, code: 'invalid_multipart' },
  { name: 'upload over the limit', path: () => '/v1/files', beta: false, ...upload([{ name: 'file', filename: 'big.bin', value: 'x'.repeat(UPLOAD_LIMIT) }, { name: 'purpose', value: 'assistants' }]), status: 413, code: 'request_too_large' },
];

function assertErrorShape(response: RawResponse, label: string): void {
  assert.equal(response.headers.get('content-type'), 'application/json', `${label}: JSON error body`);
  const error = response.json?.error;
  assert.ok(error && typeof error === 'object', `${label}: body has an error object: ${response.text.slice(0, 200)}`);
  assert.deepEqual(Object.keys(error).sort(), ['code', 'message', 'param', 'type'], `${label}: error keys`);
  assert.equal(typeof error.message, 'string');
  assert.ok(error.message.length > 0);
  assert.equal(typeof error.type, 'string');
  assert.ok(error.param === null || typeof error.param === 'string');
  assert.ok(error.code === null || typeof error.code === 'string');
}

describe('bad input (direct)', () => {
  let h: Harness;
  let f: Fixtures;
  before(async () => {
    h = await startHarness({ limits: { jsonBytes: JSON_LIMIT, uploadBytes: UPLOAD_LIMIT } });
    const assistant = await h.direct.beta.assistants.create({ model: MODEL, tools: [{ type: 'function', function: { name: 'f' } }] });
    const thread = await h.direct.beta.threads.create();
    const lockedThread = await h.direct.beta.threads.create({ messages: [{ role: 'user', content: 'call f' }] });
    h.model.enqueue({ toolCalls: [{ name: 'f', arguments: {} }] });
    const waiting = await h.direct.beta.threads.runs.createAndPoll(lockedThread.id, { assistant_id: assistant.id });
    const doneThread = await h.direct.beta.threads.create({ messages: [{ role: 'user', content: 'say hi' }] });
    h.model.enqueue({ text: 'hi' });
    const done = await h.direct.beta.threads.runs.createAndPoll(doneThread.id, { assistant_id: assistant.id });
    const file = await h.direct.files.create({ file: new File(['text'], 't.txt'), purpose: 'assistants' });
    const store = await h.direct.vectorStores.create({ name: 'bad input' });
    f = { assistant: assistant.id, thread: thread.id, lockedThread: lockedThread.id, waitingRun: waiting.id, doneThread: doneThread.id, doneRun: done.id, file: file.id, store: store.id };
  });
  after(async () => {
    await h.close();
  });

  test(`${CASES.length} malformed requests each get their documented status and a v2 error body`, async () => {
    assert.ok(CASES.length >= 40);
    for (const bad of CASES) {
      const body = typeof bad.body === 'function' ? bad.body(f) : bad.body;
      const response = await h.raw(bad.method ?? 'POST', bad.path(f), {
        ...(bad.raw ? { body: bad.raw } : body !== undefined ? { body } : {}),
        ...(bad.headers ? { headers: bad.headers } : {}),
        ...(bad.token !== undefined ? { token: bad.token } : {}),
        ...(bad.beta !== undefined ? { beta: bad.beta } : {}),
      });
      assert.equal(response.status, bad.status, `${bad.name}: status (${response.text.slice(0, 300)})`);
      assertErrorShape(response, bad.name);
      if (bad.code !== undefined) assert.equal(response.json.error.code, bad.code, `${bad.name}: code`);
      if (bad.param !== undefined) assert.equal(response.json.error.param, bad.param, `${bad.name}: param`);
      if (bad.message) assert.match(response.json.error.message, bad.message, `${bad.name}: message`);
    }
  });

  test('the waiting run is untouched and the server still answers normally afterwards', async () => {
    const waiting = await h.direct.beta.threads.runs.retrieve(f.waitingRun, { thread_id: f.lockedThread });
    assert.equal(waiting.status, 'requires_action');
    const health = await h.raw('GET', '/v1/assistants?limit=1');
    assert.equal(health.status, 200);
    const thread = await h.direct.beta.threads.create({ messages: [{ role: 'user', content: 'still there?' }] });
    h.model.enqueue({ text: 'yes' });
    const run = await h.direct.beta.threads.runs.createAndPoll(thread.id, { assistant_id: f.assistant });
    assert.equal(run.status, 'completed');
  });
});
