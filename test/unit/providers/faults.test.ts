/**
 * Every scripted fault against both backends: what is retried (only before the first event), what
 * each failure becomes, and that nothing hangs or repeats output.
 */
import assert from 'node:assert/strict';
import { after, afterEach, before, describe, test } from 'node:test';
import { ModelError } from '../../../src/engine/ports/modelBackend.ts';
import { createModelBackend } from '../../../src/providers/createModelBackend.ts';
import type { ModelBackendConfig } from '../../../src/providers/createModelBackend.ts';
import { startScriptedModelServer } from '../../support/modelServer/index.ts';
import type { ScriptedModelServer } from '../../support/modelServer/index.ts';
import { drain, FAST_RETRIES, finishOf, KINDS, modelRequest, textOf } from './support.ts';

const ANSWER = 'The quick brown fox jumps over the lazy dog, twice over.';

function assertModelError(error: unknown, code: ModelError['code'], pattern?: RegExp): asserts error is ModelError {
  assert.ok(error instanceof ModelError, `expected a ModelError, got ${String(error)}`);
  assert.equal(error.code, code, error.message);
  if (pattern) assert.match(error.message, pattern);
}

for (const kind of KINDS) {
  void describe(`${kind} faults`, () => {
    let server: ScriptedModelServer;
    before(async () => {
      server = await startScriptedModelServer();
    });
    afterEach(() => {
      assert.equal(server.pendingReplies(), 0, 'the whole script was used');
    });
    after(() => server.close());
    const backend = (overrides: Partial<ModelBackendConfig> = {}) =>
      createModelBackend({ kind, baseURL: server.url, apiKey: 'k', ...FAST_RETRIES, ...overrides });
    const requestsSince = (start: number) => server.requests.length - start;

    void test('429 then success: retried, text appears once', async () => {
      const start = server.requests.length;
      server.enqueue({ fault: { kind: 'rateLimit', retryAfterMs: 1 } }, { text: ANSWER });
      const { events, error } = await drain(backend().stream(modelRequest(), new AbortController().signal));
      assert.equal(error, undefined);
      assert.equal(textOf(events), ANSWER);
      assert.equal(requestsSince(start), 2);
    });

    void test('429 honours retry-after-ms before retrying', async () => {
      server.enqueue({ fault: { kind: 'rateLimit', retryAfterMs: 150 } }, { text: ANSWER });
      const started = performance.now();
      const { error } = await drain(backend({ retryBaseDelayMs: 0 }).stream(modelRequest(), new AbortController().signal));
      assert.equal(error, undefined);
      assert.ok(performance.now() - started >= 140, 'waited as asked');
    });

    void test('429 on every attempt ends as rate_limit_exceeded', async () => {
      const start = server.requests.length;
      server.enqueue(...Array.from({ length: 3 }, () => ({ fault: { kind: 'rateLimit' as const, retryAfterMs: 1 } })));
      const { events, error } = await drain(backend().stream(modelRequest(), new AbortController().signal));
      assertModelError(error, 'rate_limit_exceeded', /rate limit/i);
      assert.equal(error.status, 429);
      assert.deepEqual(events, []);
      assert.equal(requestsSince(start), 3);
    });

    void test('a Retry-After longer than worth waiting fails at once', async () => {
      const start = server.requests.length;
      server.enqueue({ fault: { kind: 'rateLimit', retryAfterSeconds: 3600 } });
      const { error } = await drain(backend().stream(modelRequest(), new AbortController().signal));
      assertModelError(error, 'rate_limit_exceeded');
      assert.equal(requestsSince(start), 1);
    });

    void test('500 is retried and then succeeds', async () => {
      const start = server.requests.length;
      server.enqueue({ fault: { kind: 'httpError', status: 500 } }, { fault: { kind: 'httpError', status: 503 } }, { text: ANSWER });
      const { events, error } = await drain(backend().stream(modelRequest(), new AbortController().signal));
      assert.equal(error, undefined);
      assert.equal(textOf(events), ANSWER);
      assert.equal(requestsSince(start), 3);
    });

    void test('500 on every attempt ends as server_error naming the status', async () => {
      server.enqueue(...Array.from({ length: 3 }, () => ({ fault: { kind: 'httpError' as const, status: 502, message: 'Bad gateway upstream' } })));
      const { error } = await drain(backend().stream(modelRequest(), new AbortController().signal));
      assertModelError(error, 'server_error', /HTTP 502.*3 attempts.*Bad gateway upstream/);
    });

    void test('a context-too-long 400 is invalid_prompt and not retried', async () => {
      const start = server.requests.length;
      server.enqueue({
        fault: { kind: 'httpError', status: 400, code: 'context_length_exceeded', message: "This model's maximum context length is 8192 tokens." },
      });
      const { error } = await drain(backend().stream(modelRequest(), new AbortController().signal));
      assertModelError(error, 'invalid_prompt', /maximum context length/);
      assert.equal(requestsSince(start), 1);
    });

    void test('a content-policy 400 is invalid_prompt', async () => {
      server.enqueue({ fault: { kind: 'httpError', status: 400, message: 'Your request was rejected as a result of our safety system (content policy).' } });
      const { error } = await drain(backend().stream(modelRequest(), new AbortController().signal));
      assertModelError(error, 'invalid_prompt');
    });

    void test('other 4xx are server_error with advice, not retried', async () => {
      const start = server.requests.length;
      server.enqueue({ fault: { kind: 'httpError', status: 401, message: 'Incorrect API key provided.' } });
      const { error } = await drain(backend().stream(modelRequest(), new AbortController().signal));
      assertModelError(error, 'server_error', /API key/);
      assert.equal(requestsSince(start), 1);
    });

    void test('a reset mid-stream ends as server_error without retrying or repeating text', async () => {
      const start = server.requests.length;
      server.enqueue({ text: ANSWER, chunkSize: 2, fault: { kind: 'reset', afterEvents: 8 } });
      const { events, error } = await drain(backend().stream(modelRequest(), new AbortController().signal));
      assertModelError(error, 'server_error', /connection to the model server was lost while the response was streaming/);
      const text = textOf(events);
      assert.ok(text.length > 0, 'some text arrived before the reset');
      assert.ok(ANSWER.startsWith(text) && text.length < ANSWER.length, `partial text is a prefix: ${JSON.stringify(text)}`);
      assert.equal(finishOf(events), undefined);
      assert.equal(requestsSince(start), 1);
    });

    void test('a reset before any output is retried', async () => {
      const start = server.requests.length;
      server.enqueue({ text: ANSWER, fault: { kind: 'reset', afterEvents: 0 } }, { text: ANSWER });
      const { events, error } = await drain(backend().stream(modelRequest(), new AbortController().signal));
      assert.equal(error, undefined);
      assert.equal(textOf(events), ANSWER);
      assert.equal(requestsSince(start), 2);
    });

    void test('a malformed chunk ends as server_error, nothing garbled is yielded', async () => {
      const start = server.requests.length;
      server.enqueue({ text: ANSWER, chunkSize: 5, fault: { kind: 'malformed', afterEvents: 6 } });
      const { events, error } = await drain(backend().stream(modelRequest(), new AbortController().signal));
      assertModelError(error, 'server_error', /not valid JSON/);
      assert.ok(ANSWER.startsWith(textOf(events)));
      assert.equal(requestsSince(start), 1);
    });

    void test('a stall ends with the idle timeout error, promptly', async () => {
      server.enqueue({ text: ANSWER, fault: { kind: 'stall', afterEvents: 5, ms: 5_000 } });
      const started = performance.now();
      const { events, error } = await drain(backend({ idleTimeoutMs: 150 }).stream(modelRequest(), new AbortController().signal));
      const elapsed = performance.now() - started;
      assertModelError(error, 'server_error', /^The model stopped responding/);
      assert.ok(elapsed >= 140 && elapsed < 2_000, `stopped after ${elapsed} ms`);
      assert.ok(ANSWER.startsWith(textOf(events)));
      await waitFor(() => server.requests.at(-1)?.clientDisconnected === true);
    });

    void test('slow but steady output is not an idle timeout', async () => {
      server.enqueue({ text: 'one two three four', chunkSize: 4, delayMs: 30 });
      const { events, error } = await drain(backend({ idleTimeoutMs: 200 }).stream(modelRequest(), new AbortController().signal));
      assert.equal(error, undefined);
      assert.equal(textOf(events), 'one two three four');
    });

    void test('the overall timeout stops a call that keeps trickling', async () => {
      server.enqueue({ text: 'x'.repeat(200), chunkSize: 1, delayMs: 20 });
      const started = performance.now();
      const { error } = await drain(backend({ timeoutMs: 250, idleTimeoutMs: 1_000 }).stream(modelRequest(), new AbortController().signal));
      assertModelError(error, 'server_error', /^The model request took longer than 250 ms/);
      assert.ok(performance.now() - started < 2_000);
    });

    void test('a server that never answers the headers hits the idle timeout too', async () => {
      server.enqueue({ text: ANSWER, headersDelayMs: 5_000 });
      const { error } = await drain(backend({ idleTimeoutMs: 120 }).stream(modelRequest(), new AbortController().signal));
      assertModelError(error, 'server_error', /stopped responding/);
    });

    void test('abort mid-stream ends with an AbortError at once and drops the connection', async () => {
      server.enqueue({ text: ANSWER, chunkSize: 1, delayMs: 30 });
      const controller = new AbortController();
      const events: string[] = [];
      let abortedAt = 0;
      let error: unknown;
      try {
        for await (const event of backend().stream(modelRequest(), controller.signal)) {
          if (event.type === 'text') events.push(event.delta);
          if (events.length === 3) {
            abortedAt = performance.now();
            controller.abort();
          }
        }
      } catch (caught) {
        error = caught;
      }
      assert.ok(error instanceof Error);
      assert.equal(error.name, 'AbortError');
      assert.ok(!(error instanceof ModelError));
      assert.ok(performance.now() - abortedAt < 500, 'ended promptly');
      assert.equal(events.join(''), ANSWER.slice(0, 3));
      await waitFor(() => server.requests.at(-1)?.clientDisconnected === true);
    });

    void test('abort while waiting for headers, and before starting, both end as AbortError', async () => {
      server.enqueue({ text: ANSWER, headersDelayMs: 2_000 });
      const controller = new AbortController();
      setTimeout(() => controller.abort(), 50);
      const { error } = await drain(backend().stream(modelRequest(), controller.signal));
      assert.equal((error as Error).name, 'AbortError');

      const start = server.requests.length;
      const { error: early } = await drain(backend().stream(modelRequest(), AbortSignal.abort()));
      assert.equal((early as Error).name, 'AbortError');
      assert.equal(requestsSince(start), 0, 'no request was made');
    });

    void test('abort during a retry wait ends at once', async () => {
      server.enqueue({ fault: { kind: 'rateLimit', retryAfterMs: 5_000 } });
      const controller = new AbortController();
      setTimeout(() => controller.abort(), 80);
      const started = performance.now();
      const { error } = await drain(backend({ maxAttempts: 2 }).stream(modelRequest(), controller.signal));
      assert.equal((error as Error).name, 'AbortError');
      assert.ok(performance.now() - started < 1_000);
    });

    void test('a consumer that stops reading closes the request', async () => {
      server.enqueue({ text: ANSWER, chunkSize: 1, delayMs: 20 });
      for await (const event of backend().stream(modelRequest(), new AbortController().signal)) {
        if (event.type === 'text') break;
      }
      await waitFor(() => server.requests.at(-1)?.clientDisconnected === true);
    });

    void test('an unreachable server is a server_error that names the address', async () => {
      const gone = await startScriptedModelServer();
      const url = gone.url;
      await gone.close();
      const unreachable = createModelBackend({ kind, baseURL: url, ...FAST_RETRIES });
      const { error } = await drain(unreachable.stream(modelRequest(), new AbortController().signal));
      assertModelError(error, 'server_error', new RegExp(`Could not reach the model server at ${url.replace(/[.]/g, '\\.')}.*3 attempts`));
    });
  });
}

async function waitFor(condition: () => boolean, timeoutMs = 1_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > until) assert.fail('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}
