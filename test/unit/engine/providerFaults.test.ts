// Each provider fault ends the run in a defined state with a clear last_error and no duplicated message.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { ScriptedReply } from '../../support/modelServer/index.ts';
import { createEngineHarness } from '../../support/engineHarness.ts';

interface FaultCase {
  name: string;
  replies: ScriptedReply[];
  status: 'completed' | 'failed';
  code?: 'rate_limit_exceeded' | 'server_error' | 'invalid_prompt';
  messageIncludes?: RegExp;
}

const cases: FaultCase[] = [
  { name: '429 with Retry-After, then success', replies: [{ fault: { kind: 'rateLimit', retryAfterSeconds: 0.01 } }, { text: 'recovered answer' }], status: 'completed' },
  { name: '429 until retries run out', replies: Array.from({ length: 3 }, () => ({ fault: { kind: 'rateLimit' as const, retryAfterMs: 1 } })), status: 'failed', code: 'rate_limit_exceeded' },
  { name: '500 once, then success', replies: [{ fault: { kind: 'httpError', status: 500 } }, { text: 'recovered answer' }], status: 'completed' },
  { name: '400 context too long', replies: [{ fault: { kind: 'httpError', status: 400, message: "This model's maximum context length is 8192 tokens.", code: 'context_length_exceeded' } }], status: 'failed', code: 'invalid_prompt' },
  { name: 'connection reset mid-stream', replies: [{ text: 'partial answer that will be cut', chunkSize: 2, fault: { kind: 'reset', afterEvents: 5 } }], status: 'failed', code: 'server_error' },
  { name: 'malformed chunk', replies: [{ text: 'partial answer', chunkSize: 2, fault: { kind: 'malformed', afterEvents: 4 } }], status: 'failed', code: 'server_error' },
  { name: 'stall longer than the idle timeout', replies: [{ text: 'slow answer', chunkSize: 2, fault: { kind: 'stall', afterEvents: 3, ms: 1500 } }], status: 'failed', code: 'server_error', messageIncludes: /stopped responding|idle|timed out/i },
];

for (const kind of ['chat-completions', 'responses'] as const) {
  describe(`provider faults (${kind})`, () => {
    for (const fault of cases) {
      test(fault.name, async () => {
        const h = await createEngineHarness({ kind, idleTimeoutMs: 400 });
        try {
          h.model.enqueue(...fault.replies);
          const assistant = h.assistant();
          const thread = h.engine.threads.create({ messages: [{ role: 'user', content: 'question' }] });
          const run = h.engine.runs.create(thread.id, { assistant_id: assistant.id });
          const final = await h.settle(thread.id, run.id);
          assert.equal(final.status, fault.status, JSON.stringify(final.last_error));
          const messages = h.engine.messages.list(thread.id, { run_id: run.id }).data;
          assert.ok(messages.length <= 1, 'never a duplicated message');
          if (fault.status === 'completed') {
            assert.equal(messages[0]!.status, 'completed');
            assert.equal(messages[0]!.content[0]!.type === 'text' ? messages[0]!.content[0]!.text.value : '', 'recovered answer');
          } else {
            assert.equal(final.last_error!.code, fault.code);
            assert.ok(final.last_error!.message.length > 10, 'a clear message');
            if (fault.messageIncludes) assert.match(final.last_error!.message, fault.messageIncludes);
            for (const message of messages) assert.deepEqual(message.incomplete_details, { reason: 'run_failed' });
            for (const step of h.engine.runs.listSteps(thread.id, run.id).data) assert.equal(step.status, 'failed');
          }
          h.engine.messages.create(thread.id, { role: 'user', content: 'the lock is released' });
        } finally {
          await h.close();
        }
      });
    }
  });
}

test('without a configured model, runs fail with a clear last_error', async () => {
  const h = await createEngineHarness({ noModel: true });
  try {
    const assistant = h.assistant();
    const thread = h.engine.threads.create({ messages: [{ role: 'user', content: 'x' }] });
    const run = h.engine.runs.create(thread.id, { assistant_id: assistant.id });
    const final = await h.settle(thread.id, run.id);
    assert.equal(final.status, 'failed');
    assert.match(final.last_error!.message, /No model provider is configured/);
  } finally {
    await h.close();
  }
});
