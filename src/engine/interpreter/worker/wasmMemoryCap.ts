/**
 * Lowers the maximum of a WebAssembly module's own memory by rewriting its memory section.
 *
 * Pyodide's wasm declares a 4 GB maximum, and wasm memory lives outside the V8 heap that a
 * worker's `resourceLimits` bound. With the maximum lowered, a memory bomb makes `memory.grow`
 * fail, malloc returns NULL and Python raises MemoryError: the session survives, the host
 * never sees gigabytes go.
 */
const MEMORY_SECTION = 5;
const PAGE_BYTES = 65536;
const HAS_MAXIMUM = 0x01;

function readLeb(bytes: Uint8Array, offset: number): { value: number; next: number } {
  let value = 0;
  let shift = 0;
  let next = offset;
  for (;;) {
    const byte = bytes[next++];
    if (byte === undefined) throw new Error('truncated wasm module');
    value += (byte & 0x7f) * 2 ** shift;
    shift += 7;
    if ((byte & 0x80) === 0) return { value, next };
  }
}

function writeLeb(value: number): number[] {
  const out: number[] = [];
  let rest = value;
  do {
    let byte = rest % 128;
    rest = Math.floor(rest / 128);
    if (rest > 0) byte |= 0x80;
    out.push(byte);
  } while (rest > 0);
  return out;
}

/** Returns a copy of `wasm` whose single defined memory may grow to at most `maxBytes`. */
export function capWasmMemory(wasm: Uint8Array, maxBytes: number): Uint8Array {
  let offset = 8; // magic + version
  while (offset < wasm.length) {
    const sectionId = wasm[offset]!;
    const size = readLeb(wasm, offset + 1);
    const contentStart = size.next;
    const contentEnd = contentStart + size.value;
    if (sectionId === MEMORY_SECTION) {
      const count = readLeb(wasm, contentStart);
      if (count.value !== 1) throw new Error(`expected one wasm memory, found ${count.value}`);
      const flags = wasm[count.next]!;
      const minimum = readLeb(wasm, count.next + 1);
      let after = minimum.next;
      if (flags & HAS_MAXIMUM) after = readLeb(wasm, after).next;
      const maxPages = Math.max(minimum.value, Math.floor(maxBytes / PAGE_BYTES));
      const content = [...writeLeb(1), flags | HAS_MAXIMUM, ...writeLeb(minimum.value), ...writeLeb(maxPages), ...wasm.subarray(after, contentEnd)];
      const header = [MEMORY_SECTION, ...writeLeb(content.length)];
      const out = new Uint8Array(offset + header.length + content.length + (wasm.length - contentEnd));
      out.set(wasm.subarray(0, offset), 0);
      out.set(header, offset);
      out.set(content, offset + header.length);
      out.set(wasm.subarray(contentEnd), offset + header.length + content.length);
      return out;
    }
    offset = contentEnd;
  }
  throw new Error('the wasm module defines no memory of its own');
}
