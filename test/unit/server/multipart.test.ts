import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { HttpError } from '../../../src/server/httpErrors.ts';
import { multipartBoundary, parseMultipart } from '../../../src/server/multipart.ts';

function form(boundary: string, parts: string[]): Buffer {
  return Buffer.from(`preamble\r\n${parts.map((part) => `--${boundary}\r\n${part}\r\n`).join('')}--${boundary}--\r\nepilogue`, 'binary');
}

describe('multipart', () => {
  test('finds the boundary, quoted or not, only for multipart/form-data', () => {
    assert.equal(multipartBoundary('multipart/form-data; boundary=abc'), 'abc');
    assert.equal(multipartBoundary('Multipart/Form-Data; charset=utf-8; boundary="a b;c"'), 'a b;c');
    assert.equal(multipartBoundary('application/json'), null);
    assert.equal(multipartBoundary('multipart/form-data'), null);
    assert.equal(multipartBoundary(undefined), null);
  });

  test('splits fields and files, keeping binary bytes and CRLFs inside the data', () => {
    const bytes = Buffer.from([0, 255, 13, 10, 45, 45, 1]);
    const body = Buffer.concat([
      Buffer.from('--B\r\nContent-Disposition: form-data; name="purpose"\r\n\r\nassistants\r\n'),
      Buffer.from('--B\r\nContent-Disposition: form-data; name="file"; filename="a \\"q\\".bin"\r\nContent-Type: application/octet-stream\r\n\r\n'),
      bytes,
      Buffer.from('\r\n--B--\r\n'),
    ]);
    const parts = parseMultipart(body, 'B');
    assert.equal(parts.length, 2);
    assert.deepEqual([parts[0]!.name, parts[0]!.filename, parts[0]!.data.toString()], ['purpose', undefined, 'assistants']);
    assert.deepEqual([parts[1]!.name, parts[1]!.filename, parts[1]!.contentType], ['file', 'a "q".bin', 'application/octet-stream']);
    assert.deepEqual([...parts[1]!.data], [...bytes]);
  });

  test('decodes RFC 5987 filename* and prefers it', () => {
    const parts = parseMultipart(form('x', [`Content-Disposition: form-data; name="file"; filename="fallback.txt"; filename*=UTF-8''r%C3%A9sum%C3%A9.txt\r\n\r\nhi`]), 'x');
    assert.equal(parts[0]!.filename, 'résumé.txt');
  });

  test('refuses what does not parse, with a v2-shaped 400', () => {
    const cases: Array<[Buffer, RegExp]> = [
      [Buffer.from('no boundary here'), /never appears/],
      [form('x', ['Content-Disposition: form-data\r\n\r\nvalue']), /no name/],
      [form('x', ['Content-Type: text/plain\r\n\r\nvalue']), /Content-Disposition/],
      [Buffer.from('--x\r\nContent-Disposition: form-data; name="a"\r\n\r\nunterminated'), /not closed/],
      [Buffer.from('--x\r\nContent-Disposition: form-data; name="a"'), /headers are missing/],
      [Buffer.from('--xjunk'), /line break/],
    ];
    for (const [body, message] of cases) {
      assert.throws(() => parseMultipart(body, 'x'), (error: unknown) => error instanceof HttpError && error.status === 400 && error.code === 'invalid_multipart' && message.test(error.message));
    }
  });

  test('limits the number of parts, the header size and plain field size (files may be larger)', () => {
    const many = form('x', Array.from({ length: 5 }, (_, i) => `Content-Disposition: form-data; name="f${i}"\r\n\r\nv`));
    assert.throws(() => parseMultipart(many, 'x', { maxParts: 4, maxHeaderBytes: 1024, maxFieldBytes: 1024 }), /more than 4 parts/);
    const longHeader = form('x', [`Content-Disposition: form-data; name="${'n'.repeat(2000)}"\r\n\r\nv`]);
    assert.throws(() => parseMultipart(longHeader, 'x', { maxParts: 4, maxHeaderBytes: 1024, maxFieldBytes: 1024 }), /too long/);
    const bigField = form('x', [`Content-Disposition: form-data; name="purpose"\r\n\r\n${'p'.repeat(2000)}`]);
    assert.throws(() => parseMultipart(bigField, 'x', { maxParts: 4, maxHeaderBytes: 1024, maxFieldBytes: 1024 }), /longer than 1024 bytes/);
    const bigFile = form('x', [`Content-Disposition: form-data; name="file"; filename="big.txt"\r\n\r\n${'f'.repeat(2000)}`]);
    assert.equal(parseMultipart(bigFile, 'x', { maxParts: 4, maxHeaderBytes: 1024, maxFieldBytes: 1024 })[0]!.data.length, 2000);
  });
});
