/**
 * Keeps a collection in step with a workspace folder. The walk is the workspace tools' own
 * (src/engine/tools/fileWalker.ts: .gitignore/.ignore files, nested ones too, .git/info/exclude),
 * plus exclude globs and a size cap. A file whose size and mtime match what was indexed is not
 * even read; one that was touched but not changed is read and hashed, not re-chunked. Files that
 * vanished are removed after the new ones are written, so a rename reuses the stored embeddings
 * of its unchanged chunks. The same call handles a first index, one saved file, and a branch
 * switch that changed thousands.
 */
import type { WorkspaceFiles } from '../ports/workspace.ts';
import { WorkspaceFsError } from '../ports/workspace.ts';
import { walkFolder } from '../tools/fileWalker.ts';
import { compileGlobs } from '../tools/glob.ts';
import type { ChunkLimits } from './chunkingOptions.ts';
import { DEFAULT_CHUNK_LIMITS } from './chunkingOptions.ts';
import { ByteBudget } from './byteBudget.ts';
import type { RetrievalIndex } from './retrievalIndex.ts';
import { hasBinaryExtension } from './textExtraction.ts';

/** Workspace files above this are not indexed (uploads to a vector store have v2's own limit). */
export const DEFAULT_WORKSPACE_MAX_FILE_BYTES = 2 * 1024 * 1024;

/** Never worth indexing: dependencies, lockfiles, minified bundles, source maps, our own cache. */
export const DEFAULT_INDEX_EXCLUDES: readonly string[] = [
  'node_modules', '.threadwork', 'bower_components', '__pycache__', '.venv', '.tox', '.mypy_cache',
  'package-lock.json', 'npm-shrinkwrap.json', 'yarn.lock', 'pnpm-lock.yaml', 'Cargo.lock', 'poetry.lock', 'composer.lock', 'Gemfile.lock',
  '*.min.js', '*.min.css', '*.map',
];

/**
 * Files in flight during a sync. A file stays in flight until its batch commits, and the workers
 * commit in turns, so this must cover what both prepare meanwhile: bench:index on 3,000 files took
 * 12.9–14.1 s at 8, 7.8–8.5 s at 32 and 6.5–8.0 s at 64; 96 to 256 gained nothing more.
 */
export const DEFAULT_SYNC_CONCURRENCY = 64;
/**
 * With embeddings this thread fetches every file's vectors and writes it itself, so what arrives
 * together is handled together: in test/unit/retrieval/eventLoop.test.ts the longest stretch of
 * work on the event loop was 63–94 ms at 64 in flight, 36–48 ms at 32 and 26–45 ms at 16. The
 * embeddings endpoint sets the pace there anyway.
 */
export const EMBEDDING_SYNC_CONCURRENCY = 16;
export const DEFAULT_SYNC_BYTES_IN_FLIGHT = 32 * 1024 * 1024;

export interface FolderSyncOptions {
  /** Extra globs (workspace-relative) to leave out. */
  exclude?: readonly string[];
  maxFileBytes?: number;
  limits?: ChunkLimits;
  /** Files read, prepared or waiting for their commit at once (DEFAULT_SYNC_CONCURRENCY, or EMBEDDING_SYNC_CONCURRENCY with embeddings). */
  concurrency?: number;
  /** Bytes of those files held at once (DEFAULT_SYNC_BYTES_IN_FLIGHT). */
  maxBytesInFlight?: number;
  respectIgnoreFiles?: boolean;
  signal?: AbortSignal;
  onProgress?: (progress: FolderSyncProgress) => void;
}

export interface FolderSyncProgress {
  done: number;
  total: number;
  path: string;
}

export interface FolderSyncReport {
  scanned: number;
  indexed: number;
  unchanged: number;
  unsupported: number;
  /** Left out before reading: binary extension or over the size cap. */
  skipped: number;
  removed: number;
  failed: Array<{ path: string; message: string }>;
  chunks: number;
  bytesRead: number;
  durationMs: number;
}

export async function syncFolder(index: RetrievalIndex, collection: string, files: WorkspaceFiles, folderPath: string, options: FolderSyncOptions = {}): Promise<FolderSyncReport> {
  const started = performance.now();
  const limits = options.limits ?? DEFAULT_CHUNK_LIMITS;
  const maxBytes = options.maxFileBytes ?? DEFAULT_WORKSPACE_MAX_FILE_BYTES;
  const exclude = compileGlobs([...DEFAULT_INDEX_EXCLUDES, ...(options.exclude ?? [])]);
  const walk = await walkFolder(files, {
    folderPath,
    exclude,
    respectIgnoreFiles: options.respectIgnoreFiles ?? true,
    ...(options.signal ? { signal: options.signal } : {}),
  });
  const paths = walk.entries.filter((entry) => entry.type === 'file').map((entry) => entry.path);
  const stored = index.files(collection);
  const report: FolderSyncReport = { scanned: paths.length, indexed: 0, unchanged: 0, unsupported: 0, skipped: 0, removed: 0, failed: [], chunks: 0, bytesRead: 0, durationMs: 0 };
  const present = new Set<string>();
  const budget = new ByteBudget(options.maxBytesInFlight ?? DEFAULT_SYNC_BYTES_IN_FLIGHT);
  let done = 0;
  let next = 0;

  const syncOne = async (path: string): Promise<void> => {
    if (hasBinaryExtension(path)) {
      report.skipped++;
      return;
    }
    const absolute = joinPath(folderPath, path);
    const stat = await files.stat(absolute);
    if (!stat || stat.type !== 'file') return;
    if (stat.size > maxBytes) {
      report.skipped++;
      return;
    }
    present.add(path);
    const known = stored.get(path);
    if (known && known.contentHash !== '' && known.size === stat.size && known.mtimeMs === stat.mtimeMs
      && known.limits.maxTokens === limits.maxTokens && known.limits.overlapTokens === limits.overlapTokens) {
      report.unchanged++;
      if (known.status === 'indexed') report.chunks += known.chunkCount;
      return;
    }
    await budget.reserve(stat.size);
    let result;
    try {
      const bytes = await files.readFile(absolute);
      report.bytesRead += bytes.length;
      result = await index.upsert(collection, path, bytes, { path, limits, mtimeMs: stat.mtimeMs, maxBytes, ...(options.signal ? { signal: options.signal } : {}) });
    } finally {
      budget.release(stat.size);
    }
    if (result.outcome === 'indexed') report.indexed++;
    else if (result.outcome === 'unchanged') report.unchanged++;
    else report.unsupported++;
    if (result.file.status === 'indexed') report.chunks += result.file.chunkCount;
  };

  const runner = async (): Promise<void> => {
    while (next < paths.length) {
      options.signal?.throwIfAborted();
      const path = paths[next++]!;
      try {
        await syncOne(path);
      } catch (error) {
        if (options.signal?.aborted) throw error;
        // A file deleted mid-sync is dropped; one that failed otherwise keeps its last indexed
        // version. Either way the rest of the folder is still indexed.
        if (WorkspaceFsError.is(error, 'FileNotFound')) present.delete(path);
        report.failed.push({ path, message: error instanceof Error ? error.message : String(error) });
      }
      done++;
      options.onProgress?.({ done, total: paths.length, path });
    }
  };
  const concurrency = Math.max(1, options.concurrency ?? (index.hasEmbeddings ? EMBEDDING_SYNC_CONCURRENCY : DEFAULT_SYNC_CONCURRENCY));
  await Promise.all(Array.from({ length: Math.min(concurrency, Math.max(1, paths.length)) }, () => runner()));
  // Every file may have been in flight already when the stop came: the caller still hears it.
  options.signal?.throwIfAborted();

  const removals = [...stored.keys()].filter((key) => !present.has(key)).map((key) => index.remove(collection, key));
  for (const removed of await Promise.all(removals)) if (removed) report.removed++;
  report.durationMs = performance.now() - started;
  return report;
}

export type FileSyncOutcome = 'indexed' | 'unchanged' | 'unsupported' | 'removed' | 'excluded';

/**
 * Brings one file in step (a save, a create, a delete reported by a file watcher). Exclude globs,
 * binary extensions and the size cap apply as in a full sync; ignore files are read only by
 * `syncFolder`, so the watcher is expected to filter ignored paths itself.
 */
export async function syncFile(index: RetrievalIndex, collection: string, files: WorkspaceFiles, folderPath: string, path: string, options: FolderSyncOptions = {}): Promise<FileSyncOutcome> {
  const limits = options.limits ?? DEFAULT_CHUNK_LIMITS;
  const maxBytes = options.maxFileBytes ?? DEFAULT_WORKSPACE_MAX_FILE_BYTES;
  const exclude = compileGlobs([...DEFAULT_INDEX_EXCLUDES, ...(options.exclude ?? [])]);
  const absolute = joinPath(folderPath, path);
  const stat = await files.stat(absolute);
  const indexable = stat?.type === 'file' && stat.size <= maxBytes && !hasBinaryExtension(path) && !excludedPath(exclude, path);
  if (!stat || !indexable) {
    const removed = await index.remove(collection, path);
    return removed || !stat ? 'removed' : 'excluded';
  }
  let bytes: Uint8Array;
  try {
    bytes = await files.readFile(absolute);
  } catch (error) {
    if (!WorkspaceFsError.is(error, 'FileNotFound')) throw error;
    await index.remove(collection, path);
    return 'removed';
  }
  const result = await index.upsert(collection, path, bytes, { path, limits, mtimeMs: stat.mtimeMs, maxBytes, ...(options.signal ? { signal: options.signal } : {}) });
  return result.outcome;
}

/** A path is excluded when it or any of its parent directories matches. */
function excludedPath(exclude: (path: string) => boolean, path: string): boolean {
  const segments = path.split('/');
  for (let depth = 1; depth <= segments.length; depth++) {
    const prefix = segments.slice(0, depth).join('/');
    if (exclude(prefix) || (depth < segments.length && exclude(`${prefix}/`))) return true;
  }
  return false;
}

function joinPath(folderPath: string, relative: string): string {
  const separator = folderPath.includes('\\') && !folderPath.includes('/') ? '\\' : '/';
  return `${folderPath.replace(/[\\/]+$/, '')}${separator}${relative.split('/').join(separator)}`;
}
