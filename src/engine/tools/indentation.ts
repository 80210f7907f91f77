/**
 * Indentation style of a file and re-indentation of replacement text, so an edit written with the
 * wrong base indent or with spaces in a tab-indented file lands in the file's own style.
 */

export interface IndentStyle {
  /** `mixed` and `unknown` files are left as the model wrote them. */
  kind: 'tabs' | 'spaces' | 'mixed' | 'unknown';
  /** Spaces per level for space-indented files (2, 4 or 8); 4 otherwise. */
  unit: number;
}

export function leadingWhitespace(line: string): string {
  const match = /^[ \t]*/.exec(line);
  return match ? match[0] : '';
}

export function detectIndentStyle(lines: readonly string[]): IndentStyle {
  let tabs = 0;
  let spaces = 0;
  const deltas = new Map<number, number>();
  let previous = 0;
  const limit = Math.min(lines.length, 20_000);
  for (let index = 0; index < limit; index++) {
    const line = lines[index]!;
    if (line.trim() === '') continue;
    const indent = leadingWhitespace(line);
    if (indent.startsWith('\t')) tabs++;
    else if (indent.length >= 2) spaces++;
    if (!indent.includes('\t')) {
      const delta = Math.abs(indent.length - previous);
      if (delta >= 2 && delta <= 8) deltas.set(delta, (deltas.get(delta) ?? 0) + 1);
      previous = indent.length;
    }
  }
  const indented = tabs + spaces;
  let unit = 4;
  let best = 0;
  for (const [delta, count] of deltas) {
    if ((delta === 2 || delta === 4 || delta === 8) && count > best) {
      best = count;
      unit = delta;
    }
  }
  if (indented === 0) return { kind: 'unknown', unit };
  if (tabs / indented >= 0.8) return { kind: 'tabs', unit: 4 };
  if (spaces / indented >= 0.8) return { kind: 'spaces', unit };
  return { kind: 'mixed', unit };
}

export interface ReindentOptions {
  style: IndentStyle;
  /** Indent of the search's anchor line as the model wrote it… */
  searchBase?: string;
  /** …and of the file line it matched; the difference shifts every replacement line. */
  fileBase?: string;
}

/**
 * Shifts replacement lines by the base-indent difference and rewrites indentation written in the
 * other style (spaces in a tab file, tabs in a space file). Lines already right stay untouched.
 */
export function reindent(lines: readonly string[], options: ReindentOptions): string[] {
  const { style } = options;
  const decisive = style.kind === 'tabs' || style.kind === 'spaces';
  const tabSize = style.kind === 'spaces' ? style.unit : spaceUnitOf(lines) ?? style.unit;
  const shift = options.searchBase !== undefined && options.fileBase !== undefined ? columns(options.fileBase, tabSize) - columns(options.searchBase, tabSize) : 0;
  const fileUsesTabs = style.kind === 'tabs' || (!decisive && (options.fileBase ?? '').includes('\t'));
  const shifted = shift !== 0 || (options.searchBase !== undefined && options.fileBase !== undefined && options.searchBase !== options.fileBase);
  return lines.map((line) => {
    if (line.trim() === '') return line.replace(/[ \t]+$/, '');
    const own = leadingWhitespace(line);
    const wrongStyle = decisive && (style.kind === 'tabs' ? / {2,}/.test(own) && !own.startsWith('\t') : own.includes('\t'));
    if (!shifted && !wrongStyle) return line;
    const width = Math.max(0, columns(own, tabSize) + shift);
    return renderIndent(width, fileUsesTabs, tabSize) + line.slice(own.length);
  });
}

export function columns(indent: string, tabSize: number): number {
  let width = 0;
  for (const char of indent) width = char === '\t' ? width + tabSize - (width % tabSize) : width + 1;
  return width;
}

function renderIndent(width: number, useTabs: boolean, tabSize: number): string {
  if (!useTabs) return ' '.repeat(width);
  return '\t'.repeat(Math.floor(width / tabSize)) + ' '.repeat(width % tabSize);
}

/** The model's own spaces-per-level in the replacement, when it indents with spaces. */
function spaceUnitOf(lines: readonly string[]): number | undefined {
  let unit: number | undefined;
  for (const line of lines) {
    if (line.trim() === '') continue;
    const indent = leadingWhitespace(line);
    if (indent.length === 0 || indent.includes('\t')) continue;
    unit = unit === undefined ? indent.length : gcd(unit, indent.length);
  }
  if (unit === undefined || unit < 2) return undefined;
  // 8 spaces is far more often two levels of 4 than one level of 8.
  return unit % 4 === 0 ? 4 : unit % 2 === 0 ? 2 : undefined;
}

function gcd(a: number, b: number): number {
  return b === 0 ? a : gcd(b, a % b);
}
