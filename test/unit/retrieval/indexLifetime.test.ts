// A closed index refuses work instead of quietly starting worker threads that nobody would stop.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { RetrievalIndex } from '../../../src/engine/retrieval/retrievalIndex.ts';
import { openDatabase } from '../../../src/engine/store/sqlite.ts';

const SOURCE = new TextEncoder().encode('export function parseInvoice(text) {\n  return text.split("\\n");\n}\n');

test('after close() an index refuses to index again, and what it stored stays searchable', async () => {
  const db = openDatabase(':memory:');
  const index = new RetrievalIndex(db);
  const first = await index.upsert('docs', 'invoice.ts', SOURCE.slice());
  assert.equal(first.outcome, 'indexed');
  await index.close();
  await assert.rejects(index.upsert('docs', 'other.ts', SOURCE.slice()), /retrieval index is closed/);
  await assert.rejects(index.remove('docs', 'invoice.ts'), /retrieval index is closed/);
  const found = await index.search({ collections: ['docs'], query: 'parse invoice' });
  assert.equal(found.files[0]?.fileKey, 'invoice.ts');
  db.close();
});
