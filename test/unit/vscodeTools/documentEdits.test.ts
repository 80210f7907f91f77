import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { eolOf, minimalSplice } from '../../../src/vscode/tools/documentEdits.ts';

function apply(before: string, after: string): string {
  const splice = minimalSplice(before, after);
  if (!splice) return before;
  return before.slice(0, splice.start) + splice.insert + before.slice(splice.end);
}

describe('writing an edit through an editor document', () => {
  test('line endings: uniform LF or CRLF, none, or mixed', () => {
    assert.equal(eolOf('a\nb\n'), 'lf');
    assert.equal(eolOf('a\r\nb\r\n'), 'crlf');
    assert.equal(eolOf('single line'), 'none');
    assert.equal(eolOf('a\r\nb\n'), 'mixed');
    assert.equal(eolOf('a\rb'), 'mixed');
  });

  test('the splice covers only the changed span', () => {
    const before = 'export function add(a, b) {\n  return a + b + 1;\n}\n';
    const after = 'export function add(a, b) {\n  return a + b;\n}\n';
    const splice = minimalSplice(before, after)!;
    assert.equal(before.slice(0, splice.start), 'export function add(a, b) {\n  return a + b');
    assert.equal(splice.insert, '');
    assert.equal(before.slice(splice.start, splice.end), ' + 1');
    assert.equal(minimalSplice(before, before), undefined);
  });

  test('never cuts a CRLF or a surrogate pair, and always reproduces the new text', () => {
    const crlf = minimalSplice('a\r\nb', 'a\r\r\nb');
    assert.ok(crlf);
    // Whatever span it picked, neither side of it may separate \r from \n.
    assert.notEqual('a\r\nb'.charCodeAt(crlf.start - 1), 13);
    const emoji = minimalSplice('x😀y', 'x😃y')!;
    assert.equal(emoji.insert, '😃');

    const alphabet = ['a', 'b', '\r\n', '\n', '😀', '😃', ' '];
    let seed = 7;
    const random = (n: number) => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed % n;
    };
    const make = () => Array.from({ length: random(12) }, () => alphabet[random(alphabet.length)]).join('');
    for (let round = 0; round < 2000; round++) {
      const before = make();
      const after = make();
      assert.equal(apply(before, after), after, JSON.stringify({ before, after }));
      const splice = minimalSplice(before, after);
      if (!splice) continue;
      for (const [text, offset] of [[before, splice.start], [before, splice.end], [after, splice.start], [after, splice.start + splice.insert.length]] as const) {
        const previous = text.charCodeAt(offset - 1);
        const next = text.charCodeAt(offset);
        assert.ok(!(previous === 13 && next === 10), `cut inside CRLF: ${JSON.stringify({ before, after })}`);
        assert.ok(!(previous >= 0xd800 && previous <= 0xdbff && next >= 0xdc00 && next <= 0xdfff), `cut inside a surrogate pair: ${JSON.stringify({ before, after })}`);
      }
    }
  });
});
