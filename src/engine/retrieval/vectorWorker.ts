/**
 * Worker-thread entry: exact nearest neighbours by brute force. Vectors are unit length, so
 * cosine similarity is a dot product; 100k × 256 floats is a few tens of milliseconds, spent here
 * rather than on the caller's event loop. The worker owns a copy of the vectors, kept in step by
 * `add`/`remove` messages (vectorSearcher.ts).
 */
import { parentPort } from 'node:worker_threads';

export type VectorWorkerRequest =
  | { type: 'reset'; dimensions: number }
  | { type: 'add'; ids: Float64Array; collections: Int32Array; vectors: Float32Array }
  | { type: 'remove'; ids: Float64Array }
  | { type: 'search'; requestId: number; vector: Float32Array; k: number; collections: number[] };

export interface VectorWorkerReply {
  requestId: number;
  ids: number[];
  similarities: number[];
}

let dimensions = 0;
let count = 0;
let matrix = new Float32Array(0);
let ids = new Float64Array(0);
let collections = new Int32Array(0);
const slotOf = new Map<number, number>();

function reserve(extra: number): void {
  const needed = count + extra;
  if (needed <= ids.length) return;
  const capacity = Math.max(needed, Math.ceil(ids.length * 1.5), 1024);
  const nextMatrix = new Float32Array(capacity * dimensions);
  nextMatrix.set(matrix.subarray(0, count * dimensions));
  const nextIds = new Float64Array(capacity);
  nextIds.set(ids.subarray(0, count));
  const nextCollections = new Int32Array(capacity);
  nextCollections.set(collections.subarray(0, count));
  matrix = nextMatrix;
  ids = nextIds;
  collections = nextCollections;
}

function add(newIds: Float64Array, newCollections: Int32Array, vectors: Float32Array): void {
  reserve(newIds.length);
  for (let i = 0; i < newIds.length; i++) {
    const id = newIds[i]!;
    const slot = slotOf.get(id) ?? count++;
    slotOf.set(id, slot);
    ids[slot] = id;
    collections[slot] = newCollections[i]!;
    matrix.set(vectors.subarray(i * dimensions, (i + 1) * dimensions), slot * dimensions);
  }
}

function remove(removed: Float64Array): void {
  for (const id of removed) {
    const slot = slotOf.get(id);
    if (slot === undefined) continue;
    // The last row moves into the hole, so the matrix stays dense.
    const last = --count;
    if (slot !== last) {
      const lastId = ids[last]!;
      ids[slot] = lastId;
      collections[slot] = collections[last]!;
      matrix.copyWithin(slot * dimensions, last * dimensions, (last + 1) * dimensions);
      slotOf.set(lastId, slot);
    }
    slotOf.delete(id);
  }
}

function search(vector: Float32Array, k: number, wanted: readonly number[]): { ids: number[]; similarities: number[] } {
  const allowed = new Set(wanted);
  // A small sorted buffer of the best k: k is at most a few hundred.
  const bestIds: number[] = [];
  const bestScores: number[] = [];
  for (let slot = 0; slot < count; slot++) {
    if (!allowed.has(collections[slot]!)) continue;
    let dot = 0;
    const base = slot * dimensions;
    for (let d = 0; d < dimensions; d++) dot += matrix[base + d]! * vector[d]!;
    if (bestScores.length === k && dot <= bestScores[k - 1]!) continue;
    let position = bestScores.length;
    while (position > 0 && bestScores[position - 1]! < dot) position--;
    bestScores.splice(position, 0, dot);
    bestIds.splice(position, 0, ids[slot]!);
    if (bestScores.length > k) {
      bestScores.pop();
      bestIds.pop();
    }
  }
  return { ids: bestIds, similarities: bestScores };
}

const port = parentPort;
if (port) {
  port.on('message', (message: VectorWorkerRequest) => {
    if (message.type === 'reset') {
      dimensions = message.dimensions;
      count = 0;
      matrix = new Float32Array(0);
      ids = new Float64Array(0);
      collections = new Int32Array(0);
      slotOf.clear();
    } else if (message.type === 'add') {
      add(message.ids, message.collections, message.vectors);
    } else if (message.type === 'remove') {
      remove(message.ids);
    } else {
      const result = search(message.vector, message.k, message.collections);
      port.postMessage({ requestId: message.requestId, ...result } satisfies VectorWorkerReply);
    }
  });
}
