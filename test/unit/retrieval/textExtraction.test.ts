import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { extractText, hasBinaryExtension } from '../../../src/engine/retrieval/textExtraction.ts';

function utf16(text: string, order: 'le' | 'be', bom: boolean): Uint8Array {
  const bytes: number[] = bom ? (order === 'le' ? [0xff, 0xfe] : [0xfe, 0xff]) : [];
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (order === 'le') bytes.push(code & 0xff, code >> 8);
    else bytes.push(code >> 8, code & 0xff);
  }
  return Uint8Array.from(bytes);
}

describe('text extraction', () => {
  test('UTF-8, with or without a byte-order mark', () => {
    const text = 'const naïve = "café";\n';
    const plain = extractText(new TextEncoder().encode(text));
    assert.deepEqual(plain, { ok: true, text, encoding: 'utf-8' });
    const withBom = extractText(Uint8Array.from([0xef, 0xbb, 0xbf, ...new TextEncoder().encode(text)]));
    assert.equal(withBom.ok && withBom.text, text);
  });

  test('UTF-16 little- and big-endian, with a byte-order mark or recognised without one', () => {
    const text = 'def main():\n    return "ok"\n';
    for (const order of ['le', 'be'] as const) {
      for (const bom of [true, false]) {
        const result = extractText(utf16(text, order, bom));
        assert.ok(result.ok, `${order} bom=${bom}`);
        assert.equal(result.text, text);
        assert.equal(result.encoding, `utf-16${order}`);
      }
    }
  });

  test('NUL bytes or control characters mean binary', () => {
    const png = Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d, 0x49, 0x48, 0x44, 0x52]);
    assert.deepEqual(extractText(png).ok ? 'text' : (extractText(png) as { reason: string }).reason, 'binary');
    const controls = Uint8Array.from({ length: 200 }, (_, i) => (i % 3 === 0 ? 1 : 65));
    const result = extractText(controls);
    assert.equal(result.ok, false);
    assert.equal(!result.ok && result.reason, 'binary');
  });

  test('bytes that are not UTF-8 are refused rather than indexed as mojibake', () => {
    const latin1 = Uint8Array.from({ length: 400 }, (_, i) => (i % 2 === 0 ? 0xe9 : 0x41));
    const result = extractText(latin1);
    assert.equal(!result.ok && result.reason, 'invalid_encoding');
  });

  test('the size cap and empty files', () => {
    const big = new TextEncoder().encode('x'.repeat(1000));
    const capped = extractText(big, { maxBytes: 999 });
    assert.equal(!capped.ok && capped.reason, 'too_large');
    assert.equal(extractText(big, { maxBytes: 1000 }).ok, true);
    const empty = extractText(new TextEncoder().encode('   \n\t\n'));
    assert.equal(!empty.ok && empty.reason, 'empty');
  });

  test('binary extensions are known without reading the file', () => {
    assert.equal(hasBinaryExtension('assets/logo.PNG'), true);
    assert.equal(hasBinaryExtension('dist/app.wasm'), true);
    assert.equal(hasBinaryExtension('src/png.ts'), false);
    assert.equal(hasBinaryExtension('docs.v2/README'), false);
  });
});
