/**
 * Glob patterns compiled to regular expressions, matched against workspace-relative paths with
 * forward slashes. Supports `**`, `*`, `?`, `[abc]`/`[!abc]` and `{a,b}` (nestable). A pattern with
 * no slash matches a name at any depth (`*.ts` is `**\/*.ts`), as in VS Code's search include box.
 */

export interface GlobOptions {
  /** Default true. Protected-path checks compile case-insensitively so `.VSCode/` cannot slip by. */
  caseSensitive?: boolean;
  /** Default true: a slash-free pattern matches at any depth. */
  matchBaseAnywhere?: boolean;
}

export type GlobMatcher = (relativePath: string) => boolean;

export function compileGlob(pattern: string, options: GlobOptions = {}): GlobMatcher {
  const regex = globToRegExp(pattern, options);
  return (relativePath) => regex.test(relativePath);
}

/** One matcher for many patterns; empty list matches nothing. */
export function compileGlobs(patterns: readonly string[], options: GlobOptions = {}): GlobMatcher {
  const matchers = patterns.map((pattern) => globToRegExp(pattern, options));
  return (relativePath) => matchers.some((regex) => regex.test(relativePath));
}

export function globToRegExp(pattern: string, options: GlobOptions = {}): RegExp {
  let source = pattern.replace(/\\/g, '/').trim();
  if (source.startsWith('./')) source = source.slice(2);
  const anywhere = (options.matchBaseAnywhere ?? true) && !source.slice(0, -1).includes('/');
  if (source.startsWith('/')) source = source.slice(1);
  if (source.endsWith('/')) source += '**';
  const body = translate(source);
  const prefix = anywhere && !source.startsWith('**') ? '(?:.*/)?' : '';
  return new RegExp(`^${prefix}${body}$`, options.caseSensitive === false ? 'i' : '');
}

function translate(glob: string): string {
  let out = '';
  let index = 0;
  while (index < glob.length) {
    const char = glob[index]!;
    if (char === '*') {
      if (glob[index + 1] === '*') {
        const atSegmentStart = index === 0 || glob[index - 1] === '/';
        const next = glob[index + 2];
        if (atSegmentStart && next === '/') {
          out += '(?:.*/)?';
          index += 3;
          continue;
        }
        if (atSegmentStart && next === undefined) {
          out += '.*';
          index += 2;
          continue;
        }
        // `a**b` is two single stars in every glob dialect that matters here.
        out += '[^/]*';
        index += 2;
        continue;
      }
      out += '[^/]*';
      index += 1;
    } else if (char === '?') {
      out += '[^/]';
      index += 1;
    } else if (char === '[') {
      const close = glob.indexOf(']', index + 2);
      if (close === -1) {
        out += '\\[';
        index += 1;
        continue;
      }
      let set = glob.slice(index + 1, close);
      const negated = set.startsWith('!') || set.startsWith('^');
      if (negated) set = set.slice(1);
      out += `[${negated ? '^/' : ''}${set.replace(/\\/g, '\\\\').replace(/]/g, '\\]')}]`;
      index = close + 1;
    } else if (char === '{') {
      const close = matchingBrace(glob, index);
      if (close === -1) {
        out += '\\{';
        index += 1;
        continue;
      }
      const alternatives = splitTopLevel(glob.slice(index + 1, close));
      out += `(?:${alternatives.map(translate).join('|')})`;
      index = close + 1;
    } else {
      out += /[.+^$()|\\]/.test(char) ? `\\${char}` : char === '}' ? '\\}' : char;
      index += 1;
    }
  }
  return out;
}

function matchingBrace(glob: string, open: number): number {
  let depth = 0;
  for (let index = open; index < glob.length; index++) {
    if (glob[index] === '{') depth++;
    else if (glob[index] === '}' && --depth === 0) return index;
  }
  return -1;
}

function splitTopLevel(inner: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let start = 0;
  for (let index = 0; index < inner.length; index++) {
    const char = inner[index];
    if (char === '{') depth++;
    else if (char === '}') depth--;
    else if (char === ',' && depth === 0) {
      parts.push(inner.slice(start, index));
      start = index + 1;
    }
  }
  parts.push(inner.slice(start));
  return parts;
}
