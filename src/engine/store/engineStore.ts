/** The engine's tables over one database: the only place that knows which object lives where. */
import type { ProviderItem } from '../ports/modelBackend.ts';
import type { Assistant } from '../types/assistant.ts';
import type { FileObject } from '../types/file.ts';
import type { Message } from '../types/message.ts';
import type { Run } from '../types/run.ts';
import type { RunStep } from '../types/runStep.ts';
import type { Thread } from '../types/thread.ts';
import type { VectorStore, VectorStoreFile, VectorStoreFileBatch } from '../types/vectorStore.ts';
import { migrate, type MigrationReport } from './migrations.ts';
import { ObjectTable } from './objectTable.ts';
import { openDatabase, transaction, type Database, type Statement } from './sqlite.ts';
import { WalCheckpointer, type CheckpointReport } from './walCheckpointer.ts';
import { WriteBatcher } from './writeBatcher.ts';

/** run_scratch keys of provider items: the prefix, then the step id. */
const PROVIDER_ITEMS_KEY = 'provider_items:';

export class EngineStore {
  readonly db: Database;
  readonly migration: MigrationReport;
  readonly assistants: ObjectTable<Assistant>;
  readonly threads: ObjectTable<Thread>;
  readonly messages: ObjectTable<Message>;
  readonly runs: ObjectTable<Run>;
  readonly steps: ObjectTable<RunStep>;
  readonly files: ObjectTable<FileObject>;
  readonly vectorStores: ObjectTable<VectorStore>;
  readonly vectorStoreFiles: ObjectTable<VectorStoreFile>;
  readonly fileBatches: ObjectTable<VectorStoreFileBatch>;
  private activeRunStatement: Statement | undefined;
  /** Writes queued in one turn of the event loop share a commit (no coalescing wait: requests are answered after it). */
  private readonly sharedWrites: WriteBatcher;
  /** Null for in-memory databases, which have no log to checkpoint. */
  private readonly checkpointer: WalCheckpointer | null;
  private closing: Promise<void> | null = null;

  constructor(db: Database, filePath: string | null) {
    this.db = db;
    this.migration = migrate(db, filePath);
    this.sharedWrites = new WriteBatcher(db, { coalesceMs: 0, savepoints: true });
    this.checkpointer = filePath && filePath !== ':memory:' ? new WalCheckpointer(db, filePath) : null;
    this.assistants = new ObjectTable(db, 'assistants');
    this.threads = new ObjectTable(db, 'threads');
    this.messages = new ObjectTable(db, 'messages', { columns: { thread_id: (m) => m.thread_id, run_id: (m) => m.run_id } });
    this.runs = new ObjectTable(db, 'runs', { columns: { thread_id: (r) => r.thread_id, status: (r) => r.status } });
    this.steps = new ObjectTable(db, 'run_steps', { columns: { run_id: (s) => s.run_id, thread_id: (s) => s.thread_id } });
    this.files = new ObjectTable(db, 'files', { columns: { purpose: (f) => f.purpose } });
    this.vectorStores = new ObjectTable(db, 'vector_stores');
    this.vectorStoreFiles = new ObjectTable(db, 'vector_store_files', {
      columns: { vector_store_id: (f) => f.vector_store_id, file_id: (f) => f.id, status: (f) => f.status },
    });
    this.fileBatches = new ObjectTable(db, 'file_batches', { columns: { vector_store_id: (b) => b.vector_store_id } });
  }

  static open(path: string): EngineStore {
    return new EngineStore(openDatabase(path), path);
  }

  transaction<T>(work: () => T): T {
    const result = transaction(this.db, work);
    this.checkpointer?.noteWrite();
    return result;
  }

  /** Like `transaction`, but shared with the other writes queued this turn; settles after the commit (writeBatcher.ts). */
  sharedTransaction<T>(work: () => T): Promise<T> {
    const committed = this.sharedWrites.write(work);
    this.checkpointer?.noteWrite();
    return committed;
  }

  /** Calls `listener` after each background WAL checkpoint (walCheckpointer.ts); tests watch it. */
  onCheckpoint(listener: (report: CheckpointReport) => void): () => void {
    return this.checkpointer?.onCheckpoint(listener) ?? (() => undefined);
  }

  /** Which process owns an active run (`pid:instance`); null once it is terminal. */
  setRunOwner(runId: string, owner: string | null): void {
    this.db.prepare('UPDATE runs SET owner = ? WHERE id = ?').run(owner, runId);
  }

  runOwner(runId: string): string | null {
    const row = this.db.prepare('SELECT owner FROM runs WHERE id = ?').get(runId) as { owner: string | null } | undefined;
    return row?.owner ?? null;
  }

  activeRunIds(): Array<{ id: string; owner: string | null }> {
    return this.db.prepare("SELECT id, owner FROM runs WHERE status IN ('queued','in_progress','requires_action','cancelling')").all() as Array<{ id: string; owner: string | null }>;
  }

  /** The active run holding a thread's lock, if any. */
  activeRunOf(threadId: string): Run | undefined {
    // Asked on every message create: the statement is prepared once.
    this.activeRunStatement ??= this.db.prepare(
      "SELECT data FROM runs WHERE thread_id = ? AND status IN ('queued','in_progress','requires_action','cancelling') ORDER BY seq DESC LIMIT 1",
    );
    const row = this.activeRunStatement.get(threadId) as { data: string } | undefined;
    return row ? (JSON.parse(row.data) as Run) : undefined;
  }

  putToolCallContext(callId: string, runId: string, context: { arguments: string; output: string; resultContents?: unknown }): void {
    this.db
      .prepare('INSERT OR REPLACE INTO tool_call_context (call_id, run_id, model_arguments, model_output, result_contents) VALUES (?, ?, ?, ?, ?)')
      .run(callId, runId, context.arguments, context.output, context.resultContents === undefined ? null : JSON.stringify(context.resultContents));
  }

  toolCallContexts(runId: string): Map<string, { arguments: string; output: string; resultContents: unknown }> {
    const rows = this.db.prepare('SELECT call_id, model_arguments, model_output, result_contents FROM tool_call_context WHERE run_id = ?').all(runId) as Array<{
      call_id: string;
      model_arguments: string;
      model_output: string;
      result_contents: string | null;
    }>;
    return new Map(rows.map((row) => [row.call_id, { arguments: row.model_arguments, output: row.model_output, resultContents: row.result_contents === null ? undefined : JSON.parse(row.result_contents) }]));
  }

  putRunScratch(runId: string, key: string, value: unknown): void {
    this.db.prepare('INSERT OR REPLACE INTO run_scratch (run_id, key, value) VALUES (?, ?, ?)').run(runId, key, JSON.stringify(value));
  }

  takeRunScratch<T>(runId: string, key: string): T | undefined {
    const row = this.db.prepare('SELECT value FROM run_scratch WHERE run_id = ? AND key = ?').get(runId, key) as { value: string } | undefined;
    if (!row) return undefined;
    this.db.prepare('DELETE FROM run_scratch WHERE run_id = ? AND key = ?').run(runId, key);
    return JSON.parse(row.value) as T;
  }

  /** Keeps what the provider wants back with a tool_calls step (ProviderItem in modelBackend.ts). */
  putStepProviderItems(runId: string, stepId: string, items: readonly ProviderItem[]): void {
    this.putRunScratch(runId, `${PROVIDER_ITEMS_KEY}${stepId}`, items);
  }

  /** A run's provider items by step id. */
  stepProviderItems(runId: string): Map<string, ProviderItem[]> {
    const rows = this.db
      .prepare('SELECT key, value FROM run_scratch WHERE run_id = ? AND substr(key, 1, ?) = ?')
      .all(runId, PROVIDER_ITEMS_KEY.length, PROVIDER_ITEMS_KEY) as Array<{ key: string; value: string }>;
    return new Map(rows.map((row) => [row.key.slice(PROVIDER_ITEMS_KEY.length), JSON.parse(row.value) as ProviderItem[]]));
  }

  /** Everything hanging off a thread's runs, for thread deletion. */
  deleteThreadRunData(threadId: string): void {
    this.db.prepare('DELETE FROM tool_call_context WHERE run_id IN (SELECT id FROM runs WHERE thread_id = ?)').run(threadId);
    this.db.prepare('DELETE FROM run_scratch WHERE run_id IN (SELECT id FROM runs WHERE thread_id = ?)').run(threadId);
  }

  putFileContent(id: string, bytes: Uint8Array): void {
    this.db.prepare('INSERT OR REPLACE INTO file_contents (id, bytes) VALUES (?, ?)').run(id, bytes);
  }

  fileContent(id: string): Uint8Array | undefined {
    const row = this.db.prepare('SELECT bytes FROM file_contents WHERE id = ?').get(id) as { bytes: Uint8Array } | undefined;
    return row?.bytes;
  }

  deleteFileContent(id: string): void {
    this.db.prepare('DELETE FROM file_contents WHERE id = ?').run(id);
  }

  /** Commits what is queued, then closes both connections; the checkpoint thread's first, so this one closes last and removes the log files. */
  close(): Promise<void> {
    this.closing ??= this.closeOnce();
    return this.closing;
  }

  private async closeOnce(): Promise<void> {
    if (!this.db.isOpen) return;
    this.sharedWrites.flushNow();
    await this.checkpointer?.stop();
    this.db.close();
  }
}
