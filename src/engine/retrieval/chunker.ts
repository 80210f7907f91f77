/**
 * Token-bounded chunks that end where the code's structure does. The text is measured in o200k
 * tokens line by line; a chunk takes as many whole lines as fit in `maxTokens`, then backs up to
 * the best boundary in its second half (a top-level declaration beats a member beats a blank
 * line), so a function is rarely cut in two. Boundaries come from the layout first; when a cut
 * finds no clean one there (no blank line before the outermost indentation in reach), the file is
 * parsed with tree-sitter and planned again with the grammar's declarations. The next chunk
 * starts up to `overlapTokens` earlier, again at the best boundary available, and never overlaps
 * more than half of the chunk before it, so every step moves forward by at least a quarter of
 * `maxTokens`. Lines longer than a chunk (minified code, data) are split between encoder pieces.
 */
import type { ChunkLimits } from './chunkingOptions.ts';
import { forEachTokenPiece } from '../tokens/pieceCounts.ts';

export interface TextChunk {
  /** UTF-16 offsets into the text: `text.slice(startOffset, endOffset)` is the chunk. */
  startOffset: number;
  endOffset: number;
  /** 1-based, inclusive. */
  startLine: number;
  endLine: number;
  tokenCount: number;
}

export interface ChunkedText {
  chunks: TextChunk[];
  tokenCount: number;
  lineStarts: number[];
}

/**
 * Per-line boundary scores (see syntaxBoundaries.ts). `layout` is cheap and always used; `syntax`
 * (a parse) is asked for only when some cut found no clean boundary in layout alone: in tidy code a
 * blank line before an unindented one already marks a top-level declaration, and parsing costs
 * several times more than the rest of chunking.
 */
export interface BoundaryScorer {
  layout(lineStarts: readonly number[]): Uint8Array;
  syntax?(lineStarts: readonly number[]): Uint8Array | null;
}

/** A cut at a score below this made the chunker ask for the syntax. */
const CLEAN_BOUNDARY = 2;
/** The layout score of a line that follows a blank line (syntaxBoundaries.ts BOUNDARY_BLANK). */
const BOUNDARY_AFTER_BLANK = 1;

export function lineStartsOf(text: string): number[] {
  const starts = [0];
  for (let index = text.indexOf('\n'); index >= 0 && index + 1 < text.length; index = text.indexOf('\n', index + 1)) starts.push(index + 1);
  return starts;
}

/** Segments: whole lines, or slices of lines too long for a chunk. */
interface Segments {
  start: number[];
  tokens: number[];
  score: number[];
  line: number[];
  /** Leading whitespace of the segment's line (tabs count 4); BLANK_INDENT for blank lines and slices. */
  indent: number[];
}

const BLANK_INDENT = 1 << 20;

function indentOf(text: string, start: number, end: number): number {
  let width = 0;
  for (let i = start; i < end; i++) {
    const code = text.charCodeAt(i);
    if (code === 32) width++;
    else if (code === 9) width += 4;
    else return code === 10 || code === 13 ? BLANK_INDENT : width;
  }
  return BLANK_INDENT;
}

function buildSegments(text: string, lineStarts: readonly number[], lineScores: Uint8Array | null, limits: ChunkLimits): { segments: Segments; total: number } {
  const lineCount = lineStarts.length;
  const lineTokens = new Array<number>(lineCount).fill(0);
  let line = 0;
  let total = 0;
  forEachTokenPiece(text, (start, _end, tokens) => {
    while (line + 1 < lineCount && lineStarts[line + 1]! <= start) line++;
    lineTokens[line]! += tokens;
    total += tokens;
  });

  const segments: Segments = { start: [], tokens: [], score: [], line: [], indent: [] };
  // Slices of an over-long line are small, so the packing around them stays flexible.
  const sliceBudget = Math.max(1, Math.floor(limits.maxTokens / 4));
  for (let i = 0; i < lineCount; i++) {
    const score = lineScores ? lineScores[i]! : 0;
    if (lineTokens[i]! <= limits.maxTokens) {
      segments.start.push(lineStarts[i]!);
      segments.tokens.push(lineTokens[i]!);
      segments.score.push(score);
      segments.line.push(i);
      segments.indent.push(indentOf(text, lineStarts[i]!, i + 1 < lineCount ? lineStarts[i + 1]! : text.length));
      continue;
    }
    const lineEnd = i + 1 < lineCount ? lineStarts[i + 1]! : text.length;
    let sliceStart = lineStarts[i]!;
    let sliceTokens = 0;
    const flush = (end: number): void => {
      if (end <= sliceStart && sliceTokens === 0) return;
      segments.start.push(sliceStart);
      segments.tokens.push(sliceTokens);
      segments.score.push(sliceStart === lineStarts[i] ? score : 0);
      segments.line.push(i);
      segments.indent.push(BLANK_INDENT);
      sliceStart = end;
      sliceTokens = 0;
    };
    forEachTokenPiece(text, (start, end, tokens) => {
      if (tokens > sliceBudget) {
        // One enormous piece (a long run of letters): cut it by characters in proportion.
        flush(start);
        const parts = Math.ceil(tokens / sliceBudget);
        const step = Math.ceil((end - start) / parts);
        for (let from = start; from < end; from += step) {
          const to = Math.min(end, from + step);
          let partTokens = 0;
          forEachTokenPiece(text, (_s, _e, t) => {
            partTokens += t;
          }, from, to);
          sliceTokens = partTokens;
          flush(to);
        }
        return;
      }
      if (sliceTokens + tokens > sliceBudget) flush(start);
      sliceTokens += tokens;
    }, lineStarts[i]!, lineEnd);
    flush(lineEnd);
  }
  return { segments, total };
}

function lineOfOffset(lineStarts: readonly number[], offset: number): number {
  let low = 0;
  let high = lineStarts.length - 1;
  while (low < high) {
    const mid = (low + high + 1) >> 1;
    if (lineStarts[mid]! <= offset) low = mid;
    else high = mid - 1;
  }
  return low;
}

/** Splits `text` into chunks of at most `limits.maxTokens` tokens (see the file comment). */
export function chunkText(text: string, limits: ChunkLimits, scorer?: BoundaryScorer): ChunkedText & { boundaries: 'none' | 'layout' | 'syntax' } {
  const lineStarts = lineStartsOf(text);
  if (text.length === 0) return { chunks: [], tokenCount: 0, lineStarts, boundaries: 'none' };
  const layout = scorer ? scorer.layout(lineStarts) : null;
  const { segments, total } = buildSegments(text, lineStarts, layout, limits);
  const planned = planChunks(text, lineStarts, segments, limits);
  if (!planned.weakCuts || !scorer?.syntax) return { chunks: planned.chunks, tokenCount: total, lineStarts, boundaries: layout ? 'layout' : 'none' };
  const syntax = scorer.syntax(lineStarts);
  if (!syntax) return { chunks: planned.chunks, tokenCount: total, lineStarts, boundaries: 'layout' };
  segments.score = segments.score.map((score, i) => (i === 0 || segments.start[i] === lineStarts[segments.line[i]!] ? Math.max(score, syntax[segments.line[i]!]!) : score));
  return { chunks: planChunks(text, lineStarts, segments, limits).chunks, tokenCount: total, lineStarts, boundaries: 'syntax' };
}

function planChunks(text: string, lineStarts: readonly number[], segments: Segments, limits: ChunkLimits): { chunks: TextChunk[]; weakCuts: number } {
  const { start: segStart, tokens: segTokens, score: segScore } = segments;
  const count = segStart.length;
  const chunks: TextChunk[] = [];
  const minFill = Math.floor(limits.maxTokens / 2);
  let weakCuts = 0;

  let first = 0;
  while (first < count) {
    let end = first;
    let filled = 0;
    while (end < count && filled + segTokens[end]! <= limits.maxTokens) filled += segTokens[end++]!;
    if (end === first) filled += segTokens[end++]!;

    let cut = end;
    if (end < count) {
      // Candidates are the cuts that leave the chunk at least half full.
      let lowest = end;
      for (let prefix = filled; lowest > first + 1 && prefix - segTokens[lowest - 1]! >= minFill; lowest--) prefix -= segTokens[lowest - 1]!;
      // A blank line before the outermost indentation among the candidates separates members of
      // whatever encloses them (methods of a class): as clean as an unindented line after a blank.
      let outermost = BLANK_INDENT;
      for (let i = lowest; i <= end; i++) outermost = Math.min(outermost, segments.indent[i]!);
      let bestScore = -1;
      // From the far end back: the latest position with the highest score wins.
      for (let candidate = end; candidate >= lowest; candidate--) {
        const raw = segScore[candidate]!;
        const score = raw === BOUNDARY_AFTER_BLANK && segments.indent[candidate] === outermost ? CLEAN_BOUNDARY : raw;
        if (score > bestScore) {
          bestScore = score;
          cut = candidate;
        }
      }
      if (bestScore < CLEAN_BOUNDARY) weakCuts++;
    }
    let chunkTokens = 0;
    for (let i = first; i < cut; i++) chunkTokens += segTokens[i]!;
    const startOffset = segStart[first]!;
    const endOffset = cut < count ? segStart[cut]! : text.length;
    chunks.push({
      startOffset,
      endOffset,
      startLine: segments.line[first]! + 1,
      endLine: lineOfOffset(lineStarts, Math.max(startOffset, endOffset - 1)) + 1,
      tokenCount: chunkTokens,
    });
    if (cut >= count) break;
    first = overlapStart(segTokens, segScore, first, cut, Math.min(limits.overlapTokens, Math.floor(chunkTokens / 2)));
  }
  return { chunks, weakCuts };
}

/**
 * Where the next chunk starts: the best-scored segment within the last `budget` tokens of the
 * chunk [first, cut), preferring those that keep at least half the budget; ties go to the earlier one.
 */
function overlapStart(segTokens: readonly number[], segScore: readonly number[], first: number, cut: number, budget: number): number {
  let best = cut;
  let bestScore = -1;
  let bestRich = false;
  let suffix = 0;
  for (let candidate = cut - 1; candidate > first; candidate--) {
    suffix += segTokens[candidate]!;
    if (suffix > budget) break;
    const rich = suffix * 2 >= budget;
    const score = segScore[candidate]!;
    if ((rich && !bestRich) || (rich === bestRich && score >= bestScore)) {
      best = candidate;
      bestScore = score;
      bestRich = rich;
    }
  }
  return best;
}
