/**
 * search_text without ripgrep: the same walker list_files uses, then a line-by-line scan with a
 * JavaScript regular expression. Slower, but it behaves the same and needs nothing installed.
 */
import type { WorkspaceFiles } from '../ports/workspace.ts';
import { WorkspaceFsError } from '../ports/workspace.ts';
import { walkFolder } from './fileWalker.ts';
import { compileGlobs } from './glob.ts';
import { ToolError } from './tool.ts';
import { decodeUtf8, looksBinary } from './textFiles.ts';
import type { TextMatch, TextSearchQuery, TextSearchResult } from './textSearch.ts';
import { isSmartCaseSensitive } from './textSearch.ts';

const CONCURRENCY = 8;

export async function javascriptSearch(files: WorkspaceFiles, query: TextSearchQuery): Promise<TextSearchResult> {
  const regex = buildRegex(query);
  const single = await singleFile(files, query);
  const paths = single !== undefined ? [single] : (await walkFolder(files, {
    folderPath: query.folderPath,
    startAt: query.startAt,
    exclude: compileGlobs(query.exclude),
    include: query.include.length > 0 ? compileGlobs(query.include) : undefined,
    signal: query.signal,
  })).entries.filter((entry) => entry.type === 'file').map((entry) => entry.path);

  const perFile: TextMatch[][] = new Array(paths.length);
  let found = 0;
  let next = 0;
  let truncated = false;
  const worker = async () => {
    while (next < paths.length && !truncated) {
      const index = next++;
      query.signal?.throwIfAborted();
      const matches = await searchFile(files, query, paths[index]!, regex);
      perFile[index] = matches;
      found += matches.length;
      if (found > query.maxResults) truncated = true;
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  const matches = perFile.filter(Boolean).flat();
  matches.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : a.line - b.line));
  return { matches: matches.slice(0, query.maxResults), truncated: truncated || matches.length > query.maxResults, engine: 'javascript' };
}

function buildRegex(query: TextSearchQuery): RegExp {
  const source = query.isRegex ? query.pattern : query.pattern.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  try {
    return new RegExp(source, isSmartCaseSensitive(query) ? 'u' : 'iu');
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new ToolError(`search_text could not run this search: ${reason}\nCheck the regular expression, or set is_regex to false to search for the literal text.`);
  }
}

/** When `startAt` names a file, only that file is searched. */
async function singleFile(files: WorkspaceFiles, query: TextSearchQuery): Promise<string | undefined> {
  if (query.startAt === '') return undefined;
  const stat = await files.stat(`${query.folderPath}/${query.startAt}`);
  return stat?.type === 'file' ? query.startAt : undefined;
}

async function searchFile(files: WorkspaceFiles, query: TextSearchQuery, path: string, regex: RegExp): Promise<TextMatch[]> {
  let bytes: Uint8Array;
  try {
    bytes = await files.readFile(`${query.folderPath}/${path}`);
  } catch (error) {
    if (WorkspaceFsError.is(error)) return [];
    throw error;
  }
  if (bytes.length > query.maxFileBytes || looksBinary(bytes)) return [];
  const decoded = decodeUtf8(bytes);
  if (!decoded) return [];
  const matches: TextMatch[] = [];
  const lines = decoded.text.split(/\r\n|\n|\r/);
  for (let index = 0; index < lines.length && matches.length < query.maxPerFile; index++) {
    const found = regex.exec(lines[index]!);
    if (found) matches.push({ path, line: index + 1, column: found.index, text: lines[index]! });
  }
  return matches;
}
