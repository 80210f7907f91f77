// Checklist items 14–19: list order, limits, cursors and the run_id filter.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { EngineError } from '../../../src/engine/errors.ts';
import { parseListParams } from '../../../src/engine/validation/commonParams.ts';
import { createEngineHarness, type EngineHarness } from '../../support/engineHarness.ts';

describe('lists', () => {
  let h: EngineHarness;
  let threadId: string;
  let ids: string[];
  before(async () => {
    h = await createEngineHarness();
    const thread = h.engine.threads.create();
    threadId = thread.id;
    // 45 messages created within the same second or two: order must still be stable.
    ids = Array.from({ length: 45 }, (_, i) => h.engine.messages.create(thread.id, { role: 'user', content: `m${i}` }).id);
  });
  after(async () => h.close());

  test('#14 newest first by default, order=asc reverses', () => {
    const desc = h.engine.messages.list(threadId, { limit: 5 });
    assert.deepEqual(desc.data.map((m) => m.id), ids.slice(-5).reverse());
    const asc = h.engine.messages.list(threadId, { limit: 5, order: 'asc' });
    assert.deepEqual(asc.data.map((m) => m.id), ids.slice(0, 5));
  });

  test('#15 limit defaults to 20; 0 and 101 are refused', () => {
    assert.equal(h.engine.messages.list(threadId).data.length, 20);
    for (const limit of ['0', '101']) {
      assert.throws(() => parseListParams({ limit }), (error: unknown) => EngineError.is(error) && error.status === 400 && error.param === 'limit');
    }
    assert.equal(parseListParams({ limit: '100' }).limit, 100);
  });

  test('#16 has_more, first_id and last_id describe the page; empty pages have null ids', () => {
    const page = h.engine.messages.list(threadId, { limit: 10, order: 'asc' });
    assert.equal(page.has_more, true);
    assert.equal(page.first_id, ids[0]);
    assert.equal(page.last_id, ids[9]);
    const tail = h.engine.messages.list(threadId, { limit: 10, order: 'asc', after: ids[39] });
    assert.equal(tail.data.length, 5);
    assert.equal(tail.has_more, false);
    const empty = h.engine.messages.list(threadId, { order: 'asc', after: ids[44] });
    assert.deepEqual(empty, { object: 'list', data: [], first_id: null, last_id: null, has_more: false });
  });

  test('#17 paging with after until has_more is false yields every object exactly once', () => {
    for (const order of ['asc', 'desc'] as const) {
      const seen: string[] = [];
      let after: string | undefined;
      for (;;) {
        const page = h.engine.messages.list(threadId, { limit: 7, order, ...(after ? { after } : {}) });
        seen.push(...page.data.map((m) => m.id));
        if (!page.has_more) break;
        after = page.last_id!;
      }
      assert.deepEqual(seen, order === 'asc' ? ids : [...ids].reverse());
    }
  });

  test('#18 before returns the preceding page in the requested order', () => {
    const page = h.engine.messages.list(threadId, { limit: 5, order: 'asc', before: ids[20] });
    assert.deepEqual(page.data.map((m) => m.id), ids.slice(15, 20));
    assert.equal(page.has_more, true);
    const descPage = h.engine.messages.list(threadId, { limit: 3, order: 'desc', before: ids[20] });
    assert.deepEqual(descPage.data.map((m) => m.id), [ids[23], ids[22], ids[21]]);
  });

  test('#19 run_id filters messages to those a run created', async () => {
    h.model.enqueue({ text: 'from the run' });
    const assistant = h.assistant();
    const thread = h.engine.threads.create({ messages: [{ role: 'user', content: 'q' }] });
    const run = h.engine.runs.create(thread.id, { assistant_id: assistant.id });
    await h.settle(thread.id, run.id);
    const mine = h.engine.messages.list(thread.id, { run_id: run.id });
    assert.equal(mine.data.length, 1);
    assert.equal(mine.data[0]!.run_id, run.id);
    assert.equal(h.engine.messages.list(thread.id).data.length, 2);
  });

  test('an unknown cursor is a clear 400', () => {
    assert.throws(() => h.engine.messages.list(threadId, { after: 'msg_nope' }), (error: unknown) => EngineError.is(error) && error.param === 'after');
  });
});
