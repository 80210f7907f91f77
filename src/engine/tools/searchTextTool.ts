/** search_text: lines matching a text or regex across the workspace, through ripgrep or the JS fallback. */
import type { JsonSchema } from './argumentValidation.ts';
import { javascriptSearch } from './javascriptSearch.ts';
import { SECRET_GLOBS } from './policy/protectedPaths.ts';
import { locateRipgrep, ripgrepSearch } from './ripgrepSearch.ts';
import type { TextMatch, TextSearchQuery, TextSearchResult } from './textSearch.ts';
import type { ToolContext, WorkspaceTool } from './tool.ts';
import { readCall, ToolError } from './tool.ts';

export interface SearchTextInput {
  query: string;
  /** Default false: the query is literal text. */
  is_regex?: boolean;
  /** Directory or file to search, relative to the workspace root. */
  path?: string;
  /** Glob(s) of files to search, e.g. "*.ts". */
  include?: string;
  /** Default: smart case. */
  case_sensitive?: boolean;
  max_results?: number;
}

export const searchTextParameters: JsonSchema = {
  type: 'object',
  properties: {
    query: { type: 'string', minLength: 1, description: 'Text to find. Literal unless is_regex is true.' },
    is_regex: { type: 'boolean', description: 'Treat query as a regular expression (Rust/ripgrep syntax). Default false.' },
    path: { type: 'string', description: 'Directory or file to search, relative to the workspace root. Default: everything.' },
    include: { type: 'string', description: 'Only files matching this glob, e.g. "*.ts" or "src/**/*.py"; several separated by commas.' },
    case_sensitive: { type: 'boolean', description: 'Default: case-insensitive unless the query contains an upper-case letter.' },
    max_results: { type: 'integer', minimum: 1, maximum: 500, description: 'At most this many matching lines (default 100).' },
  },
  required: ['query'],
  additionalProperties: false,
};

const MAX_PER_FILE = 20;
const MAX_LINE_CHARS = 240;
const MAX_SEARCH_FILE_BYTES = 2 * 1024 * 1024;

export const searchTextTool: WorkspaceTool<SearchTextInput> = {
  name: 'search_text',
  access: 'read',
  description:
    'Search file contents in the workspace (ripgrep). Returns matching lines grouped by file, as "line: text". ' +
    'Files ignored by .gitignore, binary files and secret files (.env, keys) are skipped. At most 20 matches per file and max_results in all; narrow with path or include when results are cut off.',
  parameters: searchTextParameters,
  async prepare(input, context) {
    // No path in a multi-root workspace means every folder.
    const targets = input.path === undefined
      ? await Promise.all(context.paths.folders().map((folder) => context.paths.resolve(folder.path)))
      : [await context.paths.resolve(input.path)];
    return readCall({ reads: [] }, `Search for "${input.query}"`, async (signal) => {
      const maxResults = input.max_results ?? 100;
      const merged: TextSearchResult = { matches: [], truncated: false, engine: 'ripgrep' };
      for (const target of targets) {
        if (!target.exists) throw new ToolError(`Path not found: ${target.display}. Use list_files to see which paths exist.`);
        if (merged.matches.length >= maxResults) {
          merged.truncated = true;
          break;
        }
        const result = await runSearch(context, {
          pattern: input.query,
          isRegex: input.is_regex ?? false,
          caseSensitive: input.case_sensitive,
          folderPath: target.folder.path,
          startAt: target.relative,
          include: (input.include ?? '').split(',').map((glob) => glob.trim()).filter((glob) => glob !== ''),
          exclude: [...context.config.excludeGlobs, ...SECRET_GLOBS],
          maxResults: maxResults - merged.matches.length,
          maxPerFile: MAX_PER_FILE,
          maxFileBytes: MAX_SEARCH_FILE_BYTES,
          signal,
        });
        const prefix = context.paths.folders().length > 1 ? `${target.folder.name}/` : '';
        merged.matches.push(...result.matches.map((match) => ({ ...match, path: prefix + match.path })));
        merged.truncated ||= result.truncated;
        merged.engine = result.engine;
      }
      return formatResults(input, merged);
    });
  },
};

/** ripgrep when available; the JS search otherwise, or when rg cannot start. */
export async function runSearch(context: ToolContext, query: TextSearchQuery): Promise<TextSearchResult> {
  const rgPath = context.config.useRipgrep ? await locateRipgrep(context.config.ripgrepPath) : undefined;
  if (rgPath) {
    try {
      return await ripgrepSearch(rgPath, query);
    } catch (error) {
      if (ToolError.is(error) || query.signal?.aborted) throw error;
    }
  }
  return javascriptSearch(context.files, query);
}

function formatResults(input: SearchTextInput, result: TextSearchResult): string {
  const described = `${input.is_regex ? 'regex ' : ''}"${input.query}"${input.path ? ` in ${input.path}` : ''}${input.include ? ` (files: ${input.include})` : ''}`;
  if (result.matches.length === 0) return `No matches for ${described}.`;
  const byFile = new Map<string, TextMatch[]>();
  for (const match of result.matches) {
    const list = byFile.get(match.path) ?? [];
    list.push(match);
    byFile.set(match.path, list);
  }
  const out = [`${result.matches.length}${result.truncated ? '+' : ''} matching lines in ${byFile.size} ${byFile.size === 1 ? 'file' : 'files'} for ${described}:`];
  for (const [path, matches] of byFile) {
    out.push(path);
    for (const match of matches) out.push(`  ${match.line}: ${clip(match.text, match.column)}`);
  }
  if (result.truncated) out.push(`[Results cut off at ${result.matches.length} lines. Narrow the search with path or include, or a more specific query.]`);
  return out.join('\n');
}

/** Long lines are cut to a window around the match. */
function clip(text: string, column: number): string {
  const line = text;
  if (line.length <= MAX_LINE_CHARS) return line.trimEnd();
  const start = Math.max(0, Math.min(column - 60, line.length - MAX_LINE_CHARS));
  return `${start > 0 ? '…' : ''}${line.slice(start, start + MAX_LINE_CHARS)}${start + MAX_LINE_CHARS < line.length ? '…' : ''}`;
}
