/**
 * o200k_base token counts with positions. The encoder first splits text into pieces with its own
 * pattern and byte-pair-encodes each piece on its own, so counting piece by piece gives exactly the
 * whole-text count and also says where each token sits, which the chunker needs to cut at lines.
 * Code repeats its pieces endlessly (`const`, ` return`, indentation), so counts are cached.
 */
import { countO200kTokens as countO200k, o200kPiecePattern } from './o200k.ts';

const PIECE_CACHE_LIMIT = 200_000;
const pieceCounts = new Map<string, number>();
// Our own instance, made on first use (the tokenizer loads lazily): a shared global regex's lastIndex would be unsafe to interleave.
let piecePattern: RegExp | undefined;

/**
 * Special-token text such as `<|endoftext|>` is split across pieces by the pattern, so counting a
 * single piece never trips gpt-tokenizer's disallowed-special check: file contents stay plain text.
 */
function pieceTokenCount(piece: string): number {
  if (piece.length > LONG_PIECE_CHARS) return longPieceTokenCount(piece);
  let count = pieceCounts.get(piece);
  if (count === undefined) {
    count = countO200k(piece);
    if (pieceCounts.size >= PIECE_CACHE_LIMIT) pieceCounts.clear();
    pieceCounts.set(piece, count);
  }
  return count;
}

/**
 * Byte-pair encoding is quadratic in a piece's length, and a minified bundle or a base64 blob is one
 * piece of tens of thousands of letters (minutes to encode whole). Such a piece is counted in slices:
 * merges cannot cross a cut, so the sum is a slight over-count, never an under-count, which keeps
 * chunks within their token limits.
 */
const LONG_PIECE_CHARS = 512;

function longPieceTokenCount(piece: string): number {
  let total = 0;
  for (let start = 0; start < piece.length; start += LONG_PIECE_CHARS) total += pieceTokenCount(piece.slice(start, start + LONG_PIECE_CHARS));
  return total;
}

/** Calls `visit` for every encoder piece of `text[from, to)` in order, with its token count. */
export function forEachTokenPiece(text: string, visit: (start: number, end: number, tokens: number) => void, from = 0, to = text.length): void {
  const source = from === 0 && to === text.length ? text : text.slice(from, to);
  const PIECE = (piecePattern ??= o200kPiecePattern());
  PIECE.lastIndex = 0;
  for (let match = PIECE.exec(source); match !== null; match = PIECE.exec(source)) {
    const piece = match[0];
    if (piece.length === 0) {
      PIECE.lastIndex++;
      continue;
    }
    visit(from + match.index, from + match.index + piece.length, pieceTokenCount(piece));
  }
}

/** Exact o200k_base token count of `text`, treating special-token text as plain text. */
export function countTextTokens(text: string): number {
  let total = 0;
  forEachTokenPiece(text, (_start, _end, tokens) => {
    total += tokens;
  });
  return total;
}
