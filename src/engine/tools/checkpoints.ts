/**
 * Per-run file checkpoints. Before a run first writes a file, the file's bytes (or the fact that
 * it did not exist) are stored content-addressed by sha256; `restore(runId)` puts back exactly the
 * files that run touched — rewriting changed and deleted ones, deleting ones it created — and
 * nothing else. Only touched files are stored, so the cost follows the edit, not the repository.
 * Limits: processes started by run_command/run_tests are not tracked; directories a run created
 * are left in place (empty) after restore.
 */
import { createHash } from 'node:crypto';
import type { WorkspaceFiles } from '../ports/workspace.ts';
import { WorkspaceFsError } from '../ports/workspace.ts';
import type { Database } from '../store/sqlite.ts';
import { transaction } from '../store/sqlite.ts';
import type { PathResolver } from './paths.ts';
import { ToolError } from './tool.ts';

export function ensureCheckpointSchema(db: Database): void {
  db.exec(`
    CREATE TABLE IF NOT EXISTS tool_checkpoint_blobs (
      hash TEXT PRIMARY KEY,
      content BLOB NOT NULL,
      size INTEGER NOT NULL
    );
    CREATE TABLE IF NOT EXISTS tool_checkpoint_files (
      run_id TEXT NOT NULL,
      path TEXT NOT NULL,
      -- NULL: the file did not exist before the run wrote it.
      blob_hash TEXT REFERENCES tool_checkpoint_blobs(hash),
      captured_at INTEGER NOT NULL,
      seq INTEGER NOT NULL,
      PRIMARY KEY (run_id, path)
    );
    CREATE INDEX IF NOT EXISTS tool_checkpoint_files_by_blob ON tool_checkpoint_files(blob_hash);
    CREATE INDEX IF NOT EXISTS tool_checkpoint_files_by_time ON tool_checkpoint_files(captured_at);
  `);
}

export interface CheckpointLimits {
  /** Stored bytes across all runs before the oldest runs are dropped (the newest run is always kept). */
  maxTotalBytes: number;
  /** A file larger than this is not captured, so the write is refused. */
  maxFileBytes: number;
}

export interface CheckpointEntry {
  path: string;
  /** false: the run created the file. */
  existed: boolean;
  hash: string | null;
}

export interface RestoreReport {
  /** Written back with their content from before the run. */
  restored: string[];
  /** Created by the run, now removed. */
  deleted: string[];
  /** Already as they were. */
  unchanged: string[];
  failed: Array<{ path: string; reason: string }>;
}

const DEFAULT_LIMITS: CheckpointLimits = { maxTotalBytes: 256 * 1024 * 1024, maxFileBytes: 16 * 1024 * 1024 };

export class CheckpointStore {
  readonly #db: Database;
  readonly #files: WorkspaceFiles;
  readonly #paths: PathResolver;
  readonly #limits: CheckpointLimits;
  readonly #now: () => number;

  constructor(db: Database, files: WorkspaceFiles, paths: PathResolver, limits: Partial<CheckpointLimits> = {}, now: () => number = Date.now) {
    ensureCheckpointSchema(db);
    this.#db = db;
    this.#files = files;
    this.#paths = paths;
    this.#limits = { ...DEFAULT_LIMITS, ...limits };
    this.#now = now;
  }

  /** Records the file as it is now, unless this run already recorded it. Call before every write. */
  async capture(runId: string, absolutePath: string): Promise<void> {
    if (this.#db.prepare('SELECT 1 FROM tool_checkpoint_files WHERE run_id = ? AND path = ?').get(runId, absolutePath)) return;
    const stat = await this.#files.stat(absolutePath);
    if (stat && stat.size > this.#limits.maxFileBytes) {
      throw new ToolError(`The file is too large (${stat.size} bytes) to keep a checkpoint of, so it is not changed. Files above ${this.#limits.maxFileBytes} bytes cannot be edited by tools.`);
    }
    const content = stat?.type === 'file' ? await readOrUndefined(this.#files, absolutePath) : undefined;
    const hash = content === undefined ? null : createHash('sha256').update(content).digest('hex');
    transaction(this.#db, () => {
      if (content !== undefined) this.#db.prepare('INSERT OR IGNORE INTO tool_checkpoint_blobs (hash, content, size) VALUES (?, ?, ?)').run(hash, content, content.length);
      const seq = (this.#db.prepare('SELECT COALESCE(MAX(seq), 0) + 1 AS next FROM tool_checkpoint_files WHERE run_id = ?').get(runId) as { next: number }).next;
      // First capture wins: a parallel call that read the file after another call's write must not replace the original.
      this.#db.prepare('INSERT OR IGNORE INTO tool_checkpoint_files (run_id, path, blob_hash, captured_at, seq) VALUES (?, ?, ?, ?, ?)').run(runId, absolutePath, hash, this.#now(), seq);
    });
    this.prune(runId);
  }

  touched(runId: string): CheckpointEntry[] {
    const rows = this.#db.prepare('SELECT path, blob_hash FROM tool_checkpoint_files WHERE run_id = ? ORDER BY seq').all(runId) as Array<{ path: string; blob_hash: string | null }>;
    return rows.map((row) => ({ path: row.path, existed: row.blob_hash !== null, hash: row.blob_hash }));
  }

  /** Puts every file the run touched back as it was before the run's first write to it. */
  async restore(runId: string): Promise<RestoreReport> {
    const report: RestoreReport = { restored: [], deleted: [], unchanged: [], failed: [] };
    for (const entry of this.touched(runId).reverse()) {
      try {
        // Resolved again: a symlink planted since the capture must not redirect the restore outside the workspace.
        const target = await this.#paths.resolve(entry.path);
        const current = target.exists ? await readOrUndefined(this.#files, target.real) : undefined;
        if (entry.hash === null) {
          if (current === undefined) report.unchanged.push(target.display);
          else {
            await this.#files.deleteFile(target.real);
            report.deleted.push(target.display);
          }
          continue;
        }
        const blob = this.#db.prepare('SELECT content FROM tool_checkpoint_blobs WHERE hash = ?').get(entry.hash) as { content: Uint8Array } | undefined;
        if (!blob) throw new Error('the stored content is missing');
        if (current !== undefined && Buffer.from(current).equals(Buffer.from(blob.content))) {
          report.unchanged.push(target.display);
          continue;
        }
        await this.#files.writeFile(target.real, blob.content);
        report.restored.push(target.display);
      } catch (error) {
        report.failed.push({ path: entry.path, reason: error instanceof Error ? error.message : String(error) });
      }
    }
    return report;
  }

  /** Forgets a run's checkpoints (its files stay as they are). */
  discard(runId: string): void {
    transaction(this.#db, () => {
      this.#db.prepare('DELETE FROM tool_checkpoint_files WHERE run_id = ?').run(runId);
      this.#deleteOrphanBlobs();
    });
  }

  /** Drops the oldest runs until the stored bytes fit the limit; `keepRunId` is never dropped. */
  prune(keepRunId?: string): void {
    for (;;) {
      const total = (this.#db.prepare('SELECT COALESCE(SUM(size), 0) AS total FROM tool_checkpoint_blobs').get() as { total: number }).total;
      if (total <= this.#limits.maxTotalBytes) return;
      const oldest = this.#db.prepare('SELECT run_id FROM tool_checkpoint_files WHERE run_id != ? GROUP BY run_id ORDER BY MIN(captured_at), run_id LIMIT 1').get(keepRunId ?? '') as { run_id: string } | undefined;
      if (!oldest) return;
      this.discard(oldest.run_id);
    }
  }

  totalBytes(): number {
    return (this.#db.prepare('SELECT COALESCE(SUM(size), 0) AS total FROM tool_checkpoint_blobs').get() as { total: number }).total;
  }

  #deleteOrphanBlobs(): void {
    this.#db.exec('DELETE FROM tool_checkpoint_blobs WHERE hash NOT IN (SELECT blob_hash FROM tool_checkpoint_files WHERE blob_hash IS NOT NULL)');
  }
}

async function readOrUndefined(files: WorkspaceFiles, path: string): Promise<Uint8Array | undefined> {
  try {
    return await files.readFile(path);
  } catch (error) {
    if (WorkspaceFsError.is(error, 'FileNotFound')) return undefined;
    throw error;
  }
}
