import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createEmbeddingsBackend } from '../../../src/providers/embeddingsBackend.ts';
import type { EmbeddingsBackend } from '../../../src/engine/ports/embeddings.ts';
import { WorkerPreparer } from '../../../src/engine/retrieval/documentPreparer.ts';
import { RRF_K } from '../../../src/engine/retrieval/rankFusion.ts';
import { startScriptedModelServer } from '../../support/modelServer/index.ts';
import type { ScriptedModelServer } from '../../support/modelServer/index.ts';
import { createWorkspace } from './workspaceFixture.ts';

const DIMENSIONS = 64;
let server: ScriptedModelServer;
let embeddings: EmbeddingsBackend;
const preparer = new WorkerPreparer(1);

before(async () => {
  server = await startScriptedModelServer();
  embeddings = await createEmbeddingsBackend({ baseURL: server.url, model: 'scripted-embedding-model', dimensions: DIMENSIONS, maxAttempts: 1 });
});
after(async () => {
  await preparer.close();
  await server.close();
});

const embeddedTexts = (): string[] => server.embeddingsRequests().flatMap((body) => (Array.isArray(body.input) ? body.input.map(String) : [String(body.input)]));

function paragraphs(topic: string, count: number): string {
  return Array.from({ length: count }, (_, i) => `## ${topic} ${i}\n\n${`${topic} paragraph ${i} explains the ${topic} procedure in detail. `.repeat(12)}\n`).join('\n');
}

describe('vectors', () => {
  test('hybrid search fuses keyword and vector ranks; vector-only matches still come back', async () => {
    const fixture = await createWorkspace({
      'notes/alpha.md': 'the of and but or nor the of and but',
      'notes/beta.md': 'vaccination schedule for the clinic',
      'notes/gamma.md': 'invoice ledger invoice ledger',
    }, { database: 'memory', index: { preparer, embeddings } });
    try {
      await fixture.sync();
      const stored = fixture.db.prepare('SELECT length(vector) AS bytes, space FROM retrieval_vectors').all() as Array<{ bytes: number; space: string }>;
      assert.equal(stored.length, 3);
      assert.ok(stored.every((row) => Number(row.bytes) === DIMENSIONS * 4 && row.space === `dims:${DIMENSIONS}`), 'Float32 BLOBs');

      const both = await fixture.index.search({ collections: ['ws'], query: 'invoice ledger', preferSource: false });
      assert.equal(both.mode, 'hybrid');
      assert.equal(both.files[0]?.path, 'notes/gamma.md');
      assert.ok(Math.abs(both.files[0]!.score - 1) < 1e-9, 'first in both lists fuses to 1');

      // Only stop words: the keyword side has nothing to look up, the vector side still answers.
      const vectorOnly = await fixture.index.search({ collections: ['ws'], query: 'the of and but', preferSource: false });
      assert.deepEqual(vectorOnly.plan.terms, []);
      assert.equal(vectorOnly.files[0]?.path, 'notes/alpha.md');
      assert.ok(Math.abs(vectorOnly.files[0]!.score - (1 / (RRF_K + 1)) / (2 / (RRF_K + 1))) < 1e-9, 'one list at rank 1 is half the maximum');
      assert.ok(embeddedTexts().includes('the of and but'), 'the question itself was embedded');

      const keywordOnlyWeights = await fixture.index.search({ collections: ['ws'], query: 'vaccination', hybridWeights: { text: 1, embedding: 0 }, preferSource: false });
      assert.deepEqual(keywordOnlyWeights.files.map((file) => file.path), ['notes/beta.md']);
    } finally {
      await fixture.close();
    }
  });

  test('an edit re-embeds only the chunks whose text changed; a rename re-embeds nothing', async () => {
    const limits = { maxTokens: 200, overlapTokens: 0 };
    const fixture = await createWorkspace({ 'docs/guide.md': paragraphs('deployment', 8) }, { database: 'memory', index: { preparer, embeddings } });
    try {
      await fixture.sync({ limits });
      const chunkCount = fixture.index.files('ws').get('docs/guide.md')!.chunkCount;
      assert.ok(chunkCount >= 4);
      const before = embeddedTexts().length;
      const edited = paragraphs('deployment', 8).replace('deployment paragraph 7 explains', 'deployment paragraph 7 now explains');
      fixture.write('docs/guide.md', edited);
      await fixture.sync({ limits });
      const reembedded = embeddedTexts().slice(before);
      assert.ok(reembedded.length >= 1 && reembedded.length < chunkCount, `re-embedded ${reembedded.length} of ${chunkCount}`);
      assert.ok(reembedded.some((text) => text.includes('now explains')));

      const beforeRename = embeddedTexts().length;
      fixture.write('docs/handbook.md', edited);
      fixture.remove('docs/guide.md');
      await fixture.sync({ limits });
      assert.equal(embeddedTexts().length - beforeRename, 0, 'stored vectors are found by chunk text, whatever the path');
      assert.deepEqual((await fixture.index.search({ collections: ['ws'], query: 'deployment procedure', preferSource: false })).files.map((file) => file.path), ['docs/handbook.md']);
    } finally {
      await fixture.close();
    }
  });

  test('when the embeddings server fails at query time, the search falls back to keywords and says so', async () => {
    const fixture = await createWorkspace({ 'a.md': 'lighthouse keeper logbook', 'b.md': 'harbour boats anchor' }, { database: 'memory', index: { preparer, embeddings } });
    try {
      await fixture.sync();
      server.enqueueEmbeddingsFault({ kind: 'httpError', status: 500 });
      const response = await fixture.index.search({ collections: ['ws'], query: 'lighthouse logbook', preferSource: false });
      assert.equal(response.mode, 'keyword');
      assert.match(response.warning ?? '', /keyword search alone/);
      assert.deepEqual(response.files.map((file) => file.path), ['a.md']);
    } finally {
      await fixture.close();
    }
  });

  test('the vector worker follows deletions and additions made after its first load', async () => {
    const fixture = await createWorkspace({ 'a.md': 'orchard apples harvest', 'b.md': 'harbour boats anchor' }, { database: 'memory', index: { preparer, embeddings } });
    try {
      await fixture.sync();
      assert.equal((await fixture.index.search({ collections: ['ws'], query: 'orchard apples', preferSource: false })).files[0]?.path, 'a.md');
      fixture.remove('a.md');
      fixture.write('c.md', 'orchard apples cider');
      await fixture.sync();
      const after = await fixture.index.search({ collections: ['ws'], query: 'orchard apples', maxNumResults: 50, preferSource: false });
      assert.deepEqual(after.files.map((file) => file.path).filter((file) => file !== 'b.md'), ['c.md']);
      assert.ok(after.chunks.every((chunk) => chunk.path !== 'a.md'));
    } finally {
      await fixture.close();
    }
  });
});
