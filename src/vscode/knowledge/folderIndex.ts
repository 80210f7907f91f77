/**
 * One workspace folder's index: a collection of the knowledge base's RetrievalIndex, named after the
 * folder's vector store, whose keys are folder-relative paths. A full sync is the engine's
 * `syncFolder` (walk, ignore files, hash-skipping, removals); a watcher batch is applied path by
 * path with the same rules (IndexFilter), so both end in the same state. A deleted folder takes its
 * files along; a folder that appears (moved in, checked out) is walked. No `vscode` import.
 */
import type { WorkspaceFiles } from '../../engine/ports/workspace.ts';
import { syncFile, syncFolder, type FolderSyncProgress, type FolderSyncReport } from '../../engine/retrieval/folderSync.ts';
import type { RetrievalIndex } from '../../engine/retrieval/retrievalIndex.ts';
import { walkFolder } from '../../engine/tools/fileWalker.ts';
import { compileGlobs } from '../../engine/tools/glob.ts';
import type { ChangeBatch } from './changeBatcher.ts';
import { IndexFilter, type IndexFilterOptions } from './indexFilter.ts';

export interface BatchReport {
  indexed: number;
  unchanged: number;
  removed: number;
  /** Left out by the rules (ignored, excluded, binary, too large). */
  skipped: number;
  failed: Array<{ path: string; message: string }>;
}

interface BatchWork {
  report: BatchReport;
  signal: AbortSignal | undefined;
  /** The collection's paths, read on the first removal of the batch. */
  indexed: string[] | undefined;
}

/** What to index; how many files a sync keeps in flight is the engine's choice (folderSync.ts). */
export type FolderIndexOptions = IndexFilterOptions;

export class FolderIndex {
  readonly collection: string;
  readonly folderPath: string;
  readonly #index: RetrievalIndex;
  readonly #files: WorkspaceFiles;
  #options: FolderIndexOptions;
  #filter: IndexFilter;

  constructor(index: RetrievalIndex, files: WorkspaceFiles, folderPath: string, collection: string, options: FolderIndexOptions) {
    this.#index = index;
    this.#files = files;
    this.folderPath = folderPath;
    this.collection = collection;
    this.#options = options;
    this.#filter = new IndexFilter(files, folderPath, options);
  }

  /** New rules (settings changed): the next sync applies them. */
  setOptions(options: FolderIndexOptions): void {
    this.#options = options;
    this.#filter = new IndexFilter(this.#files, this.folderPath, options);
  }

  get filter(): IndexFilter {
    return this.#filter;
  }

  /** Files the index holds for this folder now, by path. */
  indexedPaths(): string[] {
    return [...this.#index.files(this.collection).keys()];
  }

  /**
   * Syncs the whole folder. A stopped sync settles before it rejects: `syncFolder` gives up at the
   * first abort while its other file jobs are still in flight, and one of those reaching the index
   * after it was closed would start the index's workers again. So the index calls are counted,
   * refused once the signal fires, and waited for.
   */
  async syncAll(options: { signal?: AbortSignal; onProgress?: (progress: FolderSyncProgress) => void } = {}): Promise<FolderSyncReport> {
    // Ignore files may have changed since the filter read them.
    this.#filter = new IndexFilter(this.#files, this.folderPath, this.#options);
    const guarded = options.signal ? guardIndex(this.#index, options.signal) : undefined;
    try {
      return await syncFolder(guarded?.index ?? this.#index, this.collection, this.#files, this.folderPath, {
        exclude: this.#options.exclude,
        maxFileBytes: this.#options.maxFileBytes,
        respectIgnoreFiles: this.#options.respectIgnoreFiles ?? true,
        ...(options.signal ? { signal: options.signal } : {}),
        ...(options.onProgress ? { onProgress: options.onProgress } : {}),
      });
    } catch (error) {
      await guarded?.settled();
      throw error;
    }
  }

  /** Applies one watcher batch (not a full sync: the caller runs `syncAll` for those). */
  async applyBatch(batch: ChangeBatch, signal?: AbortSignal): Promise<BatchReport> {
    const report: BatchReport = { indexed: 0, unchanged: 0, removed: 0, skipped: 0, failed: [] };
    const work: BatchWork = { report, signal, indexed: undefined };
    for (const [path, kind] of batch.changes) {
      signal?.throwIfAborted();
      try {
        if (kind === 'deleted') await this.#removeTree(path, work);
        else await this.#update(path, work);
      } catch (error) {
        if (signal?.aborted) throw error;
        report.failed.push({ path, message: error instanceof Error ? error.message : String(error) });
      }
    }
    return report;
  }

  async #update(path: string, work: BatchWork): Promise<void> {
    const { report, signal } = work;
    const verdict = await this.#filter.verdict(path);
    if (verdict === 'missing') return this.#removeTree(path, work);
    if (verdict === 'directory') return this.#addTree(path, work);
    if (verdict !== 'index') {
      report.skipped++;
      // A file that just became excluded (renamed to .min.js, grown past the cap) leaves the index.
      if (await this.#index.remove(this.collection, path)) report.removed++;
      return;
    }
    const outcome = await syncFile(this.#index, this.collection, this.#files, this.folderPath, path, this.#syncOptions(signal));
    if (outcome === 'indexed') report.indexed++;
    else if (outcome === 'unchanged') report.unchanged++;
    else if (outcome === 'removed') report.removed++;
    else report.skipped++;
  }

  /** A folder that appeared: every file in it the rules let through. */
  async #addTree(directory: string, work: BatchWork): Promise<void> {
    const { signal } = work;
    const walk = await walkFolder(this.#files, {
      folderPath: this.folderPath,
      startAt: directory,
      exclude: compileGlobs(this.#options.exclude),
      respectIgnoreFiles: this.#options.respectIgnoreFiles ?? true,
      ...(signal ? { signal } : {}),
    });
    for (const entry of walk.entries) {
      if (entry.type !== 'file') continue;
      signal?.throwIfAborted();
      await this.#update(entry.path, work);
    }
  }

  /** The path itself and, when it was a folder, everything that was indexed under it. */
  async #removeTree(path: string, work: BatchWork): Promise<void> {
    const prefix = `${path}/`;
    // Read once per batch: a deleted tree reports every file in it, one event each.
    work.indexed ??= this.indexedPaths();
    const keys = [path, ...work.indexed.filter((key) => key.startsWith(prefix))];
    for (const key of keys) if (await this.#index.remove(this.collection, key)) work.report.removed++;
  }

  #syncOptions(signal: AbortSignal | undefined) {
    return { exclude: this.#options.exclude, maxFileBytes: this.#options.maxFileBytes, ...(signal ? { signal } : {}) };
  }
}

/**
 * The index as `syncFolder` sees it during one sync: writes after `signal` fired are refused, and
 * `settled()` resolves once the writes it let through have finished.
 */
function guardIndex(index: RetrievalIndex, signal: AbortSignal): { index: RetrievalIndex; settled(): Promise<void> } {
  const inFlight = new Set<Promise<unknown>>();
  const track = <T>(call: () => Promise<T>): Promise<T> => {
    signal.throwIfAborted();
    const running = call();
    const entry = running.catch(() => undefined);
    inFlight.add(entry);
    void entry.finally(() => inFlight.delete(entry));
    return running;
  };
  const guarded = new Proxy(index, {
    get(target, property) {
      if (property === 'upsert') return (...args: Parameters<RetrievalIndex['upsert']>) => track(() => target.upsert(...args));
      if (property === 'remove') return (...args: Parameters<RetrievalIndex['remove']>) => track(() => target.remove(...args));
      const value: unknown = Reflect.get(target, property, target);
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
    },
  });
  return {
    index: guarded,
    settled: async () => {
      while (inFlight.size > 0) await Promise.all([...inFlight]);
    },
  };
}
