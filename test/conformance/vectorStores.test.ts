/**
 * Vector stores, their files and batches, files, and the attachment / tool-resource helpers
 * (checklist #23, #24, #61–#65, #68, #69), on the knowledge-base index `threadwork serve` uses.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Clock } from '../../src/engine/clock.ts';
import { startHarness, VARIANTS, waitFor, type Harness } from './support/harness.ts';

const MODEL = 'scripted-chat-model';
const DAY = 86_400;

/** The system clock plus an offset the tests can move forward. */
class MovableClock implements Clock {
  offset = 0;
  nowSeconds(): number {
    return Math.floor(Date.now() / 1000) + this.offset;
  }
}

for (const via of VARIANTS) {
  describe(`vector stores and files (${via})`, () => {
    let h: Harness;
    const clock = new MovableClock();
    before(async () => {
      h = await startHarness({ via, clock });
    });
    after(async () => {
      await h.close();
    });

    async function upload(name: string, text: string) {
      return h.api.files.create({ file: new File([text], name), purpose: 'assistants' });
    }

    test('#69 POST /files returns file- ids with bytes, filename and purpose; content and list round-trip', async () => {
      const file = await upload('guide.md', '# Guide\nHello files.');
      assert.match(file.id, /^file-/);
      assert.deepEqual([file.object, file.bytes, file.filename, file.purpose, file.status], ['file', 20, 'guide.md', 'assistants', 'processed']);
      const content = await h.direct.files.content(file.id);
      assert.equal(await content.text(), '# Guide\nHello files.');
      const listed = await h.api.files.list({ purpose: 'assistants' });
      assert.ok(listed.data.some((f) => f.id === file.id));
      const retrieved = await h.api.files.retrieve(file.id);
      assert.deepEqual(retrieved, file);
    });

    test('#61 #62 a new store is in_progress while files ingest, then completed; counts add up; default chunking 800/400', async () => {
      const files = await Promise.all([upload('a.txt', 'alpha'), upload('b.txt', 'bravo bravo')]);
      const store = await h.api.vectorStores.create({ name: 'docs', file_ids: files.map((f) => f.id), metadata: { team: 'x' } });
      assert.equal(store.status, 'in_progress');
      assert.deepEqual(store.file_counts, { in_progress: 2, completed: 0, failed: 0, cancelled: 0, total: 2 });
      const done = await waitFor(async () => {
        const current = await h.api.vectorStores.retrieve(store.id);
        return current.status === 'completed' ? current : undefined;
      }, 'the store to complete');
      assert.deepEqual(done.file_counts, { in_progress: 0, completed: 2, failed: 0, cancelled: 0, total: 2 });
      assert.equal(done.usage_bytes, 5 + 11);
      const vsFiles = await h.api.vectorStores.files.list(store.id);
      assert.equal(vsFiles.data.length, 2);
      for (const file of vsFiles.data) {
        assert.equal(file.status, 'completed');
        assert.deepEqual(file.chunking_strategy, { type: 'static', static: { max_chunk_size_tokens: 800, chunk_overlap_tokens: 400 } });
        assert.equal(file.vector_store_id, store.id);
      }
      const completedOnly = await h.api.vectorStores.files.list(store.id, { filter: 'completed' });
      assert.equal(completedOnly.data.length, 2);
      const custom = await h.api.vectorStores.files.create(store.id, {
        file_id: files[0]!.id,
        chunking_strategy: { type: 'static', static: { max_chunk_size_tokens: 100, chunk_overlap_tokens: 50 } },
        attributes: { lang: 'en', year: 2024, draft: false },
      });
      assert.deepEqual(custom.chunking_strategy, { type: 'static', static: { max_chunk_size_tokens: 100, chunk_overlap_tokens: 50 } });
      assert.deepEqual(custom.attributes, { lang: 'en', year: 2024, draft: false });
    });

    test('#62 chunking limits: 99, 4097 and an overlap above half are refused', async () => {
      const file = await upload('c.txt', 'charlie');
      const store = await h.api.vectorStores.create({ name: 'limits' });
      const cases: Array<[number, number, string]> = [
        [99, 0, 'chunking_strategy.static.max_chunk_size_tokens'],
        [4097, 0, 'chunking_strategy.static.max_chunk_size_tokens'],
        [1000, 501, 'chunking_strategy.static.chunk_overlap_tokens'],
      ];
      for (const [max, overlap, param] of cases) {
        const response = await h.raw('POST', `/v1/vector_stores/${store.id}/files`, {
          beta: false,
          body: JSON.stringify({ file_id: file.id, chunking_strategy: { type: 'static', static: { max_chunk_size_tokens: max, chunk_overlap_tokens: overlap } } }),
        });
        assert.equal(response.status, 400, `${max}/${overlap}`);
        assert.equal(response.json.error.param, param);
      }
    });

    test('#65 deleting a store file keeps the file; deleting the file removes it from every store', async () => {
      const file = await upload('shared.txt', 'shared text');
      const first = await h.api.vectorStores.create({ name: 'one', file_ids: [file.id] });
      const second = await h.api.vectorStores.create({ name: 'two', file_ids: [file.id] });
      const detached = await h.api.vectorStores.files.delete(file.id, { vector_store_id: first.id });
      assert.deepEqual(detached, { id: file.id, object: 'vector_store.file.deleted', deleted: true });
      assert.equal((await h.api.files.retrieve(file.id)).id, file.id);
      await assert.rejects(h.direct.vectorStores.files.retrieve(file.id, { vector_store_id: first.id }), { status: 404 });
      await h.api.files.delete(file.id);
      await assert.rejects(h.direct.vectorStores.files.retrieve(file.id, { vector_store_id: second.id }), { status: 404 });
      const after = await h.api.vectorStores.retrieve(second.id);
      assert.equal(after.file_counts.total, 0);
    });

    test('#68 file batches: both file_ids and files → 400; vsfb_ batch object; listing and counts', async () => {
      const files = await Promise.all(['x', 'y', 'z'].map((name) => upload(`${name}.txt`, name.repeat(10))));
      const store = await h.api.vectorStores.create({ name: 'batches' });
      const both = await h.raw('POST', `/v1/vector_stores/${store.id}/file_batches`, {
        beta: false,
        body: JSON.stringify({ file_ids: [files[0]!.id], files: [{ file_id: files[1]!.id }] }),
      });
      assert.equal(both.status, 400);
      assert.equal(both.json.error.type, 'invalid_request_error');
      const batch = await h.api.vectorStores.fileBatches.create(store.id, { files: files.map((f, i) => ({ file_id: f.id, attributes: { position: i } })) });
      assert.match(batch.id, /^vsfb_/);
      assert.equal(batch.object, 'vector_store.files_batch');
      assert.equal(batch.file_counts.total, 3);
      const done = await waitFor(async () => {
        const current = await h.api.vectorStores.fileBatches.retrieve(batch.id, { vector_store_id: store.id });
        return current.status === 'completed' ? current : undefined;
      }, 'the batch to complete');
      assert.deepEqual(done.file_counts, { in_progress: 0, completed: 3, failed: 0, cancelled: 0, total: 3 });
      const listed = await h.api.vectorStores.fileBatches.listFiles(batch.id, { vector_store_id: store.id, order: 'asc', limit: 2 });
      assert.equal(listed.data.length, 2);
      assert.equal(listed.has_more, true);
      const rest = await h.api.vectorStores.fileBatches.listFiles(batch.id, { vector_store_id: store.id, order: 'asc', after: listed.data[1]!.id });
      assert.deepEqual([...listed.data, ...rest.data].map((f) => f.id), files.map((f) => f.id));
      assert.deepEqual(rest.data[0]!.attributes, { position: 2 });
      const late = await h.raw('POST', `/v1/vector_stores/${store.id}/file_batches/${batch.id}/cancel`, { beta: false });
      assert.equal(late.status, 400, 'a finished batch cannot be cancelled');
    });

    test('#68 cancelling a batch: status cancelled, unfinished files cancelled', async () => {
      const store = await h.api.vectorStores.create({ name: 'cancel me' });
      const files = [];
      for (let start = 0; start < 400; start += 50) {
        files.push(...(await Promise.all(Array.from({ length: 50 }, (_, i) => h.direct.files.create({ file: new File([`doc ${start + i}`], `doc${start + i}.txt`), purpose: 'assistants' })))));
      }
      const batch = await h.api.vectorStores.fileBatches.create(store.id, { file_ids: files.map((f) => f.id) });
      const cancelled = await h.api.vectorStores.fileBatches.cancel(batch.id, { vector_store_id: store.id });
      assert.equal(cancelled.status, 'cancelled');
      assert.ok(cancelled.file_counts.cancelled > 0, 'some files were still waiting');
      assert.equal(cancelled.file_counts.in_progress, 0);
      assert.equal(cancelled.file_counts.cancelled + cancelled.file_counts.completed, 400);
      const waiting = await h.api.vectorStores.fileBatches.listFiles(batch.id, { vector_store_id: store.id, filter: 'cancelled', limit: 100 });
      assert.ok(waiting.data.length > 0 && waiting.data.every((f) => f.status === 'cancelled'));
      await new Promise((resolve) => setTimeout(resolve, 100));
      const later = await h.api.vectorStores.retrieve(store.id);
      assert.equal(later.file_counts.in_progress, 0, 'cancelled files are not ingested later');
      assert.equal(later.status, 'completed');
    });

    test('#23 #24 attachments: file_search makes the thread a 7-day store; code_interpreter adds to its file ids', async () => {
      const doc = await upload('manual.txt', 'manual text');
      const data = await upload('data.csv', 'a,b\n1,2');
      const thread = await h.api.beta.threads.create();
      await h.api.beta.threads.messages.create(thread.id, {
        role: 'user',
        content: 'Read these.',
        attachments: [
          { file_id: doc.id, tools: [{ type: 'file_search' }] },
          { file_id: data.id, tools: [{ type: 'code_interpreter' }] },
        ],
      });
      const updated = await h.api.beta.threads.retrieve(thread.id);
      assert.deepEqual(updated.tool_resources?.code_interpreter?.file_ids, [data.id]);
      const storeIds = updated.tool_resources?.file_search?.vector_store_ids ?? [];
      assert.equal(storeIds.length, 1);
      const store = await h.api.vectorStores.retrieve(storeIds[0]!);
      assert.deepEqual(store.expires_after, { anchor: 'last_active_at', days: 7 });
      assert.equal(store.expires_at, store.last_active_at! + 7 * DAY);
      const inStore = await h.api.vectorStores.files.retrieve(doc.id, { vector_store_id: store.id });
      assert.equal(inStore.id, doc.id);
      // A second attachment lands in the same store.
      const more = await upload('more.txt', 'more');
      await h.api.beta.threads.messages.create(thread.id, { role: 'user', content: 'and this', attachments: [{ file_id: more.id, tools: [{ type: 'file_search' }] }] });
      const again = await h.api.beta.threads.retrieve(thread.id);
      assert.deepEqual(again.tool_resources?.file_search?.vector_store_ids, storeIds);
      assert.equal((await h.api.vectorStores.files.list(store.id)).data.length, 2);
      const missing = await h.raw('POST', `/v1/threads/${thread.id}/messages`, {
        body: JSON.stringify({ role: 'user', content: 'x', attachments: [{ file_id: 'file-missing', tools: [{ type: 'file_search' }] }] }),
      });
      assert.equal(missing.status, 404);
    });

    test('tool_resources.file_search.vector_stores makes a store on assistant and thread create', async () => {
      const file = await upload('kb.txt', 'knowledge');
      const assistant = await h.api.beta.assistants.create({
        model: MODEL,
        tools: [{ type: 'file_search' }],
        tool_resources: { file_search: { vector_stores: [{ file_ids: [file.id], metadata: { made: 'helper' } }] } },
      });
      const assistantStores = assistant.tool_resources?.file_search?.vector_store_ids ?? [];
      assert.equal(assistantStores.length, 1);
      const assistantStore = await h.api.vectorStores.retrieve(assistantStores[0]!);
      assert.deepEqual(assistantStore.metadata, { made: 'helper' });
      assert.equal(assistantStore.expires_at, null);
      assert.equal(assistantStore.file_counts.total, 1);
      const thread = await h.api.beta.threads.create({ tool_resources: { file_search: { vector_stores: [{ file_ids: [file.id] }] } } });
      const threadStore = await h.api.vectorStores.retrieve(thread.tool_resources!.file_search!.vector_store_ids![0]!);
      assert.deepEqual(threadStore.expires_after, { anchor: 'last_active_at', days: 7 });
      const both = await h.raw('POST', '/v1/threads', { body: JSON.stringify({ tool_resources: { file_search: { vector_store_ids: [threadStore.id], vector_stores: [{ file_ids: [] }] } } }) });
      assert.equal(both.status, 400);
    });

    test('#63 #64 expires_after: expires_at = last_active_at + days; a run using the store touches it; past expiry it reads expired', async () => {
      const store = await h.api.vectorStores.create({ name: 'short-lived', expires_after: { anchor: 'last_active_at', days: 1 } });
      assert.equal(store.expires_at, store.last_active_at! + DAY);
      const assistant = await h.api.beta.assistants.create({ model: MODEL, tools: [{ type: 'file_search' }], tool_resources: { file_search: { vector_store_ids: [store.id] } } });
      const thread = await h.api.beta.threads.create({ messages: [{ role: 'user', content: 'search please' }] });
      clock.offset += 3600;
      h.model.enqueue({ text: 'Nothing found.' });
      const run = await h.api.beta.threads.runs.createAndPoll(thread.id, { assistant_id: assistant.id });
      assert.equal(run.status, 'completed');
      const touched = await h.api.vectorStores.retrieve(store.id);
      assert.ok(touched.last_active_at! >= store.last_active_at! + 3600, '#64 last_active_at moved with the run');
      assert.equal(touched.expires_at, touched.last_active_at! + DAY);
      clock.offset += DAY + 1;
      const expired = await h.api.vectorStores.retrieve(store.id);
      assert.equal(expired.status, 'expired');
      const file = await upload('late.txt', 'too late');
      const refused = await h.raw('POST', `/v1/vector_stores/${store.id}/files`, { beta: false, body: JSON.stringify({ file_id: file.id }) });
      assert.equal(refused.status, 400);
      const search = await h.raw('POST', `/v1/vector_stores/${store.id}/search`, { beta: false, body: JSON.stringify({ query: 'anything' }) });
      assert.equal(search.status, 400);
      // #63: a run whose file_search reaches the expired store fails, as v2 failed such runs.
      const later = await h.api.beta.threads.create({ messages: [{ role: 'user', content: 'search again' }] });
      h.model.enqueue({ toolCalls: [{ name: 'file_search', arguments: { query: 'anything' } }] });
      const failedSearch = await h.api.beta.threads.runs.createAndPoll(later.id, { assistant_id: assistant.id });
      assert.equal(failedSearch.status, 'failed');
      assert.match(failedSearch.last_error?.message ?? '', /has expired/);
      await h.api.beta.threads.messages.create(later.id, { role: 'user', content: 'the lock is released' });
    });

    test('modify, list, filtered search and file content of vector stores', async () => {
      const file = await upload('notes.txt', 'plain notes');
      const store = await h.api.vectorStores.create({ name: 'before', file_ids: [file.id] });
      const renamed = await h.api.vectorStores.update(store.id, { name: 'after', metadata: { v: '2' }, expires_after: { anchor: 'last_active_at', days: 30 } });
      assert.deepEqual([renamed.name, renamed.metadata, renamed.expires_after?.days], ['after', { v: '2' }, 30]);
      const cleared = await h.direct.vectorStores.update(store.id, { expires_after: null });
      assert.equal(cleared.expires_at, null);
      const listed = await h.api.vectorStores.list({ limit: 100 });
      assert.ok(listed.data.some((s) => s.id === store.id && s.name === 'after'));
      await waitFor(async () => ((await h.api.vectorStores.retrieve(store.id)).status === 'completed' ? true : undefined), 'ingestion');
      const found = await h.api.vectorStores.search(store.id, { query: 'plain notes', max_num_results: 5 });
      assert.equal(found.data[0]?.file_id, file.id);
      assert.deepEqual(found.data[0]?.content, [{ type: 'text', text: 'plain notes' }]);
      const filtered = await h.api.vectorStores.search(store.id, { query: 'notes', max_num_results: 5, filters: { type: 'eq', key: 'lang', value: 'en' } });
      assert.deepEqual(filtered.data, [], 'the file has no lang attribute');
      const content = await h.api.vectorStores.files.content(file.id, { vector_store_id: store.id });
      assert.deepEqual(content.data, [{ type: 'text', text: 'plain notes' }]);
    });
  });
}
