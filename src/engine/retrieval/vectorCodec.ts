/**
 * Vectors as compact BLOBs: Float32, little-endian, unit length (so cosine similarity is a plain
 * dot product in the search worker).
 */

const littleEndian = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

export function normalizeVector(vector: Float32Array): Float32Array {
  let norm = 0;
  for (let i = 0; i < vector.length; i++) norm += vector[i]! * vector[i]!;
  if (norm === 0 || Math.abs(norm - 1) < 1e-6) return vector;
  const scale = 1 / Math.sqrt(norm);
  const out = new Float32Array(vector.length);
  for (let i = 0; i < vector.length; i++) out[i] = vector[i]! * scale;
  return out;
}

export function vectorToBlob(vector: Float32Array): Uint8Array {
  const unit = normalizeVector(vector);
  if (littleEndian) return new Uint8Array(unit.buffer.slice(unit.byteOffset, unit.byteOffset + unit.byteLength));
  const view = new DataView(new ArrayBuffer(unit.length * 4));
  unit.forEach((value, i) => view.setFloat32(i * 4, value, true));
  return new Uint8Array(view.buffer);
}

export function blobToVector(blob: Uint8Array): Float32Array {
  const length = Math.floor(blob.byteLength / 4);
  if (littleEndian) {
    // Copied: a BLOB's bytes may not be 4-byte aligned.
    const copy = new Uint8Array(length * 4);
    copy.set(blob.subarray(0, length * 4));
    return new Float32Array(copy.buffer);
  }
  const view = new DataView(blob.buffer, blob.byteOffset, blob.byteLength);
  const out = new Float32Array(length);
  for (let i = 0; i < length; i++) out[i] = view.getFloat32(i * 4, true);
  return out;
}
