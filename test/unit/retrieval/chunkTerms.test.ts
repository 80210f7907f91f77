import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { codeTerms } from '../../../src/engine/retrieval/codeTokens.ts';
import { prepareText } from '../../../src/engine/retrieval/prepareDocument.ts';

/** Prose comments and code, long enough for several overlapping chunks, with one over-long line. */
function mixedSource(): string {
  const lines: string[] = [];
  for (let i = 0; i < 120; i++) {
    lines.push(`// The handler of the ${i}th queue: it drains the batch and reports to the owner.`);
    lines.push(`export function drainQueue${i}(queue_${i}, ownerId) { return queue_${i}.items.filter((item) => item.owner === ownerId); }`);
    if (i === 60) lines.push(`const table = [${Array.from({ length: 700 }, (_, n) => `'entry${n}-of-the-table'`).join(', ')}];`);
    lines.push('');
  }
  return lines.join('\n');
}

describe('chunk terms', () => {
  test('every chunk stores exactly the keyword terms of its own text, overlapping and sliced chunks included', () => {
    const text = mixedSource();
    const document = prepareText('src/queues.ts', text, 'utf-8', { maxTokens: 200, overlapTokens: 100 });
    assert.ok(document.chunks.length > 10, `${document.chunks.length} chunks`);
    const sliced = document.chunks.filter((chunk) => text[chunk.endOffset - 1] !== '\n' && chunk.endOffset !== text.length);
    assert.ok(sliced.length > 0, 'the over-long line is cut inside');
    for (const [i, chunk] of document.chunks.entries()) {
      const own = text.slice(chunk.startOffset, chunk.endOffset);
      assert.equal(chunk.terms, codeTerms(own).join(' '), `chunk ${i}`);
    }
  });
});
