/**
 * Reciprocal rank fusion of ranked lists (keyword and vector). Each list contributes
 * weight / (k + rank); k = 60 is the constant of the original RRF paper. Ranks carry no scale, so
 * lists with incomparable scores (BM25, cosine) combine without calibration. The fused value is
 * divided by its maximum (first in every list) to land on v2's 0..1 score scale.
 */

export const RRF_K = 60;

export interface RankedList {
  ids: readonly number[];
  weight: number;
}

export function reciprocalRankFusion(lists: readonly RankedList[]): Map<number, number> {
  const fused = new Map<number, number>();
  let maximum = 0;
  for (const list of lists) {
    if (list.weight <= 0) continue;
    maximum += list.weight / (RRF_K + 1);
    list.ids.forEach((id, index) => {
      fused.set(id, (fused.get(id) ?? 0) + list.weight / (RRF_K + index + 1));
    });
  }
  if (maximum > 0) for (const [id, value] of fused) fused.set(id, value / maximum);
  return fused;
}
