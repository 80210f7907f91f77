import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { applyEditBlocks } from '../../../src/engine/tools/editMatching.ts';

function applied(original: string, search: string, replace: string) {
  const result = applyEditBlocks(original, [{ search, replace }], { path: 'x.ts' });
  if (!result.ok) assert.fail(`expected a match, got: ${result.message}`);
  return result;
}

function failed(original: string, search: string, replace = 'X') {
  const result = applyEditBlocks(original, [{ search, replace }], { path: 'x.ts' });
  if (result.ok) assert.fail(`expected a failure, got tier ${result.blocks[0]!.tier}: ${JSON.stringify(result.text)}`);
  return result.message;
}

describe('exact tier', () => {
  test('replaces a partial-line search inside one line', () => {
    const result = applied('const timeout = 30;\nconst retries = 3;\n', 'timeout = 30', 'timeout = 60');
    assert.equal(result.text, 'const timeout = 60;\nconst retries = 3;\n');
    assert.equal(result.blocks[0]!.tier, 'exact');
    assert.equal(result.blocks[0]!.startLine, 1);
  });

  test('matches a CRLF file with an LF search and keeps CRLF on every line, new ones included', () => {
    const file = 'a\r\nb\r\nc\r\n';
    const result = applied(file, 'b\n', 'b1\nb2\n');
    assert.equal(result.text, 'a\r\nb1\r\nb2\r\nc\r\n');
  });

  test('keeps each untouched line ending in a mixed file', () => {
    const result = applied('one\r\ntwo\nthree\r\nfour\n', 'three', 'THREE');
    assert.equal(result.text, 'one\r\ntwo\nTHREE\r\nfour\n');
  });

  test('keeps a missing final newline missing', () => {
    assert.equal(applied('x = 1\ny = 2', 'y = 2', 'y = 3').text, 'x = 1\ny = 3');
  });

  test('writes spaces-indented replacement lines with tabs in a tab-indented file', () => {
    const file = 'function f() {\n\tif (a) {\n\t\treturn 1;\n\t}\n}\n';
    const result = applied(file, '\t\treturn 1;', '\t\tlog();\n        return 1;');
    assert.equal(result.text, 'function f() {\n\tif (a) {\n\t\tlog();\n\t\treturn 1;\n\t}\n}\n');
  });

  test('a search that matches twice is an error naming both lines', () => {
    const message = failed('foo();\nbar();\nfoo();\n', 'foo();');
    assert.match(message, /appears 2 times/);
    assert.match(message, /lines 1 and 3/);
    assert.match(message, /include more surrounding lines/);
  });

  test('a repeated snippet becomes unique with context and only that copy changes', () => {
    const file = 'function a() {\n  return 0;\n}\nfunction b() {\n  return 0;\n}\n';
    assert.match(failed(file, '  return 0;'), /appears 2 times/);
    const result = applied(file, 'function b() {\n  return 0;', 'function b() {\n  return 1;');
    assert.equal(result.text, 'function a() {\n  return 0;\n}\nfunction b() {\n  return 1;\n}\n');
  });

  test('deleting whole lines removes their line breaks', () => {
    assert.equal(applied('a\nb\nc\n', 'b\n', '').text, 'a\nc\n');
  });
});

describe('whitespace tier', () => {
  test('matches spaces in the search against tabs in the file and re-indents the replacement', () => {
    const file = 'class A {\n\tm() {\n\t\tconst x = 1;\n\t\treturn x;\n\t}\n}\n';
    const result = applied(file, '    const x = 1;\n    return x;', '    const x = 2;\n    if (x) {\n        return x;\n    }');
    assert.equal(result.blocks[0]!.tier, 'whitespace');
    assert.equal(result.text, 'class A {\n\tm() {\n\t\tconst x = 2;\n\t\tif (x) {\n\t\t\treturn x;\n\t\t}\n\t}\n}\n');
  });

  test('tolerates trailing whitespace in the file and a wrong base indent in the search', () => {
    const file = 'def f():\n    if ok:   \n        go()\n';
    const result = applied(file, 'if ok:\n    go()', 'if ok:\n    go(fast=True)');
    assert.equal(result.text, 'def f():\n    if ok:\n        go(fast=True)\n');
    assert.equal(result.blocks[0]!.tier, 'whitespace');
  });

  test('multi-line search whose first and last lines are fragments of file lines', () => {
    const file = 'const value = compute(a,\n    b,\n    c) + 1;\n';
    const result = applied(file, 'compute(a,\n  b,\n  c)', 'compute(a, b, c)');
    assert.equal(result.text, 'const value = compute(a, b, c) + 1;\n');
  });

  test('a single-line fragment with different internal spacing', () => {
    const result = applied('if (a  ==  b) { go(); }\n', 'a == b', 'a === b');
    assert.equal(result.text, 'if (a === b) { go(); }\n');
  });

  test('an ambiguous whitespace-insensitive match is an error, not a guess', () => {
    const file = '\tx = 1\n\ty = 2\n\t\tx = 1\n\t\ty = 2\n';
    assert.match(failed(file, 'x = 1\ny = 2'), /appears 2 times.*lines 1 and 3/);
  });
});

describe('HTML entities (decided: the model\'s entities are decoded, the file\'s never)', () => {
  test('&lt; in the search and replacement matches < in the file; both are decoded', () => {
    const result = applied('if (a < b && c > d) {}\n', 'a &lt; b &amp;&amp; c &gt; d', 'a &lt;= b');
    assert.equal(result.text, 'if (a <= b) {}\n');
    assert.equal(result.blocks[0]!.tier, 'html_entities');
  });

  test('entities in the file stay: a search with < does not match &lt; and the error says where', () => {
    const message = failed('<p>a &lt; b</p>\n', 'a < b', 'a > b');
    assert.match(message, /HTML entities/);
    assert.match(message, /line 1/);
  });

  test('a search that matches literally with entities is exact, not decoded', () => {
    const result = applied('<p>a &lt; b</p>\n', 'a &lt; b', 'a &gt; b');
    assert.equal(result.text, '<p>a &gt; b</p>\n');
    assert.equal(result.blocks[0]!.tier, 'exact');
  });
});

describe('fuzzy tier', () => {
  const file = [
    'export function total(items) {',
    '  let sum = 0;',
    '  for (const item of items) {',
    '    sum += item.price * item.quantity;',
    '  }',
    '  return sum;',
    '}',
    '',
  ].join('\n');

  test('a search with a small typo matches by similarity and the result reports it', () => {
    const result = applied(file, 'let sum = 0;\nfor (const item of items) {\n  sum += item.price * item.qty;\n}', 'let sum = 0;\nfor (const item of items) {\n  sum += item.price * item.quantity * (1 - item.discount);\n}');
    assert.equal(result.blocks[0]!.tier, 'fuzzy');
    assert.ok(result.blocks[0]!.similarity >= 0.85 && result.blocks[0]!.similarity < 1);
    assert.match(result.text, /^ {4}sum \+= item\.price \* item\.quantity \* \(1 - item\.discount\);$/m);
    assert.match(result.text, /^ {2}return sum;$/m);
  });

  test('a search that is too different is not applied, and the closest lines are shown', () => {
    const message = failed(file, 'let total = 0;\nfor (const entry of list) {\n  total += entry.cost;\n}');
    assert.match(message, /not found/);
    assert.match(message, /closest text is at lines 2-5/);
    assert.match(message, /unchanged/);
  });

  test('two equally similar places are ambiguous', () => {
    const twice = `${file}\n${file.replace('total', 'total2')}`;
    const message = failed(twice, 'let sum = 0;\nfor (const item of items) {\n  sum += item.price * item.qty;\n}');
    assert.match(message, /similar to 2 places/);
  });

  test('a single line is never applied fuzzily', () => {
    assert.match(failed(file, 'sum += item.price * item.qty;'), /not found/);
  });
});

describe('several blocks', () => {
  test('apply in order against the evolving text', () => {
    const result = applyEditBlocks('a = 1\nb = 2\n', [{ search: 'a = 1', replace: 'a = 10' }, { search: 'a = 10\nb = 2', replace: 'a = 10\nb = 20' }]);
    assert.ok(result.ok);
    assert.equal(result.text, 'a = 10\nb = 20\n');
  });

  test('one missing block applies none and names the block', () => {
    const result = applyEditBlocks('a = 1\nb = 2\n', [{ search: 'a = 1', replace: 'a = 10' }, { search: 'zzz', replace: 'y' }]);
    assert.equal(result.ok, false);
    assert.ok(!result.ok && /^Block 2 of 2: .*not found.*No block was applied/s.test(result.message));
  });
});

test('an empty or whitespace-only search is refused with guidance', () => {
  assert.match(failed('abc\n', '   '), /search text is empty.*create_file/);
});
