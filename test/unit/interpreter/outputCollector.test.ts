import { test } from 'node:test';
import assert from 'node:assert/strict';
import { OutputCollector, joinLogs } from '../../../src/engine/interpreter/outputCollector.ts';

test('short output is returned whole, in order, across string and byte chunks', () => {
  const collector = new OutputCollector(1000, 10_000);
  collector.write('hello ');
  collector.write(new TextEncoder().encode('wörld\n'));
  assert.equal(collector.text(), 'hello wörld\n');
  assert.equal(collector.overLimit, false);
});

test('long output keeps its head and tail and says how much was left out', () => {
  const collector = new OutputCollector(100, 1_000_000);
  for (let line = 0; line < 1000; line += 1) collector.write(`line ${String(line).padStart(4, '0')}\n`);
  const text = collector.text();
  assert.ok(text.startsWith('line 0000\nline 0001\n'), text);
  assert.ok(text.endsWith('line 0999\n'), text);
  const omitted = Number(/\[\.\.\. (\d+) bytes of output omitted \.\.\.\]/.exec(text)?.[1]);
  assert.equal(omitted, 10_000 - 100);
});

test('one huge chunk is not kept whole and trips the stop limit', () => {
  const collector = new OutputCollector(64, 1000);
  const huge = new Uint8Array(5_000_000).fill(0x78);
  huge[huge.length - 1] = 0x0a;
  collector.write(huge);
  assert.equal(collector.overLimit, true);
  assert.equal(collector.totalBytes, 5_000_000);
  assert.ok(collector.text().length < 200);
  assert.ok(collector.text().endsWith('x\n'));
});

test('sandbox notes frame the output on their own lines', () => {
  assert.equal(joinLogs(['[sandbox] a'], 'out', ['[sandbox] b']), '[sandbox] a\nout\n[sandbox] b\n');
  assert.equal(joinLogs([], 'out\n', []), 'out\n');
});
