/**
 * The text arithmetic behind writing a tool's edit through an open editor: which line ending the
 * new text uses (an editor document has exactly one), and the smallest span that turns the
 * document's text into the new text, so cursors, folds and the undo step cover only the change.
 * No `vscode` import: unit tests run it in plain Node.
 */

export type UniformEol = 'lf' | 'crlf' | 'none' | 'mixed';

/** 'none': no line break at all, so it fits a document of either ending. */
export function eolOf(text: string): UniformEol {
  let lf = 0;
  let crlf = 0;
  for (let index = text.indexOf('\n'); index !== -1; index = text.indexOf('\n', index + 1)) {
    if (index > 0 && text.charCodeAt(index - 1) === 13) crlf++;
    else lf++;
  }
  const loneCr = (text.match(/\r(?!\n)/g) ?? []).length;
  if (loneCr > 0 || (lf > 0 && crlf > 0)) return 'mixed';
  if (crlf > 0) return 'crlf';
  return lf > 0 ? 'lf' : 'none';
}

export interface TextSplice {
  /** UTF-16 offsets into the old text. */
  start: number;
  end: number;
  insert: string;
}

/** The one replacement that turns `before` into `after`; undefined when they are equal. */
export function minimalSplice(before: string, after: string): TextSplice | undefined {
  if (before === after) return undefined;
  const limit = Math.min(before.length, after.length);
  let prefix = 0;
  while (prefix < limit && before.charCodeAt(prefix) === after.charCodeAt(prefix)) prefix++;
  // Never cut a surrogate pair or a CRLF in two, in either text.
  while (prefix > 0 && (splitsPair(before, prefix) || splitsPair(after, prefix))) prefix--;
  let suffix = 0;
  while (suffix < limit - prefix && before.charCodeAt(before.length - 1 - suffix) === after.charCodeAt(after.length - 1 - suffix)) suffix++;
  while (suffix > 0 && (splitsPair(before, before.length - suffix) || splitsPair(after, after.length - suffix))) suffix--;
  return { start: prefix, end: before.length - suffix, insert: after.slice(prefix, after.length - suffix) };
}

/** True when a cut at `offset` separates a surrogate pair or a CR from its LF. */
function splitsPair(text: string, offset: number): boolean {
  if (offset <= 0 || offset >= text.length) return false;
  const previous = text.charCodeAt(offset - 1);
  const next = text.charCodeAt(offset);
  return (previous === 13 && next === 10) || (isHighSurrogate(previous) && isLowSurrogate(next));
}

function isHighSurrogate(code: number): boolean {
  return code >= 0xd800 && code <= 0xdbff;
}

function isLowSurrogate(code: number): boolean {
  return code >= 0xdc00 && code <= 0xdfff;
}
