import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { checkBetaHeader, tokenChecker } from '../../../src/server/accessChecks.ts';
import { HttpError } from '../../../src/server/httpErrors.ts';
import { parseQuery } from '../../../src/server/query.ts';
import { parseJsonBody } from '../../../src/server/requestBody.ts';
import { formatFrame } from '../../../src/server/sse.ts';

describe('query strings', () => {
  test('bracketed keys collect arrays; plain keys keep the last value; values are decoded', () => {
    assert.deepEqual(parseQuery('include%5B%5D=a&include[]=b&limit=5&limit=7&after=msg%5F1'), { include: ['a', 'b'], limit: '7', after: 'msg_1' });
    assert.deepEqual(parseQuery(''), {});
  });
});

describe('access checks', () => {
  const check = tokenChecker('s3cret-token');
  test('the right bearer token passes; missing, malformed, wrong and wrong-length ones are 401 invalid_api_key', () => {
    assert.equal(check({ authorization: 'Bearer s3cret-token' }), null);
    assert.equal(check({ authorization: 'bearer   s3cret-token ' }), null);
    for (const authorization of [undefined, 'Basic abc', 'Bearer', 'Bearer s3cret-tokeN', 'Bearer short']) {
      const error = check(authorization === undefined ? {} : { authorization });
      assert.ok(error instanceof HttpError, String(authorization));
      assert.deepEqual([error.status, error.code], [401, 'invalid_api_key']);
    }
    assert.doesNotMatch(check({ authorization: 'Bearer sk-abcdefghijklmnop' })!.message, /abcdefghijkl/, 'a wrong key is masked in the message');
    assert.throws(() => tokenChecker(''), /non-empty/);
  });

  test('OpenAI-Beta: v2 passes (alone or among other features); v1 is refused; absence depends on the setting', () => {
    assert.equal(checkBetaHeader({ 'openai-beta': 'assistants=v2' }, true), null);
    assert.equal(checkBetaHeader({ 'openai-beta': 'realtime=v1,assistants=v2' }, true), null);
    assert.equal(checkBetaHeader({ 'openai-beta': 'assistants=v1' }, false)?.code, 'invalid_beta');
    assert.equal(checkBetaHeader({ 'openai-beta': 'assistants=v2, assistants=v1' }, true)?.code, 'invalid_beta');
    assert.equal(checkBetaHeader({}, true)?.code, 'invalid_beta');
    assert.equal(checkBetaHeader({}, false), null);
    assert.equal(checkBetaHeader({ 'openai-beta': 'realtime=v1' }, true)?.code, 'invalid_beta');
  });
});

describe('bodies and frames', () => {
  test('JSON bodies: empty is undefined, invalid is a 400 in the v2 shape', () => {
    assert.equal(parseJsonBody(Buffer.alloc(0)), undefined);
    assert.deepEqual(parseJsonBody(Buffer.from('{"a":[1]}')), { a: [1] });
    assert.throws(() => parseJsonBody(Buffer.from('{"a":')), (error: unknown) => error instanceof HttpError && error.status === 400 && /could not parse the JSON body/.test(error.message));
  });

  test('an SSE frame is one event line and one data line, even when the text has line breaks', () => {
    const frame = formatFrame({ event: 'thread.message.delta', data: { id: 'msg_1', object: 'thread.message.delta', delta: { content: [{ index: 0, type: 'text', text: { value: 'a\nb\r\nc\u2028' } }] } } });
    assert.ok(frame.endsWith('\n\n'));
    const lines = frame.slice(0, -2).split('\n');
    assert.equal(lines.length, 2);
    assert.equal(lines[0], 'event: thread.message.delta');
    assert.ok(lines[1]!.startsWith('data: {'));
    assert.equal(formatFrame({ event: 'done', data: '[DONE]' }), 'event: done\ndata: [DONE]\n\n');
  });
});
