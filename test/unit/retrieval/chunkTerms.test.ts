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
  test('every chunk stores the keyword terms of its own text up to where the next chunk begins, sliced chunks included', () => {
    const text = mixedSource();
    const document = prepareText('src/queues.ts', text, 'utf-8', { maxTokens: 200, overlapTokens: 100 });
    assert.ok(document.chunks.length > 10, `${document.chunks.length} chunks`);
    const sliced = document.chunks.filter((chunk) => text[chunk.endOffset - 1] !== '\n' && chunk.endOffset !== text.length);
    assert.ok(sliced.length > 0, 'the over-long line is cut inside');
    let overlapping = 0;
    for (const [i, chunk] of document.chunks.entries()) {
      const next = document.chunks[i + 1];
      // Where the next chunk starts inside this one (after this one's first line), only the part before it counts.
      const end = next && next.startOffset < chunk.endOffset && next.startLine > chunk.startLine ? next.startOffset : chunk.endOffset;
      if (end < chunk.endOffset) overlapping++;
      assert.equal(chunk.terms, codeTerms(text.slice(chunk.startOffset, end)).join(' '), `chunk ${i}`);
    }
    assert.ok(overlapping > 5, `${overlapping} chunks overlap the next`);
  });

  test('each line of the text is posted once across the chunks, so the terms add up to the whole document', () => {
    const text = mixedSource().split('\n').filter((line) => !line.startsWith('const table')).join('\n');
    const document = prepareText('src/queues.ts', text, 'utf-8', { maxTokens: 200, overlapTokens: 100 });
    const posted = document.chunks.flatMap((chunk) => chunk.terms.split(' ').filter(Boolean));
    assert.deepEqual(posted, codeTerms(text));
  });
});
