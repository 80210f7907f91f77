/**
 * `threadwork search DIR "QUERY" [--top K] [--json] [--db PATH] [--no-sync] [--no-prior]`: ranked
 * files for a question, each with its score (0..1) and the line range of its best chunk. The
 * folder's index is brought up to date first (only changed files are read), so results never
 * point at stale lines; --no-sync skips that for a read-only look at the last index.
 */
import type { CommandIo } from './indexCommand.ts';
import { folderCollection, indexFolder, openIndex, parseFlags, processIo, resolveFolder, UsageError } from './indexCommand.ts';

const SEARCH_USAGE = 'Usage: threadwork search DIR "QUERY" [--top K] [--json] [--db PATH] [--exclude GLOB]... [--no-sync] [--no-prior]\n';

interface SearchArgs {
  dir: string | undefined;
  query: string;
  top: number;
  json: boolean;
  db: string | undefined;
  exclude: string[];
  sync: boolean;
  prior: boolean;
}

function parseSearchArgs(args: readonly string[]): SearchArgs {
  const { positional, values, flags } = parseFlags(args, ['top', 'db', 'exclude'], ['json', 'no-sync', 'no-prior']);
  if (positional.length < 2) throw new UsageError('Give a directory and a query.');
  const rawTop = values.get('top')?.at(-1) ?? '10';
  const top = Number(rawTop);
  if (!Number.isInteger(top) || top < 1 || top > 1000) throw new UsageError(`--top must be an integer from 1 to 1000, got '${rawTop}'.`);
  const query = positional.slice(1).join(' ').trim();
  if (query === '') throw new UsageError('The query is empty.');
  return { dir: positional[0], query, top, json: flags.has('json'), db: values.get('db')?.at(-1), exclude: values.get('exclude') ?? [], sync: !flags.has('no-sync'), prior: !flags.has('no-prior') };
}

export async function runSearchCommand(args: string[], io: CommandIo = processIo): Promise<number> {
  let parsed: SearchArgs;
  let folder: string;
  try {
    parsed = parseSearchArgs(args);
    folder = resolveFolder(parsed.dir);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    io.stderr(`threadwork search: ${error.message}\n${SEARCH_USAGE}`);
    return 2;
  }
  const { db, index } = openIndex(folder, parsed.db);
  try {
    if (parsed.sync) await indexFolder(index, folder, { exclude: parsed.exclude, io, quiet: parsed.json });
    const started = performance.now();
    const response = await index.search({ collections: [folderCollection(folder)], query: parsed.query, maxFiles: parsed.top, preferSource: parsed.prior });
    const tookMs = performance.now() - started;
    if (parsed.json) {
      io.stdout(`${JSON.stringify({
        query: parsed.query,
        terms: response.plan.terms,
        took_ms: Math.round(tookMs * 10) / 10,
        results: response.files.map((file) => ({ path: file.path, score: Math.round(file.score * 10000) / 10000, start_line: file.startLine, end_line: file.endLine })),
      }, null, 2)}\n`);
    } else if (response.files.length === 0) {
      io.stdout(`No matches for "${parsed.query}".\n`);
    } else {
      for (const file of response.files) io.stdout(`${file.score.toFixed(3)}  ${file.path}:${file.startLine}-${file.endLine}\n`);
    }
    return 0;
  } catch (error) {
    io.stderr(`threadwork search: ${error instanceof Error ? error.message : String(error)}\n`);
    return 1;
  } finally {
    await index.close();
    db.close();
  }
}
