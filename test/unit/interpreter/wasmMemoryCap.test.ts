import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { capWasmMemory } from '../../../src/engine/interpreter/worker/wasmMemoryCap.ts';

const wasm = (globalThis as unknown as { WebAssembly: {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object) => { exports: { memory: { grow(pages: number): number; buffer: ArrayBuffer } } };
} }).WebAssembly;

// (module (memory (export "memory") 1 100)): a defined, exported memory of 1..100 pages.
const tinyModule = new Uint8Array([
  0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
  0x05, 0x04, 0x01, 0x01, 0x01, 0x64,
  0x07, 0x0a, 0x01, 0x06, 0x6d, 0x65, 0x6d, 0x6f, 0x72, 0x79, 0x02, 0x00,
]);

test('a capped module cannot grow its memory past the cap', () => {
  const before = new wasm.Instance(new wasm.Module(tinyModule)).exports.memory;
  assert.equal(before.grow(50), 1, 'the original grows to 51 pages');
  const capped = capWasmMemory(tinyModule, 4 * 65536);
  const memory = new wasm.Instance(new wasm.Module(capped)).exports.memory;
  assert.equal(memory.grow(3), 1);
  assert.equal(memory.buffer.byteLength, 4 * 65536);
  assert.throws(() => memory.grow(1), RangeError);
});

test("Pyodide's own wasm gets a lower maximum and still compiles", () => {
  const dir = dirname(createRequire(import.meta.url).resolve('pyodide/package.json'));
  const original = readFileSync(join(dir, 'pyodide.asm.wasm'));
  const capped = capWasmMemory(original, 512 * 1024 * 1024);
  assert.notDeepEqual(capped.subarray(0, 4096), original.subarray(0, 4096));
  assert.ok(Math.abs(capped.length - original.length) < 8);
  assert.doesNotThrow(() => new wasm.Module(capped));
});
