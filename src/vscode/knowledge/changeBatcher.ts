/**
 * File-watcher events, gathered into batches: a save fires several events, a rename two, a branch
 * switch thousands. Events are held until the workspace is quiet for `debounceMs` (but never longer
 * than `maxWaitMs`), the last event for a path wins, and batches run one at a time, so events that
 * arrive while a batch is being indexed wait for the next one. A batch that is too big to be worth
 * doing path by path, or that touched an ignore file or the checked-out branch, asks for a full
 * sync instead (cheap: unchanged files are recognised by size, mtime and content hash).
 * No `vscode` import.
 */
import { isIgnoreRulesPath, isVersionControlPath } from './indexFilter.ts';

export type ChangeKind = 'created' | 'changed' | 'deleted';

export interface ChangeBatch {
  /** Workspace-relative paths (forward slashes) and what last happened to each. */
  changes: Map<string, ChangeKind>;
  /** Set when the whole folder should be synced instead; says why. */
  fullSync?: string;
}

export interface ChangeBatcherOptions {
  /** Quiet time before a batch starts (default 400 ms). */
  debounceMs?: number;
  /** Longest an event waits, however busy the workspace (default 3 s). */
  maxWaitMs?: number;
  /** Above this many paths a batch becomes a full sync (default 300). */
  maxPaths?: number;
  run(batch: ChangeBatch): Promise<void>;
  onError?(error: unknown): void;
}

const DEFAULTS = { debounceMs: 400, maxWaitMs: 3_000, maxPaths: 300 };

/** The ref files git rewrites on checkout, pull and rebase. */
function isBranchSwitch(relativePath: string): boolean {
  return relativePath === '.git/HEAD' || relativePath === '.git/ORIG_HEAD' || relativePath === '.git/FETCH_HEAD';
}

export class ChangeBatcher {
  readonly #options: Required<Omit<ChangeBatcherOptions, 'onError'>> & Pick<ChangeBatcherOptions, 'onError'>;
  #pending = new Map<string, ChangeKind>();
  #fullSync: string | undefined;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #firstEventAt = 0;
  #running: Promise<void> | undefined;
  #disposed = false;

  constructor(options: ChangeBatcherOptions) {
    this.#options = { ...DEFAULTS, ...options };
  }

  /** Paths waiting for the next batch. */
  get pendingCount(): number {
    return this.#pending.size;
  }

  get isIdle(): boolean {
    return this.#pending.size === 0 && this.#fullSync === undefined && this.#running === undefined && this.#timer === undefined;
  }

  push(relativePath: string, kind: ChangeKind): void {
    if (this.#disposed || relativePath === '') return;
    if (isBranchSwitch(relativePath)) {
      this.#fullSync ??= 'the checked-out branch changed';
    } else if (isVersionControlPath(relativePath)) {
      return;
    } else if (isIgnoreRulesPath(relativePath)) {
      this.#fullSync ??= `${relativePath} changed`;
    } else {
      const previous = this.#pending.get(relativePath);
      // created then deleted before we looked: nothing to do but make sure it is gone.
      this.#pending.set(relativePath, previous === 'created' && kind === 'changed' ? 'created' : kind);
    }
    if (this.#pending.size > this.#options.maxPaths) this.#fullSync ??= `${this.#pending.size} files changed at once`;
    this.#schedule();
  }

  /** Asks for a full sync at the next batch (settings changed, the user asked to re-index). */
  requestFullSync(reason: string): void {
    if (this.#disposed) return;
    this.#fullSync ??= reason;
    this.#schedule(0);
  }

  /** Runs what is pending now and resolves when every batch so far is done (tests, shutdown). */
  async flush(): Promise<void> {
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = undefined;
    while (this.#running || this.#pending.size > 0 || this.#fullSync !== undefined) {
      if (this.#running) await this.#running;
      else this.#start();
    }
  }

  dispose(): void {
    this.#disposed = true;
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#pending.clear();
    this.#fullSync = undefined;
  }

  #schedule(delay = this.#options.debounceMs): void {
    const now = Date.now();
    if (this.#timer === undefined) this.#firstEventAt = now;
    else clearTimeout(this.#timer);
    const wait = Math.max(0, Math.min(delay, this.#firstEventAt + this.#options.maxWaitMs - now));
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      if (!this.#running) this.#start();
    }, wait);
  }

  #start(): void {
    if (this.#disposed || (this.#pending.size === 0 && this.#fullSync === undefined)) return;
    const batch: ChangeBatch = { changes: this.#pending, ...(this.#fullSync !== undefined ? { fullSync: this.#fullSync } : {}) };
    this.#pending = new Map();
    this.#fullSync = undefined;
    this.#running = this.#options.run(batch)
      .catch((error: unknown) => this.#options.onError?.(error))
      .finally(() => {
        this.#running = undefined;
        // Events that came in meanwhile were held; their quiet time may already be over.
        if (!this.#disposed && this.#timer === undefined && (this.#pending.size > 0 || this.#fullSync !== undefined)) this.#schedule();
      });
  }
}
