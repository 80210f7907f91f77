/**
 * `threadwork index DIR [--db PATH] [--exclude GLOB]… [--max-tokens N] [--overlap N]`: indexes a
 * folder for keyword search (the knowledge base, headless). Progress goes to stderr, the figures
 * to stdout. The index lives outside the folder, in the user's cache, keyed by the folder's real
 * path, unless --db says otherwise; running it again only re-reads what changed.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, realpathSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Database } from '../engine/store/sqlite.ts';
import { openDatabase } from '../engine/store/sqlite.ts';
import type { ChunkLimits } from '../engine/retrieval/chunkingOptions.ts';
import { DEFAULT_CHUNK_LIMITS, validateChunkLimits } from '../engine/retrieval/chunkingOptions.ts';
import type { FolderSyncReport } from '../engine/retrieval/folderSync.ts';
import { syncFolder } from '../engine/retrieval/folderSync.ts';
import { RetrievalIndex } from '../engine/retrieval/retrievalIndex.ts';
import { NodeWorkspace } from '../engine/tools/nodeWorkspace.ts';

export interface CommandIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  /** Whether stderr is a terminal, where progress can redraw one line; a log gets whole lines instead. */
  stderrIsTerminal?: boolean;
}

export const processIo: CommandIo = {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  stderrIsTerminal: process.stderr.isTTY === true,
};

/** How often progress is reported: a terminal line redraws often, a log line is kept for every few seconds. */
const PROGRESS_INTERVAL_MS = { terminal: 250, log: 5_000 };

export class UsageError extends Error {}

/** `$XDG_CACHE_HOME/threadwork/index/<hash of the folder's real path>.sqlite` (~/.cache by default). */
export function defaultIndexPath(folder: string): string {
  const cacheHome = process.env.XDG_CACHE_HOME && path.isAbsolute(process.env.XDG_CACHE_HOME) ? process.env.XDG_CACHE_HOME : path.join(os.homedir(), '.cache');
  const key = createHash('sha256').update(folder).digest('hex').slice(0, 16);
  return path.join(cacheHome, 'threadwork', 'index', `${path.basename(folder) || 'root'}-${key}.sqlite`);
}

/** The collection a folder is indexed under: one database may hold several folders. */
export function folderCollection(folder: string): string {
  return `folder:${folder}`;
}

export function resolveFolder(dir: string | undefined): string {
  if (!dir) throw new UsageError('Which folder? Give a directory.');
  let real: string;
  try {
    real = realpathSync(path.resolve(dir));
  } catch {
    throw new UsageError(`No such directory: ${dir}`);
  }
  if (!statSync(real).isDirectory()) throw new UsageError(`Not a directory: ${dir}`);
  return real;
}

/** Opens the index database for a folder (creating its directory), with the retrieval tables. */
export function openIndex(folder: string, dbPath: string | undefined): { db: Database; index: RetrievalIndex; dbPath: string } {
  const file = path.resolve(dbPath ?? defaultIndexPath(folder));
  mkdirSync(path.dirname(file), { recursive: true });
  const db = openDatabase(file);
  return { db, index: new RetrievalIndex(db), dbPath: file };
}

interface IndexArgs {
  dir: string | undefined;
  db: string | undefined;
  exclude: string[];
  limits: ChunkLimits;
  quiet: boolean;
}

/** Reads `--name value` and `--name=value` flags; positional arguments are returned in order. */
export function parseFlags(args: readonly string[], valued: readonly string[], booleans: readonly string[]): { positional: string[]; values: Map<string, string[]>; flags: Set<string> } {
  const positional: string[] = [];
  const values = new Map<string, string[]>();
  const flags = new Set<string>();
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (!arg.startsWith('--') || arg === '--') {
      positional.push(arg);
      continue;
    }
    const [name, inline] = arg.slice(2).split(/=(.*)/s, 2) as [string, string | undefined];
    if (booleans.includes(name)) {
      flags.add(name);
    } else if (valued.includes(name)) {
      const value = inline ?? args[++i];
      if (value === undefined) throw new UsageError(`--${name} needs a value.`);
      values.set(name, [...(values.get(name) ?? []), value]);
    } else {
      throw new UsageError(`Unknown option --${name}.`);
    }
  }
  return { positional, values, flags };
}

function integerFlag(values: Map<string, string[]>, name: string, fallback: number): number {
  const raw = values.get(name)?.at(-1);
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value)) throw new UsageError(`--${name} must be an integer, got '${raw}'.`);
  return value;
}

function parseIndexArgs(args: readonly string[]): IndexArgs {
  const { positional, values, flags } = parseFlags(args, ['db', 'exclude', 'max-tokens', 'overlap'], ['quiet']);
  if (positional.length > 1) throw new UsageError(`Expected one directory, got ${positional.length}.`);
  let limits: ChunkLimits;
  try {
    limits = validateChunkLimits({ maxTokens: integerFlag(values, 'max-tokens', DEFAULT_CHUNK_LIMITS.maxTokens), overlapTokens: integerFlag(values, 'overlap', DEFAULT_CHUNK_LIMITS.overlapTokens) });
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
  return { dir: positional[0], db: values.get('db')?.at(-1), exclude: values.get('exclude') ?? [], limits, quiet: flags.has('quiet') };
}

const INDEX_USAGE = 'Usage: threadwork index DIR [--db PATH] [--exclude GLOB]... [--max-tokens N] [--overlap N] [--quiet]\n';

/**
 * Syncs `folder` into `index`, reporting progress on stderr: one redrawn line on a terminal, a
 * line every few seconds (and the last) when stderr goes to a file or a pipe.
 */
export async function indexFolder(index: RetrievalIndex, folder: string, options: { exclude?: string[]; limits?: ChunkLimits; io: CommandIo; quiet?: boolean }): Promise<FolderSyncReport> {
  const terminal = options.io.stderrIsTerminal === true;
  const interval = terminal ? PROGRESS_INTERVAL_MS.terminal : PROGRESS_INTERVAL_MS.log;
  let lastPrint = -Infinity;
  const report = await syncFolder(index, folderCollection(folder), new NodeWorkspace([folder]), folder, {
    exclude: options.exclude ?? [],
    ...(options.limits ? { limits: options.limits } : {}),
    onProgress: ({ done, total }) => {
      const now = performance.now();
      if (options.quiet || (now - lastPrint < interval && done < total)) return;
      lastPrint = now;
      options.io.stderr(terminal ? `\rindexing: ${done}/${total} files` : `indexing: ${done}/${total} files\n`);
    },
  });
  if (terminal && !options.quiet && report.scanned > 0) options.io.stderr('\n');
  return report;
}

export function describeReport(report: FolderSyncReport, dbPath: string): string {
  const seconds = report.durationMs / 1000;
  const lines = [
    `files: ${report.scanned} scanned, ${report.indexed} indexed, ${report.unchanged} unchanged, ${report.unsupported} not text, ${report.skipped} skipped (binary or too large), ${report.removed} removed, ${report.failed.length} failed`,
    `chunks: ${report.chunks}`,
    `read: ${(report.bytesRead / 1e6).toFixed(1)} MB in ${seconds.toFixed(2)} s (${(report.indexed / Math.max(seconds, 1e-3)).toFixed(0)} files/s, ${(report.bytesRead / 1e6 / Math.max(seconds, 1e-3)).toFixed(2)} MB/s)`,
    `index: ${dbPath}`,
  ];
  for (const failure of report.failed.slice(0, 10)) lines.push(`failed: ${failure.path}: ${failure.message}`);
  return `${lines.join('\n')}\n`;
}

export async function runIndexCommand(args: string[], io: CommandIo = processIo): Promise<number> {
  let parsed: IndexArgs;
  let folder: string;
  try {
    parsed = parseIndexArgs(args);
    folder = resolveFolder(parsed.dir);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    io.stderr(`threadwork index: ${error.message}\n${INDEX_USAGE}`);
    return 2;
  }
  const { db, index, dbPath } = openIndex(folder, parsed.db);
  try {
    const report = await indexFolder(index, folder, { exclude: parsed.exclude, limits: parsed.limits, io, quiet: parsed.quiet });
    io.stdout(describeReport(report, dbPath));
    return report.failed.length > 0 ? 1 : 0;
  } catch (error) {
    io.stderr(`threadwork index: ${error instanceof Error ? error.message : String(error)}\n`);
    return 1;
  } finally {
    await index.close();
    db.close();
  }
}
