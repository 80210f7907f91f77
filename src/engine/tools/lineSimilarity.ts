/** Line comparison for the tolerant apply_edit tiers. */

/** Trimmed, with whitespace runs collapsed: what "the same line, modulo whitespace" compares. */
export function normalizeLine(line: string): string {
  return line.trim().replace(/\s+/g, ' ');
}

const LONG_LINE = 400;

/**
 * 1 − (edit distance / longer length), in [0, 1]. Gives up early (returning a value below
 * `floor`) once the distance can no longer reach it, which keeps fuzzy scans cheap.
 */
export function lineSimilarity(a: string, b: string, floor = 0): number {
  if (a === b) return 1;
  const longer = Math.max(a.length, b.length);
  if (longer === 0) return 1;
  const lengthBound = 1 - Math.abs(a.length - b.length) / longer;
  if (lengthBound < floor) return lengthBound;
  // Very long lines are compared on their ends only: a minified line is not worth quadratic time.
  if (longer > LONG_LINE) return similarityOfLong(a, b);
  const maxDistance = Math.floor((1 - floor) * longer);
  const distance = boundedLevenshtein(a, b, maxDistance);
  return 1 - distance / longer;
}

function similarityOfLong(a: string, b: string): number {
  const half = LONG_LINE / 2;
  const head = lineSimilarity(a.slice(0, half), b.slice(0, half));
  const tail = lineSimilarity(a.slice(-half), b.slice(-half));
  return Math.min(head, tail, 1 - Math.abs(a.length - b.length) / Math.max(a.length, b.length));
}

let rowA = new Int32Array(256);
let rowB = new Int32Array(256);

/** Levenshtein distance, or a value above `maxDistance` as soon as every path exceeds it. */
function boundedLevenshtein(a: string, b: string, maxDistance: number): number {
  if (b.length > a.length) [a, b] = [b, a];
  const width = b.length + 1;
  if (rowA.length < width) {
    rowA = new Int32Array(width * 2);
    rowB = new Int32Array(width * 2);
  }
  let previous = rowA;
  let current = rowB;
  for (let j = 0; j < width; j++) previous[j] = j;
  for (let i = 1; i <= a.length; i++) {
    current[0] = i;
    let rowMin = i;
    const charA = a.charCodeAt(i - 1);
    for (let j = 1; j < width; j++) {
      const cost = charA === b.charCodeAt(j - 1) ? 0 : 1;
      const value = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + cost);
      current[j] = value;
      if (value < rowMin) rowMin = value;
    }
    if (rowMin > maxDistance) return maxDistance + 1;
    [previous, current] = [current, previous];
  }
  return previous[b.length]!;
}
