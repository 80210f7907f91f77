import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { APIConnectionError, APIError } from 'openai';
import { isTransientFailure } from '../../../src/providers/modelFailures.ts';
import { requestedRetryDelayMs, retryDelayMs, retryPolicy } from '../../../src/providers/retryPolicy.ts';

function apiError(status: number, headers: Record<string, string> = {}, code?: string): APIError {
  return APIError.generate(status, { error: { message: 'x', code } }, undefined, new Headers(headers));
}

void describe('retry policy', () => {
  void test('reads retry-after-ms first, then Retry-After as seconds or as a date', () => {
    assert.equal(requestedRetryDelayMs(apiError(429, { 'retry-after-ms': '250', 'retry-after': '9' })), 250);
    assert.equal(requestedRetryDelayMs(apiError(429, { 'retry-after': '2' })), 2000);
    const now = Date.parse('2026-01-01T00:00:00Z');
    assert.equal(requestedRetryDelayMs(apiError(503, { 'retry-after': 'Thu, 01 Jan 2026 00:00:03 GMT' }), now), 3000);
    assert.equal(requestedRetryDelayMs(apiError(429)), undefined);
  });

  void test('backs off exponentially with jitter, capped, and gives up on very long Retry-After', () => {
    const policy = { ...retryPolicy({ maxAttempts: 5, baseDelayMs: 100 }), maxDelayMs: 300 };
    const low = { ...policy, random: () => 0 };
    const high = { ...policy, random: () => 0.999 };
    const error = apiError(500);
    assert.deepEqual([1, 2, 3, 4].map((retry) => retryDelayMs(low, retry, error)), [50, 100, 150, 150]);
    assert.ok((retryDelayMs(high, 2, error) ?? 0) > 199 && (retryDelayMs(high, 2, error) ?? 0) < 200);
    assert.equal(retryDelayMs(policy, 1, apiError(429, { 'retry-after-ms': '40' })), 40);
    assert.equal(retryDelayMs(policy, 1, apiError(429, { 'retry-after': '3600' })), undefined);
  });

  void test('retries rate limits, outages and broken connections; not prompts, auth or exhausted quota', () => {
    assert.equal(isTransientFailure(apiError(429)), true);
    assert.equal(isTransientFailure(apiError(500)), true);
    assert.equal(isTransientFailure(apiError(408)), true);
    assert.equal(isTransientFailure(new APIConnectionError({ message: 'refused' })), true);
    assert.equal(isTransientFailure(new TypeError('terminated')), true);
    assert.equal(isTransientFailure(apiError(400)), false);
    assert.equal(isTransientFailure(apiError(401)), false);
    assert.equal(isTransientFailure(apiError(429, {}, 'insufficient_quota')), false);
    assert.equal(isTransientFailure(new SyntaxError('bad json')), false);
  });
});
