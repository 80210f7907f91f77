import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { WorkerPreparer } from '../../../src/engine/retrieval/documentPreparer.ts';
import { ensureRetrievalSchema } from '../../../src/engine/retrieval/schema.ts';
import { createWorkspace, sourceAbout } from './workspaceFixture.ts';
import type { WorkspaceFixture } from './workspaceFixture.ts';

const preparer = new WorkerPreparer(1);
after(() => preparer.close());

const ROUTER = `/** Dispatches a request through the matching routes. */
export function dispatchRequest(router, request) {
  const route = router.routes.find((candidate) => candidate.matches(request.path));
  if (!route) return router.notFound(request);
  return route.handle(request);
}
`;

const ROUTER_TEST = `import { dispatchRequest } from '../src/router.js';
test('dispatchRequest finds the route for a request path', () => {
  const router = makeRouter();
  dispatchRequest(router, { path: '/a' });
  dispatchRequest(router, { path: '/b' });
  assert.equal(router.routes.length, 2);
});
`;

async function withWorkspace(files: Record<string, string>, run: (fixture: WorkspaceFixture) => Promise<void>): Promise<void> {
  const fixture = await createWorkspace(files, { index: { preparer } });
  try {
    await fixture.sync();
    await run(fixture);
  } finally {
    await fixture.close();
  }
}

describe('search', () => {
  test('a change of the keyword format re-indexes every file on the next sync', async () => {
    await withWorkspace({ 'src/a.ts': sourceAbout('alpha'), 'src/b.ts': sourceAbout('bravo') }, async (fixture) => {
      fixture.db.prepare(`UPDATE retrieval_meta SET value = 'older' WHERE key = 'terms_version'`).run();
      ensureRetrievalSchema(fixture.db);
      assert.deepEqual(await fixture.index.search({ collections: ['ws'], query: 'alpha' }).then((response) => response.files), [], 'old terms are gone');
      const report = await fixture.sync();
      assert.equal(report.indexed, 2);
      assert.equal((await fixture.index.search({ collections: ['ws'], query: 'alpha' })).files[0]?.path, 'src/a.ts');
    });
  });

  test('scores are on 0..1, better matches score higher, and the best chunk gives the line range', async () => {
    await withWorkspace({ 'src/router.js': ROUTER, 'src/cache.ts': sourceAbout('cache'), 'src/queue.ts': sourceAbout('queue'), 'src/ledger.ts': sourceAbout('ledger'), 'src/request.ts': `export const requestTimeoutMs = 30_000;\n` }, async (fixture) => {
      const response = await fixture.index.search({ collections: ['ws'], query: 'how does dispatchRequest find the route for a request?' });
      assert.equal(response.mode, 'keyword');
      assert.equal(response.files[0]?.path, 'src/router.js');
      assert.deepEqual([response.files[0]?.startLine, response.files[0]?.endLine], [1, 6]);
      for (const hit of [...response.files, ...response.chunks]) assert.ok(hit.score > 0 && hit.score <= 1, `score ${hit.score}`);
      const chunk = response.chunks[0]!;
      assert.equal(chunk.text, ROUTER);
      assert.ok(chunk.tokenCount > 0);
      const partial = response.files.find((file) => file.path === 'src/request.ts');
      assert.ok(partial && partial.score < response.files[0]!.score / 2, 'a file with one word of the question scores far below one with all of them');
      const none = await fixture.index.search({ collections: ['ws'], query: 'quaternion spline' });
      assert.deepEqual(none.files, []);
    });
  });

  test('score_threshold drops weaker chunks and max_num_results caps them', async () => {
    const files: Record<string, string> = {};
    for (let i = 0; i < 12; i++) files[`src/part${i}.ts`] = `export const note${i} = 'invoice total ${'invoice '.repeat(i)}';\n`;
    await withWorkspace(files, async (fixture) => {
      const all = await fixture.index.search({ collections: ['ws'], query: 'invoice total', maxNumResults: 50 });
      assert.equal(all.chunks.length, 12);
      const scores = all.chunks.map((chunk) => chunk.score);
      assert.deepEqual(scores, [...scores].sort((a, b) => b - a), 'best first');
      const threshold = (scores[3]! + scores[8]!) / 2;
      const filtered = await fixture.index.search({ collections: ['ws'], query: 'invoice total', maxNumResults: 50, scoreThreshold: threshold });
      assert.ok(filtered.chunks.length > 0 && filtered.chunks.length < 12);
      assert.ok(filtered.chunks.every((chunk) => chunk.score >= threshold));
      assert.ok(filtered.files.every((file) => file.score >= threshold));
      const capped = await fixture.index.search({ collections: ['ws'], query: 'invoice total', maxNumResults: 5 });
      assert.equal(capped.chunks.length, 5);
      const top = await fixture.index.search({ collections: ['ws'], query: 'invoice total', maxNumResults: 50, scoreThreshold: 1 });
      assert.ok(top.chunks.every((chunk) => chunk.score === 1));
    });
  });

  test('for a behaviour question the source file outranks its test; asking about tests lifts them', async () => {
    await withWorkspace({ 'src/router.js': ROUTER, 'test/router.test.js': ROUTER_TEST, 'docs/routing.md': `# Routing\n\ndispatchRequest finds the route for a request path.\n` }, async (fixture) => {
      const plain = await fixture.index.search({ collections: ['ws'], query: 'dispatchRequest route request path', preferSource: false });
      assert.equal(plain.files[0]?.path, 'test/router.test.js', 'without the prior the test matches best');
      const behaviour = await fixture.index.search({ collections: ['ws'], query: 'dispatchRequest route request path' });
      assert.equal(behaviour.files[0]?.path, 'src/router.js');
      assert.equal(behaviour.files[0]?.role, 'source');
      const aboutTests = await fixture.index.search({ collections: ['ws'], query: 'tests for dispatchRequest route request path' });
      assert.equal(aboutTests.files[0]?.path, 'test/router.test.js');
    });
  });

  test('collections are searched separately and together', async () => {
    const fixture = await createWorkspace({}, { database: 'memory', index: { preparer } });
    try {
      await fixture.index.upsert('vs_a', 'file-a', new TextEncoder().encode(sourceAbout('payments')), { path: 'payments.ts' });
      await fixture.index.upsert('vs_b', 'file-b', new TextEncoder().encode(sourceAbout('payments') + sourceAbout('refunds')), { path: 'refunds.ts' });
      const onlyA = await fixture.index.search({ collections: ['vs_a'], query: 'payments' });
      assert.deepEqual(onlyA.files.map((file) => [file.collection, file.fileKey]), [['vs_a', 'file-a']]);
      assert.ok(onlyA.files[0]!.score > 0.1, `a store of one file still scores its match (${onlyA.files[0]!.score})`);
      const both = await fixture.index.search({ collections: ['vs_a', 'vs_b'], query: 'payments refunds' });
      assert.deepEqual(both.files.map((file) => file.fileKey).sort(), ['file-a', 'file-b']);
      assert.equal(both.files[0]?.fileKey, 'file-b', 'the file with both words first');
      assert.deepEqual((await fixture.index.search({ collections: ['vs_missing'], query: 'payments' })).files, []);
      assert.equal(await fixture.index.removeCollection('vs_b'), true);
      assert.deepEqual((await fixture.index.search({ collections: ['vs_a', 'vs_b'], query: 'refunds' })).files, []);
      const tables = fixture.db.prepare("SELECT count(*) AS n FROM sqlite_master WHERE name LIKE 'retrieval_fts_%' AND type = 'table' AND name NOT LIKE '%\\_%\\_%\\_%' ESCAPE '\\'").get() as { n: number };
      assert.equal(Number(tables.n), 1, 'the removed collection has no keyword table left');
    } finally {
      await fixture.close();
    }
  });

  test('uploads: unsupported files are recorded with a reason; re-adding the same bytes changes nothing', async () => {
    const fixture = await createWorkspace({}, { database: 'memory', index: { preparer } });
    try {
      const binary = await fixture.index.upsert('vs', 'file-bin', Uint8Array.from([1, 0, 2, 0, 0, 3]), { path: 'blob.dat' });
      assert.equal(binary.outcome, 'unsupported');
      assert.equal(binary.file.errorCode, 'binary');
      const first = await fixture.index.upsert('vs', 'file-1', new TextEncoder().encode(sourceAbout('ledger')), { path: 'ledger.ts' });
      assert.equal(first.outcome, 'indexed');
      assert.ok(first.file.usageBytes > 0 && first.file.chunkCount > 0);
      const again = await fixture.index.upsert('vs', 'file-1', new TextEncoder().encode(sourceAbout('ledger')), { path: 'ledger.ts' });
      assert.equal(again.outcome, 'unchanged');
      const rechunked = await fixture.index.upsert('vs', 'file-1', new TextEncoder().encode(sourceAbout('ledger')), { path: 'ledger.ts', limits: { maxTokens: 100, overlapTokens: 0 } });
      assert.equal(rechunked.outcome, 'indexed', 'other chunking limits re-chunk the same bytes');
      assert.deepEqual(rechunked.file.limits, { maxTokens: 100, overlapTokens: 0 });
      await assert.rejects(fixture.index.upsert('vs', 'file-2', new TextEncoder().encode('x'), { limits: { maxTokens: 50, overlapTokens: 0 } }), /max_chunk_size_tokens/);

      // Chunk text comes back exactly, astral characters (counted twice by JavaScript) included.
      const emoji = Array.from({ length: 40 }, (_, i) => `line ${i} 🚀🎉 rocketlaunch ${'𝒳'.repeat(i % 5)} done`).join('\n');
      await fixture.index.upsert('vs', 'file-emoji', new TextEncoder().encode(emoji), { path: 'emoji.txt', limits: { maxTokens: 100, overlapTokens: 20 } });
      const hits = await fixture.index.search({ collections: ['vs'], query: 'rocketlaunch', maxNumResults: 50 });
      assert.ok(hits.chunks.length > 2);
      const lines = emoji.split('\n');
      for (const chunk of hits.chunks) {
        assert.equal(chunk.text.replace(/\n$/, ''), lines.slice(chunk.startLine - 1, chunk.endLine).join('\n'));
      }
    } finally {
      await fixture.close();
    }
  });
});
