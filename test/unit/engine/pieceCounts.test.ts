import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { countTextTokens } from '../../../src/engine/tokens/pieceCounts.ts';
import { countO200kTokens } from '../../../src/engine/tokens/o200k.ts';
import { countText } from '../../../src/engine/runs/tokenCounter.ts';

describe('o200k token counts for chunking', () => {
  test('ordinary text counts exactly as the encoder does', () => {
    const text = 'export function lineTotal(line) {\n  return line.unitCents * line.quantity;\n}\n';
    assert.equal(countTextTokens(text), countO200kTokens(text));
  });

  // Encoding such a piece whole is quadratic: it took minutes before long pieces were sliced.
  test('a 40,000-letter piece (a minified blob) is counted in slices, never under the exact count of a short one', { timeout: 60_000 }, () => {
    const blob = 'abcdefghij'.repeat(4_000);
    const count = countTextTokens(blob);
    assert.ok(count > 0 && count <= blob.length, `count ${count}`);
    const slice = blob.slice(0, 512);
    assert.equal(countTextTokens(slice), countO200kTokens(slice));
    assert.ok(count >= Math.floor(blob.length / 512) * countO200kTokens(slice) - 1);
  });
});

describe('prompt-size estimates (the engine’s token counter)', () => {
  test('count like the chunker: exact on ordinary text, a long run of letters in slices rather than by the quadratic encoder', () => {
    const ordinary = 'Please summarise the failing tests in src/engine and propose a fix.';
    assert.equal(countText(ordinary), countO200kTokens(ordinary));
    // 20,000 letters: the encoder's exact count is 4,000 (0.4 s of byte-pair merging; 100,000 took 10 s).
    const run = 'abcdefghij'.repeat(2_000);
    assert.equal(countText(run), countTextTokens(run));
    assert.notEqual(countText(run), countO200kTokens(run), 'the sliced count differs slightly from the exact one');
  });
});
