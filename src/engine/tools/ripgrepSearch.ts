/**
 * search_text through ripgrep. The binary comes from, in order: an explicit path (VS Code passes
 * the rg it ships), the @vscode/ripgrep package's `rgPath`, or nothing (the JS search takes over).
 * Flags make rg walk exactly what the JS walker walks: hidden files included, .gitignore honoured
 * even outside git repositories, nothing from parent directories or global git config.
 */
import { spawn } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { ToolError } from './tool.ts';
import type { TextMatch, TextSearchQuery, TextSearchResult } from './textSearch.ts';
import { isSmartCaseSensitive } from './textSearch.ts';

let packaged: Promise<string | undefined> | undefined;

/** The ripgrep binary to use, or undefined when none is runnable here. */
export async function locateRipgrep(configured?: string): Promise<string | undefined> {
  if (configured && isExecutable(configured)) return configured;
  packaged ??= (async () => {
    try {
      const module = (await import('@vscode/ripgrep')) as { rgPath?: string };
      return module.rgPath && isExecutable(module.rgPath) ? module.rgPath : undefined;
    } catch {
      // The package throws at import when its platform binary was not installed.
      return undefined;
    }
  })();
  return packaged;
}

export function ripgrepArguments(query: TextSearchQuery): string[] {
  const args = ['--json', '--no-config', '--hidden', '--no-require-git', '--no-ignore-parent', '--no-ignore-global', '--no-messages'];
  args.push('--max-count', String(query.maxPerFile), '--max-filesize', String(query.maxFileBytes));
  args.push(isSmartCaseSensitive(query) ? '--case-sensitive' : '--ignore-case');
  if (!query.isRegex) args.push('--fixed-strings');
  for (const directory of ['.git', '.hg', '.svn']) args.push('--glob', `!${directory}`);
  for (const glob of query.exclude) {
    args.push('--glob', `!${glob}`);
    // `dir/**` excludes the contents; `dir` itself as well keeps rg from walking into it at all.
    if (glob.endsWith('/**')) args.push('--glob', `!${glob.slice(0, -3)}`);
  }
  for (const glob of query.include) args.push('--glob', glob);
  args.push('--regexp', query.pattern);
  // Always a path: with none, rg reads stdin whenever stdin is not a terminal.
  args.push('--', query.startAt === '' ? '.' : query.startAt);
  return args;
}

export function ripgrepSearch(rgPath: string, query: TextSearchQuery): Promise<TextSearchResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(rgPath, ripgrepArguments(query), { cwd: query.folderPath, stdio: ['ignore', 'pipe', 'pipe'] });
    const matches: TextMatch[] = [];
    let truncated = false;
    let pending = '';
    let stderr = '';
    let done = false;
    const stop = () => {
      if (!child.killed) child.kill('SIGKILL');
    };
    const onAbort = () => stop();
    query.signal?.addEventListener('abort', onAbort, { once: true });

    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => {
      if (truncated) return;
      pending += chunk;
      let newline = pending.indexOf('\n');
      while (newline !== -1) {
        const line = pending.slice(0, newline);
        pending = pending.slice(newline + 1);
        const match = parseMatch(line);
        if (match) {
          if (matches.length >= query.maxResults) {
            truncated = true;
            stop();
            return;
          }
          matches.push(match);
        }
        newline = pending.indexOf('\n');
      }
    });
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (chunk: string) => {
      if (stderr.length < 4000) stderr += chunk;
    });
    child.on('error', (error) => {
      if (done) return;
      done = true;
      query.signal?.removeEventListener('abort', onAbort);
      reject(error);
    });
    child.on('close', (code) => {
      if (done) return;
      done = true;
      query.signal?.removeEventListener('abort', onAbort);
      if (query.signal?.aborted) {
        reject(query.signal.reason instanceof Error ? query.signal.reason : new Error('search cancelled'));
        return;
      }
      // 0: matches, 1: none; 2: an error — for a bad regex that is the model's to fix.
      if (code === 2 && matches.length === 0 && !truncated) {
        const message = stderr.trim().split('\n').slice(0, 6).join('\n');
        reject(new ToolError(`search_text could not run this search: ${message || 'ripgrep failed'}${query.isRegex ? '\nCheck the regular expression (Rust regex syntax), or set is_regex to false to search for the literal text.' : ''}`));
        return;
      }
      matches.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : a.line - b.line));
      resolve({ matches, truncated, engine: 'ripgrep' });
    });
  });
}

interface RgJsonMatch {
  type: string;
  data?: {
    path?: { text?: string };
    lines?: { text?: string };
    line_number?: number;
    submatches?: Array<{ start: number }>;
  };
}

function parseMatch(line: string): TextMatch | undefined {
  if (!line.startsWith('{"type":"match"')) return undefined;
  let event: RgJsonMatch;
  try {
    event = JSON.parse(line) as RgJsonMatch;
  } catch {
    return undefined;
  }
  const data = event.data;
  // Paths or lines that are not UTF-8 come as base64 `bytes`; they are skipped.
  if (!data?.path?.text || data.lines?.text === undefined || data.line_number === undefined) return undefined;
  const text = data.lines.text.replace(/\r?\n$/, '');
  const byteStart = data.submatches?.[0]?.start ?? 0;
  const column = Buffer.from(text, 'utf8').subarray(0, byteStart).toString('utf8').length;
  return { path: data.path.text.replace(/\\/g, '/').replace(/^\.\//, ''), line: data.line_number, column, text };
}

function isExecutable(file: string): boolean {
  try {
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}
