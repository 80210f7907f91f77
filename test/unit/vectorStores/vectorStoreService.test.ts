/**
 * VectorStoreService through the VectorIndex port. The index here is a small but real keyword
 * index (term overlap scoring) with a gate the test can hold shut, so ingestion timing —
 * in_progress, cancel, delete mid-ingestion, restart — is deterministic.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { Engine } from '../../../src/engine/engine.ts';
import { EngineError } from '../../../src/engine/errors.ts';
import {
  VectorIndexFileError,
  type VectorIndex,
  type VectorIndexChunking,
  type VectorIndexFile,
  type VectorIndexHit,
  type VectorIndexSearchOptions,
} from '../../../src/engine/ports/vectorIndex.ts';
import { matchesFilter } from '../../../src/engine/vectorStores/searchFilter.ts';

interface Chunk {
  store: string;
  fileId: string;
  filename: string;
  text: string;
  line: number;
}

const words = (text: string): string[] => text.toLowerCase().match(/[a-z0-9]+/g) ?? [];

class KeywordIndex implements VectorIndex {
  readonly chunks: Chunk[] = [];
  readonly added: Array<{ store: string; fileId: string; chunking: VectorIndexChunking }> = [];
  readonly removed: string[] = [];
  private gate: Promise<void> = Promise.resolve();
  private openGate: () => void = () => undefined;

  hold(): void {
    this.gate = new Promise((resolve) => (this.openGate = resolve));
  }

  release(): void {
    this.openGate();
  }

  async addFile(store: string, file: VectorIndexFile, chunking: VectorIndexChunking, signal?: AbortSignal): Promise<{ usageBytes: number }> {
    await Promise.race([this.gate, new Promise((_, reject) => signal?.addEventListener('abort', () => reject(new Error('aborted')), { once: true }))]);
    if (file.filename.endsWith('.bin')) throw new VectorIndexFileError('unsupported_file', `${file.filename}: binary files cannot be searched.`);
    if (file.filename.endsWith('.broken')) throw new Error('the index is out of disk space');
    this.added.push({ store, fileId: file.id, chunking });
    const lines = new TextDecoder().decode(file.bytes).split('\n');
    lines.forEach((text, line) => this.chunks.push({ store, fileId: file.id, filename: file.filename, text, line }));
    return { usageBytes: file.bytes.byteLength * 2 };
  }

  removeFile(store: string, fileId: string): void {
    this.removed.push(`${store}/${fileId}`);
    for (let i = this.chunks.length - 1; i >= 0; i--) if (this.chunks[i]!.store === store && this.chunks[i]!.fileId === fileId) this.chunks.splice(i, 1);
  }

  async search(stores: readonly string[], query: string, options: VectorIndexSearchOptions): Promise<VectorIndexHit[]> {
    const terms = new Set(words(query));
    return this.chunks
      .filter((chunk) => stores.includes(chunk.store) && (!options.fileIds || options.fileIds.has(chunk.fileId)))
      .map((chunk) => ({ chunk, score: words(chunk.text).filter((word) => terms.has(word)).length / Math.max(1, terms.size) }))
      .filter((hit) => hit.score > 0 && hit.score >= options.scoreThreshold)
      .sort((a, b) => b.score - a.score)
      .slice(0, options.maxResults)
      .map(({ chunk, score }) => ({ vectorStoreId: chunk.store, fileId: chunk.fileId, filename: chunk.filename, score, text: chunk.text, startLine: chunk.line + 1, endLine: chunk.line + 1 }));
  }

  dropStore(store: string): void {
    for (let i = this.chunks.length - 1; i >= 0; i--) if (this.chunks[i]!.store === store) this.chunks.splice(i, 1);
  }
}

const dirs: string[] = [];
after(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

function open(index: VectorIndex | null, dir?: string, clock?: { nowSeconds(): number }): { engine: Engine; dir: string } {
  const where = dir ?? mkdtempSync(join(tmpdir(), 'threadwork-vs-'));
  if (!dir) dirs.push(where);
  const engine = new Engine({ databasePath: join(where, 'db.sqlite'), modelBackend: null, vectorIndex: index, ...(clock ? { clock } : {}) });
  return { engine, dir: where };
}

const upload = (engine: Engine, filename: string, text: string) => engine.files.create({ filename, purpose: 'assistants', bytes: new TextEncoder().encode(text) });

async function settle(engine: Engine): Promise<void> {
  for (let i = 0; i < 200 && engine.vectorStores.pendingIngestion > 0; i++) await new Promise((resolve) => setTimeout(resolve, 5));
  assert.equal(engine.vectorStores.pendingIngestion, 0, 'ingestion settled');
}

describe('VectorStoreService with an index', () => {
  test('files stay in_progress until the index has them, then complete with the usage it reports', async () => {
    const index = new KeywordIndex();
    const { engine } = open(index);
    index.hold();
    const file = upload(engine, 'notes.md', 'alpha beta\ngamma');
    const store = engine.vectorStores.create({ file_ids: [file.id], chunking_strategy: { type: 'static', static: { max_chunk_size_tokens: 300, chunk_overlap_tokens: 100 } } });
    await new Promise((resolve) => setTimeout(resolve, 20));
    assert.equal(engine.vectorStores.retrieve(store.id).status, 'in_progress');
    assert.equal(engine.vectorStores.retrieveFile(store.id, file.id).status, 'in_progress');
    index.release();
    await settle(engine);
    const done = engine.vectorStores.retrieve(store.id);
    assert.equal(done.status, 'completed');
    assert.equal(done.usage_bytes, file.bytes * 2);
    assert.deepEqual(index.added[0]!.chunking, { maxChunkSizeTokens: 300, chunkOverlapTokens: 100 });
    await engine.close();
  });

  test('files the index refuses end failed with its code; other failures are server_error; an all-failed batch is failed', async () => {
    const index = new KeywordIndex();
    const { engine } = open(index);
    const binary = upload(engine, 'image.bin', 'xx');
    const broken = upload(engine, 'data.broken', 'yy');
    const store = engine.vectorStores.create({});
    const batch = engine.vectorStores.createBatch(store.id, { file_ids: [binary.id, broken.id] });
    await settle(engine);
    assert.deepEqual(engine.vectorStores.retrieveFile(store.id, binary.id).last_error, { code: 'unsupported_file', message: 'image.bin: binary files cannot be searched.' });
    assert.equal(engine.vectorStores.retrieveFile(store.id, broken.id).last_error?.code, 'server_error');
    const finished = engine.vectorStores.retrieveBatch(store.id, batch.id);
    assert.equal(finished.status, 'failed');
    assert.deepEqual(finished.file_counts, { in_progress: 0, completed: 0, failed: 2, cancelled: 0, total: 2 });
    assert.equal(engine.vectorStores.retrieve(store.id).status, 'completed');
    await engine.close();
  });

  test('search: several queries merge by best score, threshold and max results apply, attribute filters narrow the files', async () => {
    const index = new KeywordIndex();
    const { engine } = open(index);
    const en = upload(engine, 'en.txt', 'the quick brown fox\nlazy dogs sleep');
    const de = upload(engine, 'de.txt', 'der schnelle braune fuchs\nquick fox in german');
    const store = engine.vectorStores.create({});
    engine.vectorStores.createFile(store.id, { file_id: en.id, attributes: { lang: 'en', year: 2024 } });
    engine.vectorStores.createFile(store.id, { file_id: de.id, attributes: { lang: 'de', year: 2020 } });
    await settle(engine);
    const all = await engine.vectorStores.search(store.id, { query: ['quick fox', 'lazy'] });
    assert.deepEqual(all.search_query, ['quick fox', 'lazy']);
    assert.ok(all.data.length >= 3);
    assert.deepEqual(all.data.map((hit) => hit.score), [...all.data.map((hit) => hit.score)].sort((a, b) => b - a));
    assert.equal(all.data[0]!.score, 1);
    const strict = await engine.vectorStores.search(store.id, { query: 'quick fox brown', ranking_options: { score_threshold: 0.9 } });
    assert.deepEqual(strict.data.map((hit) => hit.content[0]!.text), ['the quick brown fox']);
    const one = await engine.vectorStores.search(store.id, { query: 'quick fox', max_num_results: 1 });
    assert.equal(one.data.length, 1);
    const german = await engine.vectorStores.search(store.id, { query: 'quick fox', filters: { type: 'eq', key: 'lang', value: 'de' } });
    assert.deepEqual(new Set(german.data.map((hit) => hit.file_id)), new Set([de.id]));
    assert.deepEqual(german.data[0]!.attributes, { lang: 'de', year: 2020 });
    const recent = await engine.vectorStores.search(store.id, { query: 'quick fox', filters: { type: 'and', filters: [{ type: 'gte', key: 'year', value: 2021 }, { type: 'in', key: 'lang', value: ['en', 'fr'] }] } });
    assert.deepEqual(new Set(recent.data.map((hit) => hit.file_id)), new Set([en.id]));
    const none = await engine.vectorStores.search(store.id, { query: 'quick fox', filters: { type: 'eq', key: 'lang', value: 'fr' } });
    assert.deepEqual(none.data, []);
    engine.vectorStores.deleteFile(store.id, en.id);
    assert.deepEqual(index.removed, [`${store.id}/${en.id}`]);
    const after = await engine.vectorStores.search(store.id, { query: 'quick fox' });
    assert.ok(after.data.every((hit) => hit.file_id === de.id));
    await engine.close();
  });

  test('a file deleted while it is being ingested is dropped for good; a cancelled batch cancels only unfinished files', async () => {
    const index = new KeywordIndex();
    const { engine } = open(index);
    const early = upload(engine, 'early.txt', 'early words');
    const store = engine.vectorStores.create({ file_ids: [early.id] });
    await settle(engine);
    index.hold();
    const slow = upload(engine, 'slow.txt', 'slow words');
    const other = upload(engine, 'other.txt', 'other words');
    engine.vectorStores.createFile(store.id, { file_id: slow.id });
    await new Promise((resolve) => setTimeout(resolve, 10));
    engine.files.delete(slow.id);
    const batch = engine.vectorStores.createBatch(store.id, { file_ids: [early.id, other.id] });
    await new Promise((resolve) => setTimeout(resolve, 10));
    const cancelled = engine.vectorStores.cancelBatch(store.id, batch.id);
    assert.equal(cancelled.status, 'cancelled');
    assert.deepEqual(cancelled.file_counts, { in_progress: 0, completed: 0, failed: 0, cancelled: 2, total: 2 });
    index.release();
    await settle(engine);
    assert.throws(() => engine.vectorStores.retrieveFile(store.id, slow.id), (error: unknown) => EngineError.is(error, 'not_found'));
    assert.equal(engine.vectorStores.retrieveFile(store.id, other.id).status, 'cancelled');
    assert.ok(!index.chunks.some((chunk) => chunk.fileId === slow.id || chunk.fileId === other.id), 'nothing cancelled or deleted reached the index');
    const rolled = engine.vectorStores.retrieve(store.id);
    assert.deepEqual(rolled.file_counts, { in_progress: 0, completed: 0, failed: 0, cancelled: 2, total: 2 });
    assert.throws(() => engine.vectorStores.cancelBatch(store.id, batch.id), /Cannot cancel vector store file batch with status 'cancelled'/);
    await engine.close();
  });

  test('ingestion interrupted by a shutdown resumes when the database is opened again', async () => {
    const first = new KeywordIndex();
    const { engine, dir } = open(first);
    first.hold();
    const file = upload(engine, 'resume.txt', 'resume me');
    const store = engine.vectorStores.create({ file_ids: [file.id] });
    await new Promise((resolve) => setTimeout(resolve, 10));
    await engine.close();
    const second = new KeywordIndex();
    const reopened = open(second, dir).engine;
    await settle(reopened);
    assert.equal(reopened.vectorStores.retrieveFile(store.id, file.id).status, 'completed');
    assert.equal(second.added.length, 1);
    await reopened.close();
  });

  test('expiry: touched stores move their expiry; an expired store refuses files, searches and run searches', async () => {
    let now = 1_700_000_000;
    const { engine } = open(new KeywordIndex(), undefined, { nowSeconds: () => now });
    const store = engine.vectorStores.create({ expires_after: { anchor: 'last_active_at', days: 2 } });
    assert.equal(store.expires_at, now + 2 * 86_400);
    now += 86_400;
    await engine.vectorStores.searchStores([store.id], ['anything'], { maxResults: 5, scoreThreshold: 0 });
    assert.equal(engine.vectorStores.retrieve(store.id).last_active_at, now);
    assert.equal(engine.vectorStores.retrieve(store.id).expires_at, now + 2 * 86_400);
    now += 2 * 86_400;
    assert.equal(engine.vectorStores.retrieve(store.id).status, 'expired');
    await assert.rejects(engine.vectorStores.searchStores([store.id], ['anything'], { maxResults: 5, scoreThreshold: 0 }), /has expired/);
    const file = upload(engine, 'late.txt', 'late');
    assert.throws(() => engine.vectorStores.createFile(store.id, { file_id: file.id }), /has expired/);
    const updated = engine.vectorStores.update(store.id, { name: 'renamed' });
    assert.equal(updated.status, 'expired', 'renaming does not revive it');
    await engine.close();
  });
});

describe('VectorStoreService without an index', () => {
  test('files complete with their own size and searches return an empty page', async () => {
    const { engine } = open(null);
    const file = upload(engine, 'plain.txt', 'twelve bytes');
    const store = engine.vectorStores.create({ file_ids: [file.id] });
    await settle(engine);
    assert.equal(engine.vectorStores.retrieve(store.id).usage_bytes, 12);
    assert.deepEqual((await engine.vectorStores.search(store.id, { query: 'twelve' })).data, []);
    assert.deepEqual(await engine.vectorStores.searchStores([store.id], ['twelve'], { maxResults: 3, scoreThreshold: 0 }), []);
    const deleted = engine.vectorStores.delete(store.id);
    assert.deepEqual(deleted, { id: store.id, object: 'vector_store.deleted', deleted: true });
    assert.equal(engine.files.retrieve(file.id).id, file.id, 'deleting a store keeps its files');
    await engine.close();
  });
});

describe('attribute filters', () => {
  const attributes = { lang: 'en', year: 2024, draft: false };
  test('comparisons, membership, missing keys and compounds', () => {
    const cases: Array<[Parameters<typeof matchesFilter>[1], boolean]> = [
      [{ type: 'eq', key: 'lang', value: 'en' }, true],
      [{ type: 'eq', key: 'draft', value: false }, true],
      [{ type: 'ne', key: 'lang', value: 'en' }, false],
      [{ type: 'ne', key: 'missing', value: 'x' }, true],
      [{ type: 'eq', key: 'missing', value: 'x' }, false],
      [{ type: 'gt', key: 'year', value: 2023 }, true],
      [{ type: 'lte', key: 'year', value: 2023 }, false],
      [{ type: 'gt', key: 'lang', value: 5 }, false],
      [{ type: 'in', key: 'year', value: [2023, 2024] }, true],
      [{ type: 'nin', key: 'lang', value: ['en'] }, false],
      [{ type: 'nin', key: 'missing', value: ['en'] }, true],
      [{ type: 'or', filters: [{ type: 'eq', key: 'lang', value: 'de' }, { type: 'eq', key: 'year', value: 2024 }] }, true],
      [{ type: 'and', filters: [{ type: 'eq', key: 'lang', value: 'en' }, { type: 'eq', key: 'draft', value: true }] }, false],
    ];
    for (const [filter, expected] of cases) assert.equal(matchesFilter(attributes, filter), expected, JSON.stringify(filter));
  });
});
