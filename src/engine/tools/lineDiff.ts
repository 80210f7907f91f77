/**
 * Line diff (Myers, after trimming the common prefix and suffix) and unified-diff rendering, for
 * the approval preview and the edit summary the model gets back.
 */

export interface DiffHunk {
  /** 1-based first line in the old text (0 when the hunk inserts into an empty file). */
  oldStart: number;
  oldLines: number;
  newStart: number;
  newLines: number;
  lines: string[];
}

export interface DiffSummary {
  added: number;
  removed: number;
  hunks: DiffHunk[];
}

type Op = { kind: ' ' | '-' | '+'; text: string };

/** Beyond this many differences the middle is shown as one block replacement. */
const MAX_EDIT_DISTANCE = 4000;

export function diffLines(oldLines: readonly string[], newLines: readonly string[], context = 3): DiffSummary {
  let prefix = 0;
  while (prefix < oldLines.length && prefix < newLines.length && oldLines[prefix] === newLines[prefix]) prefix++;
  let suffix = 0;
  while (suffix < oldLines.length - prefix && suffix < newLines.length - prefix && oldLines[oldLines.length - 1 - suffix] === newLines[newLines.length - 1 - suffix]) suffix++;
  const middle = myers(oldLines.slice(prefix, oldLines.length - suffix), newLines.slice(prefix, newLines.length - suffix));
  const ops: Op[] = [];
  for (let index = 0; index < prefix; index++) ops.push({ kind: ' ', text: oldLines[index]! });
  ops.push(...middle);
  for (let index = oldLines.length - suffix; index < oldLines.length; index++) ops.push({ kind: ' ', text: oldLines[index]! });
  let added = 0;
  let removed = 0;
  for (const op of middle) {
    if (op.kind === '+') added++;
    else if (op.kind === '-') removed++;
  }
  return { added, removed, hunks: toHunks(ops, context) };
}

export function formatUnifiedDiff(path: string, summary: DiffSummary, options: { maxLines?: number; oldPath?: string } = {}): string {
  const out = [`--- a/${options.oldPath ?? path}`, `+++ b/${path}`];
  const limit = options.maxLines ?? Number.POSITIVE_INFINITY;
  let shown = 0;
  for (const hunk of summary.hunks) {
    out.push(`@@ -${hunk.oldStart},${hunk.oldLines} +${hunk.newStart},${hunk.newLines} @@`);
    for (const line of hunk.lines) {
      if (shown >= limit) {
        out.push(`… diff truncated (${summary.added} added, ${summary.removed} removed lines in all)`);
        return out.join('\n');
      }
      out.push(line);
      shown++;
    }
  }
  return out.join('\n');
}

function myers(a: readonly string[], b: readonly string[]): Op[] {
  const n = a.length;
  const m = b.length;
  if (n === 0) return b.map((text) => ({ kind: '+', text }));
  if (m === 0) return a.map((text) => ({ kind: '-', text }));
  const max = Math.min(n + m, MAX_EDIT_DISTANCE);
  const offset = max + 1;
  const v = new Int32Array(2 * max + 3);
  const trace: Int32Array[] = [];
  let found = false;
  for (let d = 0; d <= max && !found; d++) {
    trace.push(v.slice());
    for (let k = -d; k <= d; k += 2) {
      let x = k === -d || (k !== d && v[offset + k - 1]! < v[offset + k + 1]!) ? v[offset + k + 1]! : v[offset + k - 1]! + 1;
      let y = x - k;
      while (x < n && y < m && a[x] === b[y]) {
        x++;
        y++;
      }
      v[offset + k] = x;
      if (x >= n && y >= m) {
        found = true;
        break;
      }
    }
  }
  if (!found) return [...a.map((text) => ({ kind: '-' as const, text })), ...b.map((text) => ({ kind: '+' as const, text }))];
  const ops: Op[] = [];
  let x = n;
  let y = m;
  for (let d = trace.length - 1; d >= 0; d--) {
    const row = trace[d]!;
    const k = x - y;
    const previousK = k === -d || (k !== d && row[offset + k - 1]! < row[offset + k + 1]!) ? k + 1 : k - 1;
    const previousX = row[offset + previousK]!;
    const previousY = previousX - previousK;
    while (x > previousX && y > previousY) {
      ops.push({ kind: ' ', text: a[x - 1]! });
      x--;
      y--;
    }
    if (d > 0) {
      if (x === previousX) ops.push({ kind: '+', text: b[y - 1]! });
      else ops.push({ kind: '-', text: a[x - 1]! });
    }
    x = previousX;
    y = previousY;
  }
  return ops.reverse();
}

function toHunks(ops: readonly Op[], context: number): DiffHunk[] {
  const hunks: DiffHunk[] = [];
  let index = 0;
  let oldLine = 1;
  let newLine = 1;
  while (index < ops.length) {
    if (ops[index]!.kind === ' ') {
      index++;
      oldLine++;
      newLine++;
      continue;
    }
    const lead = Math.min(context, countBackContext(ops, index));
    let start = index - lead;
    const hunk: DiffHunk = { oldStart: oldLine - lead, oldLines: 0, newStart: newLine - lead, newLines: 0, lines: [] };
    let quiet = 0;
    let end = start;
    for (let cursor = start; cursor < ops.length; cursor++) {
      const op = ops[cursor]!;
      quiet = op.kind === ' ' ? quiet + 1 : 0;
      if (quiet > context * 2) break;
      end = cursor + 1;
    }
    // Trim trailing context beyond `context` lines.
    let trailing = 0;
    while (trailing < end - start && ops[end - 1 - trailing]!.kind === ' ') trailing++;
    end -= Math.max(0, trailing - context);
    for (; start < end; start++) {
      const op = ops[start]!;
      hunk.lines.push(op.kind + op.text);
      if (op.kind !== '+') hunk.oldLines++;
      if (op.kind !== '-') hunk.newLines++;
    }
    for (let cursor = index; cursor < end; cursor++) {
      if (ops[cursor]!.kind !== '+') oldLine++;
      if (ops[cursor]!.kind !== '-') newLine++;
    }
    if (hunk.oldLines === 0) hunk.oldStart = Math.max(0, hunk.oldStart - 1);
    if (hunk.newLines === 0) hunk.newStart = Math.max(0, hunk.newStart - 1);
    hunks.push(hunk);
    index = end;
  }
  return hunks;
}

function countBackContext(ops: readonly Op[], index: number): number {
  let count = 0;
  while (index - 1 - count >= 0 && ops[index - 1 - count]!.kind === ' ') count++;
  return count;
}
