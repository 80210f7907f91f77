/**
 * .gitignore semantics for the file walker: comments, `!` negation, trailing `/` for directories,
 * patterns anchored to their file's directory when they contain a slash, and "last match wins"
 * across the nested ignore files from the root down.
 */
import { globToRegExp } from './glob.ts';

interface IgnoreRule {
  regex: RegExp;
  negated: boolean;
  directoryOnly: boolean;
}

export class IgnoreFile {
  /** Directory of the ignore file, relative to the walk root ('' for the root), forward slashes. */
  readonly base: string;
  readonly #rules: IgnoreRule[];

  constructor(base: string, text: string) {
    this.base = base;
    this.#rules = parseIgnoreFile(text);
  }

  /** true: ignored, false: re-included by a `!` rule, undefined: no rule spoke. */
  verdict(relativePath: string, isDirectory: boolean): boolean | undefined {
    const local = this.base === '' ? relativePath : relativePath.startsWith(`${this.base}/`) ? relativePath.slice(this.base.length + 1) : undefined;
    if (local === undefined) return undefined;
    let verdict: boolean | undefined;
    for (const rule of this.#rules) {
      if (rule.directoryOnly && !isDirectory) continue;
      if (rule.regex.test(local)) verdict = !rule.negated;
    }
    return verdict;
  }
}

/** Is the path ignored by the stack of ignore files that apply to it (root first)? */
export function isIgnored(stack: readonly IgnoreFile[], relativePath: string, isDirectory: boolean): boolean {
  let ignored = false;
  for (const file of stack) {
    const verdict = file.verdict(relativePath, isDirectory);
    if (verdict !== undefined) ignored = verdict;
  }
  return ignored;
}

function parseIgnoreFile(text: string): IgnoreRule[] {
  const rules: IgnoreRule[] = [];
  for (const rawLine of text.split(/\r?\n/)) {
    let line = rawLine.replace(/(?<!\\)\s+$/, '');
    if (line === '' || line.startsWith('#')) continue;
    let negated = false;
    if (line.startsWith('!')) {
      negated = true;
      line = line.slice(1);
    } else if (line.startsWith('\\!') || line.startsWith('\\#')) {
      line = line.slice(1);
    }
    let directoryOnly = false;
    if (line.endsWith('/')) {
      directoryOnly = true;
      line = line.replace(/\/+$/, '');
    }
    if (line === '') continue;
    const anchored = line.includes('/');
    if (line.startsWith('/')) line = line.slice(1);
    line = line.replace(/\\(.)/g, '$1');
    try {
      rules.push({ regex: globToRegExp(line, { matchBaseAnywhere: !anchored }), negated, directoryOnly });
    } catch {
      // A pattern git itself would reject is skipped rather than failing the whole listing.
    }
  }
  return rules;
}
