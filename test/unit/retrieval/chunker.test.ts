import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { countTokens } from 'gpt-tokenizer/encoding/o200k_base';
import { chunkLimitsFromStrategy, validateChunkLimits } from '../../../src/engine/retrieval/chunkingOptions.ts';
import type { ChunkLimits } from '../../../src/engine/retrieval/chunkingOptions.ts';
import { chunkText } from '../../../src/engine/retrieval/chunker.ts';
import { prepareDocument, prepareText } from '../../../src/engine/retrieval/prepareDocument.ts';
import { readyGrammarFor } from '../../../src/engine/retrieval/syntaxBoundaries.ts';
import { EngineError } from '../../../src/engine/errors.ts';

const exact = (text: string): number => countTokens(text, { disallowedSpecial: new Set() });

/** A deterministic mid-size TypeScript file: many functions with comments and blank lines. */
function sampleSource(functions: number): string {
  const parts: string[] = [];
  for (let i = 0; i < functions; i++) {
    parts.push(`/** Computes the ${i}th checksum of a buffer of records. */\nexport function checksum${i}(records: Record<string, number>[], seed = ${i}): number {`);
    for (let j = 0; j < 6; j++) parts.push(`  const value${j} = records.reduce((sum, record) => sum + (record['field${j}'] ?? ${j}) * seed, ${j});`);
    parts.push('  return value0 ^ value5;\n}\n');
  }
  return parts.join('\n');
}

function assertCovers(text: string, chunks: ReturnType<typeof chunkText>['chunks'], limits: ChunkLimits): void {
  assert.equal(chunks[0]!.startOffset, 0);
  assert.equal(chunks.at(-1)!.endOffset, text.length);
  for (let i = 0; i < chunks.length; i++) {
    const chunk = chunks[i]!;
    const body = text.slice(chunk.startOffset, chunk.endOffset);
    assert.ok(chunk.tokenCount <= limits.maxTokens, `chunk ${i}: ${chunk.tokenCount} tokens`);
    assert.ok(exact(body) <= limits.maxTokens, `chunk ${i}: ${exact(body)} tokens standalone`);
    const next = chunks[i + 1];
    if (!next) continue;
    assert.ok(next.startOffset > chunk.startOffset, 'every chunk moves forward');
    assert.ok(next.startOffset <= chunk.endOffset, 'no gap between chunks');
    const overlap = text.slice(next.startOffset, chunk.endOffset);
    assert.ok(exact(overlap) <= limits.overlapTokens + 2, `overlap ${i}: ${exact(overlap)} tokens`);
  }
}

describe('chunk limits', () => {
  test('v2 limits: 100..4096 tokens, overlap at most half; auto is 800/400', () => {
    assert.deepEqual(chunkLimitsFromStrategy(undefined), { maxTokens: 800, overlapTokens: 400 });
    assert.deepEqual(chunkLimitsFromStrategy({ type: 'auto' }), { maxTokens: 800, overlapTokens: 400 });
    assert.deepEqual(chunkLimitsFromStrategy({ type: 'static', static: { max_chunk_size_tokens: 100, chunk_overlap_tokens: 50 } }), { maxTokens: 100, overlapTokens: 50 });
    for (const [max, overlap, param] of [[99, 0, 'max_chunk_size_tokens'], [4097, 0, 'max_chunk_size_tokens'], [1000, 501, 'chunk_overlap_tokens'], [800, -1, 'chunk_overlap_tokens'], [800.5, 0, 'max_chunk_size_tokens']] as const) {
      assert.throws(() => validateChunkLimits({ maxTokens: max, overlapTokens: overlap }), (error: unknown) => EngineError.is(error, 'invalid_request') && error.param === `chunking_strategy.static.${param}`);
    }
  });

  for (const limits of [{ maxTokens: 800, overlapTokens: 400 }, { maxTokens: 100, overlapTokens: 50 }, { maxTokens: 300, overlapTokens: 0 }, { maxTokens: 4096, overlapTokens: 1000 }]) {
    test(`chunks of ${limits.maxTokens}/${limits.overlapTokens} stay in bounds, cover the text, overlap as asked`, () => {
      const text = sampleSource(60);
      const { chunks, tokenCount } = chunkText(text, limits);
      assert.equal(tokenCount, exact(text), 'per-piece counting equals whole-text counting');
      assertCovers(text, chunks, limits);
      if (limits.overlapTokens === 0) for (let i = 1; i < chunks.length; i++) assert.equal(chunks[i]!.startOffset, chunks[i - 1]!.endOffset);
      else assert.ok(chunks.slice(1).some((chunk, i) => chunk.startOffset < chunks[i]!.endOffset), 'consecutive chunks overlap');
      // The default 800/400 moves by at least a quarter chunk each step.
      if (limits.maxTokens === 800) assert.ok(chunks.length <= Math.ceil(tokenCount / 200) + 1);
    });
  }

  test('line ranges are 1-based and inclusive', () => {
    const text = 'one\ntwo\nthree\n';
    const { chunks } = chunkText(text, { maxTokens: 100, overlapTokens: 0 });
    assert.deepEqual(chunks.map((chunk) => [chunk.startLine, chunk.endLine]), [[1, 3]]);
  });

  test('a line longer than a chunk (minified code) is split between encoder pieces', () => {
    const minified = `${Array.from({ length: 3000 }, (_, i) => `var a${i}=function(b){return b*${i}};`).join('')}\nconsole.log(1);\n`;
    const limits = { maxTokens: 200, overlapTokens: 50 };
    const { chunks } = chunkText(minified, limits);
    assert.ok(chunks.length > 10);
    assertCovers(minified, chunks, limits);
    assert.equal(chunks[0]!.startLine, 1);
    assert.equal(chunks.at(-1)!.endLine, 2);
  });

  test('special-token text in a file is plain text', () => {
    const text = 'const marker = "<|endoftext|>";\n'.repeat(20);
    const { tokenCount } = chunkText(text, { maxTokens: 100, overlapTokens: 0 });
    assert.equal(tokenCount, exact(text));
  });
});

describe('boundaries that respect code structure', () => {
  test('dense TypeScript (no blank lines): cuts fall between methods found by tree-sitter', async () => {
    assert.equal(await readyGrammarFor('store.ts'), true);
    const methods = Array.from({ length: 40 }, (_, i) => [
      `  /** Loads page ${i}. */`,
      `  async loadPage${i}(cursor: string, limit = ${i + 10}): Promise<string[]> {`,
      `    const rows = await this.client.query('select id from items where cursor > $1 limit $2', [cursor, limit]);`,
      `    if (rows.length === 0) throw new Error('page ${i} is empty');`,
      '    return rows.map((row) => String(row.id));',
      '  }',
    ].join('\n'));
    const text = `export class Store {\n  constructor(private readonly client: Client) {}\n${methods.join('\n')}\n}\n`;
    const document = prepareText('src/store.ts', text, 'utf-8', { maxTokens: 300, overlapTokens: 100 });
    assert.equal(document.boundaries, 'syntax');
    const lines = text.split('\n');
    for (const chunk of document.chunks.slice(0, -1)) {
      const nextLine = lines[chunk.endLine] ?? '';
      assert.match(nextLine, /^ {2}(\/\*\*|async loadPage)/, `chunk ending at line ${chunk.endLine} cuts before: ${nextLine}`);
    }
  });

  test('dense Python: cuts fall before top-level definitions, with their decorators and comments', async () => {
    const blocks = Array.from({ length: 30 }, (_, i) => [
      `# Handler number ${i}`,
      '@register',
      `def handle_event_${i}(event, context=None):`,
      `    payload = event.get("payload_${i}", {})`,
      `    return {"status": ${200 + i}, "body": payload}`,
    ].join('\n'));
    const text = `${blocks.join('\n')}\n`;
    const result = await prepareDocument({ path: 'app/handlers.py', bytes: new TextEncoder().encode(text), limits: { maxTokens: 150, overlapTokens: 0 } });
    assert.equal(result.status, 'prepared');
    if (result.status !== 'prepared') return;
    assert.equal(result.document.boundaries, 'syntax');
    const lines = text.split('\n');
    for (const chunk of result.document.chunks.slice(0, -1)) assert.match(lines[chunk.endLine] ?? '', /^# Handler number/);
  });

  test('tidy code needs no parse: a blank line before an unindented line is already a clean cut', () => {
    const text = sampleSource(30);
    const document = prepareText('src/checksums.ts', text, 'utf-8', { maxTokens: 400, overlapTokens: 100 });
    assert.equal(document.boundaries, 'layout');
    const lines = text.split('\n');
    for (const chunk of document.chunks.slice(0, -1)) assert.match(lines[chunk.endLine] ?? '', /^\/\*\* Computes/);
  });

  test('languages without a grammar fall back to layout: markdown cuts at headings', () => {
    const text = Array.from({ length: 20 }, (_, i) => `## Section ${i}\n\n${'The quick brown fox jumps over the lazy dog. '.repeat(8)}\n${'Pack my box with five dozen liquor jugs. '.repeat(6)}\n`).join('\n');
    const document = prepareText('docs/guide.md', text, 'utf-8', { maxTokens: 250, overlapTokens: 0 });
    const lines = text.split('\n');
    for (const chunk of document.chunks.slice(0, -1)) assert.match(lines[chunk.endLine] ?? '', /^## Section/);
  });
});
