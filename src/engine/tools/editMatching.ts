/**
 * Where does a search/replace block apply? Layered, and never a guess:
 *   1. exact       — the search text as written (partial lines allowed), line endings ignored;
 *   2. html_entities — the search only matches once `&lt; &gt; &amp; &quot; &#39;` are decoded:
 *                    the model's text was entity-mangled in transit, so search AND replacement are
 *                    decoded. The file's own entities are never decoded: a search with `<` does not
 *                    match `&lt;` in the file (the error says so and shows the exact text);
 *   3. whitespace  — line by line, ignoring indentation, trailing whitespace and runs of spaces
 *                    (tabs vs spaces, CRLF vs LF); the first and last search lines may be fragments;
 *   4. fuzzy       — whole lines, average similarity ≥ threshold, candidate windows found through
 *                    anchor lines so the scan stays bounded on 100k-line files.
 * More than one match at any tier is an error; so is no match. Replacement text is re-indented to the
 * matched place and the file's indent style; untouched lines keep their own line endings, new lines
 * get the file's dominant one, and the final newline stays as it was.
 */
import type { IndentStyle } from './indentation.ts';
import { detectIndentStyle, leadingWhitespace, reindent } from './indentation.ts';
import { lineSimilarity, normalizeLine } from './lineSimilarity.ts';
import { Doc, lineLayout } from './editDocument.ts';
import { toLf } from './textFiles.ts';

export interface EditBlock {
  search: string;
  replace: string;
}

export type MatchTier = 'exact' | 'html_entities' | 'whitespace' | 'fuzzy';

export interface AppliedBlock {
  /** 0-based position in the request. */
  index: number;
  tier: MatchTier;
  /** 1 for exact tiers; the line similarity for fuzzy. */
  similarity: number;
  /** 1-based lines replaced, in the text as it was when this block applied. */
  startLine: number;
  endLine: number;
  /** The text that went in (LF line endings), after decoding and re-indentation. */
  replacement: string;
}

export type EditResult =
  | { ok: true; text: string; blocks: AppliedBlock[] }
  | { ok: false; blockIndex: number; message: string };

export interface EditOptions {
  /** Average line similarity a fuzzy match needs; default 0.85. */
  fuzzyThreshold?: number;
  /** Name used in messages. */
  path?: string;
}

/** Applies every block in order, or none: the first block that fails stops everything. */
export function applyEditBlocks(original: string, blocks: readonly EditBlock[], options: EditOptions = {}): EditResult {
  const layout = lineLayout(original);
  const style = detectIndentStyle(layout.text.split('\n', 20_000));
  let doc = new Doc(layout.text, layout.endings);
  const applied: AppliedBlock[] = [];
  for (const [index, block] of blocks.entries()) {
    const found = locate(doc, block, style, options);
    if ('message' in found) {
      const prefix = blocks.length > 1 ? `Block ${index + 1} of ${blocks.length}: ` : '';
      const suffix = blocks.length > 1 ? ' No block was applied; the file is unchanged.' : ' The file is unchanged.';
      return { ok: false, blockIndex: index, message: `${prefix}${found.message}${suffix}` };
    }
    applied.push({
      index,
      tier: found.tier,
      similarity: found.similarity,
      startLine: doc.lineOf(found.start) + 1,
      endLine: doc.lineOf(Math.max(found.start, found.end - 1)) + 1,
      replacement: found.replacement,
    });
    doc = doc.splice(found.start, found.end, found.replacement, layout.dominant);
  }
  return { ok: true, text: doc.render(layout.dominant), blocks: applied };
}

// ---------------------------------------------------------------------------------------------

interface Span {
  start: number;
  end: number;
  replacement: string;
  tier: MatchTier;
  similarity: number;
}

interface Failure {
  message: string;
}

function locate(doc: Doc, block: EditBlock, style: IndentStyle, options: EditOptions): Span | Failure {
  const where = options.path ?? 'the file';
  const search = toLf(block.search);
  const replace = toLf(block.replace);
  if (search.trim() === '') {
    if (doc.text === '') return { start: 0, end: 0, replacement: replace, tier: 'exact', similarity: 1 };
    return { message: `The search text is empty. Put the exact existing lines to change in "search"; use create_file to write a whole new file.` };
  }
  const variants: Array<{ search: string; replace: string; tier: MatchTier }> = [{ search, replace, tier: 'exact' }];
  const decoded = decodeEntities(search);
  if (decoded !== search) variants.push({ search: decoded, replace: decodeEntities(replace), tier: 'html_entities' });

  for (const variant of variants) {
    const exact = exactMatch(doc, variant.search, variant.replace, style, variant.tier, where);
    if (exact) return exact;
  }
  for (const variant of variants) {
    const loose = wholeLineMatch(doc, variant.search, variant.replace, style, where, variant.tier === 'exact' ? 'whitespace' : 'html_entities');
    if (loose) return loose;
  }
  const fuzzy = fuzzyMatch(doc, search, replace, style, options.fuzzyThreshold ?? 0.85, where);
  if ('start' in fuzzy || 'message' in fuzzy) return fuzzy;
  return { message: notFoundMessage(doc, search, where, fuzzy.closest) };
}

// --- tier 1 and 2: exact --------------------------------------------------------------------

function exactMatch(doc: Doc, search: string, replace: string, style: IndentStyle, tier: MatchTier, where: string): Span | Failure | undefined {
  const hits = findAll(doc.text, search, 50);
  if (hits.length === 0) return undefined;
  if (hits.length > 1) return ambiguous(hits.map((hit) => doc.lineOf(hit) + 1), hits.length >= 50, where);
  const start = hits[0]!;
  // Only the indent style is adapted: the model copied the surrounding text exactly.
  const replacement = reindent(replace.split('\n'), { style }).join('\n');
  return { start, end: start + search.length, replacement, tier, similarity: 1 };
}

function findAll(text: string, needle: string, cap: number): number[] {
  const hits: number[] = [];
  for (let index = text.indexOf(needle); index !== -1 && hits.length < cap; index = text.indexOf(needle, index + 1)) hits.push(index);
  return hits;
}

// --- tier 3: whitespace-insensitive, line by line --------------------------------------------

interface LineQuery {
  lines: string[];
  normalized: string[];
  replaceLines: string[];
}

/** Splits search and replacement into lines, dropping blank lines at the edges of the search (and as many of the replacement's). */
function lineQuery(search: string, replace: string): LineQuery {
  const lines = dropTrailingNewline(search.split('\n'));
  let replaceLines = replace === '' ? [] : dropTrailingNewline(replace.split('\n'));
  let leading = 0;
  while (leading < lines.length && lines[leading]!.trim() === '') leading++;
  let trailing = 0;
  while (trailing < lines.length - leading && lines[lines.length - 1 - trailing]!.trim() === '') trailing++;
  const kept = lines.slice(leading, lines.length - trailing);
  let replaceLead = 0;
  while (replaceLead < Math.min(leading, replaceLines.length) && replaceLines[replaceLead]!.trim() === '') replaceLead++;
  replaceLines = replaceLines.slice(replaceLead);
  let replaceTrail = 0;
  while (replaceTrail < Math.min(trailing, replaceLines.length) && replaceLines[replaceLines.length - 1 - replaceTrail]!.trim() === '') replaceTrail++;
  replaceLines = replaceLines.slice(0, replaceLines.length - replaceTrail);
  return { lines: kept, normalized: kept.map(normalizeLine), replaceLines };
}

function wholeLineMatch(doc: Doc, search: string, replace: string, style: IndentStyle, where: string, tier: MatchTier): Span | Failure | undefined {
  const query = lineQuery(search, replace);
  const count = query.lines.length;
  if (count === 0) return undefined;
  const normalized = doc.normalized;
  const first = query.normalized[0]!;
  const last = query.normalized[count - 1]!;

  if (count === 1) {
    const whole: number[] = [];
    for (let line = 0; line < normalized.length; line++) if (normalized[line] === first) whole.push(line);
    if (whole.length > 1) return ambiguous(whole.map((line) => line + 1), false, where);
    if (whole.length === 1) return lineSpan(doc, whole[0]!, 1, query, style, tier, 1, false, false);
    return fragmentMatch(doc, search, replace, tier, where);
  }

  const starts: Array<{ line: number; partialFirst: boolean; partialLast: boolean }> = [];
  for (let line = 0; line + count <= normalized.length; line++) {
    const head = normalized[line]!;
    if (head !== first && !head.endsWith(first)) continue;
    let same = true;
    for (let offset = 1; offset < count - 1 && same; offset++) same = normalized[line + offset] === query.normalized[offset];
    if (!same) continue;
    const tail = normalized[line + count - 1]!;
    if (tail !== last && !tail.startsWith(last)) continue;
    starts.push({ line, partialFirst: head !== first, partialLast: tail !== last });
  }
  if (starts.length > 1) return ambiguous(starts.map((start) => start.line + 1), false, where);
  if (starts.length === 0) return undefined;
  const { line, partialFirst, partialLast } = starts[0]!;
  return lineSpan(doc, line, count, query, style, tier, 1, partialFirst, partialLast);
}

/** A single-line search that is part of one line: whitespace runs may differ. */
function fragmentMatch(doc: Doc, search: string, replace: string, tier: MatchTier, where: string): Span | Failure | undefined {
  const fragment = normalizeLine(search);
  if (fragment === '') return undefined;
  const pattern = new RegExp(flexibleWhitespace(fragment), 'g');
  const hits: Array<{ line: number; column: number; length: number }> = [];
  const normalized = doc.normalized;
  for (let line = 0; line < normalized.length && hits.length < 50; line++) {
    if (!normalized[line]!.includes(fragment)) continue;
    pattern.lastIndex = 0;
    for (let match = pattern.exec(doc.lines[line]!); match; match = pattern.exec(doc.lines[line]!)) {
      hits.push({ line, column: match.index, length: match[0].length });
      if (match[0].length === 0) pattern.lastIndex++;
    }
  }
  if (hits.length > 1) return ambiguous(hits.map((hit) => hit.line + 1), hits.length >= 50, where);
  if (hits.length === 0) return undefined;
  const hit = hits[0]!;
  let replacement = replace;
  if (/^\s/.test(search)) replacement = replacement.trimStart();
  if (/\s$/.test(search)) replacement = replacement.trimEnd();
  const start = doc.lineStart(hit.line) + hit.column;
  return { start, end: start + hit.length, replacement, tier, similarity: 1 };
}

/** The span and re-indented replacement for `count` file lines starting at `line`. */
function lineSpan(doc: Doc, line: number, count: number, query: LineQuery, style: IndentStyle, tier: MatchTier, similarity: number, partialFirst: boolean, partialLast: boolean): Span {
  const lastLine = line + count - 1;
  let start = doc.lineStart(line);
  let end = doc.lineEnd(lastLine);
  if (partialFirst) {
    const match = new RegExp(`${flexibleWhitespace(query.normalized[0]!)}[ \\t]*$`).exec(doc.lines[line]!);
    if (match) start += match.index;
  }
  if (partialLast) {
    const match = new RegExp(`^[ \\t]*${flexibleWhitespace(query.normalized[count - 1]!)}`).exec(doc.lines[lastLine]!);
    if (match) end = doc.lineStart(lastLine) + match[0].length;
  }
  let anchor = partialFirst ? 1 : 0;
  while (anchor < count && query.lines[anchor]!.trim() === '') anchor++;
  const base = anchor < count ? { searchBase: leadingWhitespace(query.lines[anchor]!), fileBase: leadingWhitespace(doc.lines[line + anchor]!) } : {};
  const lines = reindent(query.replaceLines, { style, ...base });
  if (partialFirst && lines.length > 0) lines[0] = lines[0]!.trimStart();
  if (partialLast && lines.length > 0) lines[lines.length - 1] = lines[lines.length - 1]!.trimEnd();
  if (lines.length === 0 && !partialFirst && !partialLast) {
    // Deleting whole lines removes their line break too, not just their text.
    if (end < doc.text.length) end += 1;
    else if (start > 0) start -= 1;
  }
  return { start, end, replacement: lines.join('\n'), tier, similarity };
}

// --- tier 4: fuzzy --------------------------------------------------------------------------

interface FuzzyMiss {
  closest?: { line: number; count: number; score: number };
}

const MAX_POSTING = 200;
const MAX_CANDIDATES = 5000;
const FULL_SCAN_BUDGET = 400_000;

function fuzzyMatch(doc: Doc, search: string, replace: string, style: IndentStyle, threshold: number, where: string): Span | Failure | FuzzyMiss {
  const query = lineQuery(search, replace);
  const count = query.lines.length;
  const nonBlank = query.normalized.filter((line) => line !== '').length;
  const normalized = doc.normalized;
  if (count === 0 || count > normalized.length) return {};

  const scored: Array<{ line: number; score: number }> = [];
  for (const line of candidateStarts(doc, query)) {
    const score = windowScore(normalized, line, query.normalized, 0.5);
    if (score >= 0.5) scored.push({ line, score });
  }
  scored.sort((a, b) => b.score - a.score || a.line - b.line);
  const best = scored[0];
  if (!best) return {};
  // A single line is too little evidence for a fuzzy replacement; it only feeds the "closest" hint.
  if (best.score < threshold || nonBlank < 2) return { closest: { line: best.line, count, score: best.score } };
  const rivals = scored.filter((other) => other !== best && other.score >= threshold && Math.abs(other.line - best.line) >= count);
  if (rivals.length > 0) {
    const lines = [best, ...rivals].map((item) => item.line + 1).sort((a, b) => a - b);
    return { message: `The search text does not match exactly, and it is similar to ${lines.length} places in ${where} (lines ${listLines(lines)}). Include more surrounding lines, copied exactly from the file, so it matches one place.` };
  }
  return lineSpan(doc, best.line, count, query, style, 'fuzzy', best.score, false, false);
}

/** Windows worth scoring: those where some distinctive search line occurs at the right offset. */
function candidateStarts(doc: Doc, query: LineQuery): Iterable<number> {
  const normalized = doc.normalized;
  const count = query.lines.length;
  const lastStart = normalized.length - count;
  const wanted = new Map<string, number[]>();
  query.normalized.forEach((line, offset) => {
    if (line.length < 4) return;
    const offsets = wanted.get(line) ?? [];
    offsets.push(offset);
    wanted.set(line, offsets);
  });
  const postings = new Map<string, number[]>();
  for (let line = 0; line < normalized.length; line++) {
    const list = postings.get(normalized[line]!);
    if (list) list.push(line);
    else if (wanted.has(normalized[line]!)) postings.set(normalized[line]!, [line]);
  }
  const starts = new Set<number>();
  for (const [text, lines] of postings) {
    if (lines.length > MAX_POSTING) continue;
    for (const line of lines) {
      for (const offset of wanted.get(text)!) {
        const start = line - offset;
        if (start >= 0 && start <= lastStart && starts.size < MAX_CANDIDATES) starts.add(start);
      }
    }
  }
  if (starts.size > 0 || (lastStart + 1) * count > FULL_SCAN_BUDGET) return starts;
  // No anchor line survived: every window of a small file is cheap enough to score.
  return Array.from({ length: lastStart + 1 }, (_, index) => index);
}

/** Length-weighted mean similarity of the window's lines to the query's; 0 once `floor` is out of reach. */
function windowScore(normalized: readonly string[], start: number, query: readonly string[], floor: number): number {
  let total = 0;
  for (let offset = 0; offset < query.length; offset++) total += Math.max(normalized[start + offset]!.length, query[offset]!.length, 1);
  let lost = 0;
  for (let offset = 0; offset < query.length; offset++) {
    const a = normalized[start + offset]!;
    const b = query[offset]!;
    lost += (1 - lineSimilarity(a, b, 0.3)) * Math.max(a.length, b.length, 1);
    if (1 - lost / total < floor) return 0;
  }
  return 1 - lost / total;
}

// --- messages -------------------------------------------------------------------------------

function ambiguous(lines: number[], more: boolean, where: string): Failure {
  const unique = [...new Set(lines)];
  const times = more ? `at least ${lines.length} times` : `${lines.length} times`;
  return { message: `The search text appears ${times} in ${where} (${unique.length === 1 ? 'line' : 'lines'} ${listLines(unique)}); include more surrounding lines so it matches exactly one place.` };
}

function notFoundMessage(doc: Doc, search: string, where: string, closest: FuzzyMiss['closest']): string {
  const parts = [`The search text was not found in ${where}.`];
  const escaped = encodeEntities(search);
  if (escaped !== search && doc.text.includes(escaped)) {
    parts.push(`The file writes some of these characters as HTML entities (e.g. &lt;) at line ${doc.lineOf(doc.text.indexOf(escaped)) + 1}; copy the text exactly as the file has it.`);
  } else if (closest) {
    const snippet = doc.lines.slice(closest.line, closest.line + Math.min(closest.count, 15)).map((text, offset) => `${closest.line + offset + 1}: ${text}`).join('\n');
    parts.push(`The closest text is at lines ${closest.line + 1}-${closest.line + closest.count} (${Math.round(closest.score * 100)}% similar):\n${snippet}\n`);
  }
  parts.push('Read the file again with read_file and copy the lines to change exactly (indentation may differ; other characters must match).');
  return parts.join(' ');
}

function listLines(lines: number[]): string {
  const shown = lines.slice(0, 8).join(', ');
  return lines.length > 8 ? `${shown}, …` : shown.replace(/, (\d+)$/, lines.length === 2 ? ' and $1' : ', $1');
}

// --- helpers --------------------------------------------------------------------------------

function dropTrailingNewline(lines: string[]): string[] {
  return lines.length > 1 && lines[lines.length - 1] === '' ? lines.slice(0, -1) : lines;
}

function flexibleWhitespace(normalizedFragment: string): string {
  return normalizedFragment.split(' ').map(escapeRegExp).join('\\s+');
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

const ENTITIES: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'", '#39': "'", '#x27': "'", '#34': '"', '#60': '<', '#62': '>' };

function decodeEntities(text: string): string {
  return text.replace(/&(lt|gt|amp|quot|apos|#39|#x27|#34|#60|#62);/g, (_, name: string) => ENTITIES[name]!);
}

function encodeEntities(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
