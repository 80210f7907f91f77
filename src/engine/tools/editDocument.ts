/**
 * The text apply_edit works on: LF line endings for matching, and what is needed to give every
 * line its original terminator back (one style for uniform files, per line for mixed ones).
 */
import { normalizeLine } from './lineSimilarity.ts';
import type { LineEnding } from './textFiles.ts';
import { dominantLineEnding, splitLines } from './textFiles.ts';

export interface LineLayout {
  /** The text with LF line endings. */
  text: string;
  dominant: LineEnding;
  /** Per-line terminators, kept only for files that mix them; uniform files need just `dominant`. */
  endings: Array<LineEnding | ''> | undefined;
}

export function lineLayout(original: string): LineLayout {
  if (!original.includes('\r')) return { text: original, dominant: '\n', endings: undefined };
  const { lines, endings } = splitLines(original);
  const dominant = dominantLineEnding(endings);
  const mixed = endings.some((ending, index) => index < endings.length - 1 && ending !== dominant);
  return { text: lines.join('\n'), dominant, endings: mixed ? endings : undefined };
}

/** LF-joined text plus, for mixed files, each line's original terminator. */
export class Doc {
  readonly text: string;
  readonly endings: Array<LineEnding | ''> | undefined;
  #lines: string[] | undefined;
  #starts: number[] | undefined;
  #normalized: string[] | undefined;

  constructor(text: string, endings: Array<LineEnding | ''> | undefined) {
    this.text = text;
    this.endings = endings;
  }

  get lines(): string[] {
    return (this.#lines ??= this.text.split('\n'));
  }

  get normalized(): string[] {
    return (this.#normalized ??= this.lines.map(normalizeLine));
  }

  lineStart(line: number): number {
    return this.#lineStarts()[line]!;
  }

  lineEnd(line: number): number {
    return this.lineStart(line) + this.lines[line]!.length;
  }

  /** 0-based line containing `offset`. */
  lineOf(offset: number): number {
    const starts = this.#lineStarts();
    let low = 0;
    let high = starts.length - 1;
    while (low < high) {
      const middle = (low + high + 1) >> 1;
      if (starts[middle]! <= offset) low = middle;
      else high = middle - 1;
    }
    return low;
  }

  splice(start: number, end: number, replacement: string, dominant: LineEnding): Doc {
    const text = this.text.slice(0, start) + replacement + this.text.slice(end);
    if (!this.endings) return new Doc(text, undefined);
    const lineCount = this.endings.length;
    const keptBefore = this.lineOf(start);
    const keptAfter = lineCount - 1 - this.lineOf(end);
    let breaks = 0;
    for (let index = text.indexOf('\n'); index !== -1; index = text.indexOf('\n', index + 1)) breaks++;
    const endings: Array<LineEnding | ''> = this.endings.slice(0, keptBefore);
    const fresh = breaks - keptBefore - keptAfter;
    for (let index = 0; index < fresh; index++) endings.push(dominant);
    endings.push(...this.endings.slice(lineCount - 1 - keptAfter, lineCount - 1), '');
    return new Doc(text, endings);
  }

  render(dominant: LineEnding): string {
    if (!this.endings) return dominant === '\n' ? this.text : this.text.replaceAll('\n', dominant);
    const lines = this.lines;
    let out = '';
    for (let index = 0; index < lines.length; index++) out += lines[index]! + this.endings[index]!;
    return out;
  }

  #lineStarts(): number[] {
    if (this.#starts) return this.#starts;
    const starts = [0];
    for (let index = this.text.indexOf('\n'); index !== -1; index = this.text.indexOf('\n', index + 1)) starts.push(index + 1);
    return (this.#starts = starts);
  }
}
