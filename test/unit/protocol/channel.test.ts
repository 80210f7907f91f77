import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { notification, request } from '../../../src/protocol/descriptors.ts';
import { isEnvelope, ProtocolError } from '../../../src/protocol/envelope.ts';
import { channelPair } from './channelPair.ts';

const Add = request<{ a: number; b: number }, { sum: number }>('math/add');
const Slow = request<{ ms: number }, { done: true }>('test/slow');
const Missing = request<Record<string, never>, null>('test/missing');
const Ping = notification<{ n: number }>('test/ping');

describe('protocol channel', () => {
  test('a request gets its handler\'s result, matched by id even when answers cross', async () => {
    const { host, webview } = channelPair();
    host.onRequest(Add, async ({ a, b }) => {
      await new Promise((resolve) => setTimeout(resolve, a));
      return { sum: a + b };
    });
    const [slow, fast] = await Promise.all([webview.request(Add, { a: 20, b: 1 }), webview.request(Add, { a: 1, b: 1 })]);
    assert.deepEqual(slow, { sum: 21 });
    assert.deepEqual(fast, { sum: 2 });
  });

  test('an unknown method is answered with method_not_found instead of hanging', async () => {
    const { webview } = channelPair();
    await assert.rejects(webview.request(Missing, {}), (error: unknown) => ProtocolError.is(error, 'method_not_found') && /test\/missing/.test(error.message));
  });

  test('a handler that throws becomes an error response, described by the host\'s mapper', async () => {
    const { host, webview } = channelPair({ describeError: (error) => ({ code: 'not_found', message: `mapped: ${(error as Error).message}` }) });
    host.onRequest(Add, () => {
      throw new Error('no such thread');
    });
    await assert.rejects(webview.request(Add, { a: 1, b: 2 }), (error: unknown) => ProtocolError.is(error, 'not_found') && error.message === 'mapped: no such thread');
  });

  test('cancelling a request rejects it at once and aborts the handler on the other side', async () => {
    const { host, webview, log, settle } = channelPair();
    let aborted = false;
    host.onRequest(Slow, (params, signal) => new Promise((resolve) => {
      const timer = setTimeout(() => resolve({ done: true }), params.ms);
      signal.addEventListener('abort', () => {
        aborted = true;
        clearTimeout(timer);
      });
    }));
    const controller = new AbortController();
    const pending = webview.request(Slow, { ms: 5_000 }, { signal: controller.signal });
    await settle();
    controller.abort();
    await assert.rejects(pending, (error: unknown) => ProtocolError.is(error, 'cancelled'));
    await settle();
    assert.equal(aborted, true);
    assert.ok(log.some((entry) => entry.from === 'webview' && entry.message.kind === 'cancel'));
    assert.equal(log.filter((entry) => entry.from === 'host' && entry.message.kind === 'response').length, 0, 'no late answer for a cancelled request');
  });

  test('notifications reach every subscriber; one that throws does not stop the others', async () => {
    const problems: string[] = [];
    const pair = channelPair({ onProblem: (problem) => problems.push(problem) });
    const seen: number[] = [];
    pair.webview.onNotification(Ping, () => {
      throw new Error('boom');
    });
    const unsubscribe = pair.webview.onNotification(Ping, ({ n }) => seen.push(n));
    pair.host.notify(Ping, { n: 1 });
    await pair.settle();
    unsubscribe();
    pair.host.notify(Ping, { n: 2 });
    await pair.settle();
    assert.deepEqual(seen, [1]);
  });

  test('disposing rejects pending requests and ignores later messages', async () => {
    const { host, webview, settle } = channelPair();
    host.onRequest(Slow, () => new Promise(() => undefined));
    const pending = webview.request(Slow, { ms: 1 });
    await settle();
    webview.dispose();
    await assert.rejects(pending, (error: unknown) => ProtocolError.is(error, 'cancelled'));
    await assert.rejects(webview.request(Add, { a: 1, b: 1 }), (error: unknown) => ProtocolError.is(error, 'cancelled'));
  });

  test('a method has one request handler; foreign messages are not envelopes', () => {
    const { host } = channelPair();
    host.onRequest(Add, () => ({ sum: 0 }));
    assert.throws(() => host.onRequest(Add, () => ({ sum: 1 })), /already registered/);
    assert.equal(isEnvelope({ kind: 'request', id: '1', method: 'x' }), false);
    assert.equal(isEnvelope({ type: 'ping' }), false);
    assert.equal(isEnvelope(null), false);
    assert.equal(isEnvelope({ kind: 'notification', method: 'run/event', params: {} }), true);
  });
});
