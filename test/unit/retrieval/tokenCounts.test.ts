import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { countTextTokens } from '../../../src/engine/retrieval/tokenCounts.ts';
import { countO200kTokens } from '../../../src/engine/tokens/o200k.ts';

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
