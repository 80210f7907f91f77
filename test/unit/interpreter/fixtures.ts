// Shared inputs and decoders for the interpreter tests.
import { inflateSync } from 'node:zlib';

/** A sales CSV over six months with irregular amounts, and its per-month totals computed here. */
export function monthlyCsv(): { csv: string; totals: Map<string, number> } {
  const totals = new Map<string, number>();
  const lines = ['date,amount,region'];
  let seed = 17;
  for (let day = 0; day < 180; day += 1) {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    const amount = Math.round((seed % 100_000) / 7) / 100;
    const date = new Date(Date.UTC(2024, 0, 1 + day)).toISOString().slice(0, 10);
    const month = date.slice(0, 7);
    lines.push(`${date},${amount.toFixed(2)},${day % 3 === 0 ? 'north' : 'south'}`);
    totals.set(month, (totals.get(month) ?? 0) + amount);
  }
  return { csv: `${lines.join('\n')}\n`, totals };
}

interface PngChunk {
  type: string;
  data: Buffer;
}

export function pngChunks(bytes: Uint8Array): PngChunk[] {
  const buffer = Buffer.from(bytes);
  if (!buffer.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))) throw new Error('not a PNG');
  const chunks: PngChunk[] = [];
  for (let offset = 8; offset < buffer.length; ) {
    const length = buffer.readUInt32BE(offset);
    chunks.push({ type: buffer.toString('latin1', offset + 4, offset + 8), data: buffer.subarray(offset + 8, offset + 8 + length) });
    offset += 12 + length;
  }
  return chunks;
}

/** Width and height from the IHDR chunk. */
export function pngSize(bytes: Uint8Array): { width: number; height: number } {
  const header = pngChunks(bytes).find((chunk) => chunk.type === 'IHDR');
  if (!header) throw new Error('no IHDR');
  return { width: header.data.readUInt32BE(0), height: header.data.readUInt32BE(4) };
}

/** Decompressed scanlines (filter byte + pixels per row). */
export function pngScanlines(bytes: Uint8Array): Buffer {
  return inflateSync(Buffer.concat(pngChunks(bytes).filter((chunk) => chunk.type === 'IDAT').map((chunk) => chunk.data)));
}
