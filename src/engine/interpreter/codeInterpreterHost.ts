/**
 * One code-interpreter session per thread, as v2 had: created on the thread's first call, kept
 * (with its variables and /mnt/data) while the thread keeps using it, closed after an idle
 * period. Python runs on Pyodide unless the local runner was opted into; JavaScript on QuickJS.
 */
import type { CodeInterpreterHost, CodeSandbox, SandboxLanguage, SandboxRunRequest, SandboxRunResult } from '../ports/codeInterpreter.ts';
import type { InterpreterPaths } from './interpreterPaths.ts';
import { resolveLimits, type SandboxLimits } from './limits.ts';
import { LocalPythonRuntime, type LocalPythonOptions } from './local/localPythonRuntime.ts';
import { LocalPythonSandbox } from './local/localPythonSandbox.ts';
import { PyodideRuntime, type PyodideRuntimeOptions } from './pyodideRuntime.ts';
import { QuickJsRuntime } from './quickJsRuntime.ts';
import { WorkerSandbox } from './workerSandbox.ts';

export interface CodeInterpreterHostOptions {
  /** `pyodide` (default): wasm sandbox, works everywhere. `local`: python3 under bubblewrap (Linux, opt-in). */
  python?: 'pyodide' | 'local';
  limits?: Partial<SandboxLimits>;
  /** A session unused this long is closed (default 30 minutes). */
  idleMs?: number;
  paths?: Partial<InterpreterPaths>;
  pyodide?: Omit<PyodideRuntimeOptions, 'paths' | 'memoryMb'>;
  local?: Omit<LocalPythonOptions, 'paths'>;
  /** QuickJS heap limit (default 256 MB). */
  javascriptMemoryMb?: number;
}

const DEFAULT_IDLE_MS = 30 * 60 * 1000;

type SandboxFactory = () => CodeSandbox;

/** The sandboxes one thread uses, created on first use per language. */
class ThreadSession implements CodeSandbox {
  readonly #factories: Record<SandboxLanguage, SandboxFactory>;
  readonly #onActivity: (busy: boolean) => void;
  readonly #closed: () => boolean;
  readonly #sandboxes = new Map<SandboxLanguage, CodeSandbox>();

  constructor(factories: Record<SandboxLanguage, SandboxFactory>, onActivity: (busy: boolean) => void, closed: () => boolean) {
    this.#factories = factories;
    this.#onActivity = onActivity;
    this.#closed = closed;
  }

  async run(request: SandboxRunRequest, signal: AbortSignal): Promise<SandboxRunResult> {
    if (this.#closed()) throw new Error('The code interpreter has been shut down.');
    let sandbox = this.#sandboxes.get(request.language);
    if (!sandbox) {
      const factory = this.#factories[request.language];
      if (!factory) return { logs: '', images: [], files: [], error: { kind: 'unavailable', message: `No sandbox runs ${String(request.language)} code.` } };
      sandbox = factory();
      this.#sandboxes.set(request.language, sandbox);
    }
    this.#onActivity(true);
    try {
      return await sandbox.run(request, signal);
    } finally {
      this.#onActivity(false);
    }
  }

  async dispose(): Promise<void> {
    const sandboxes = [...this.#sandboxes.values()];
    this.#sandboxes.clear();
    await Promise.all(sandboxes.map((sandbox) => sandbox.dispose()));
  }
}

interface Entry {
  session: ThreadSession;
  busy: number;
  idleTimer: NodeJS.Timeout | undefined;
}

export class SandboxedCodeInterpreterHost implements CodeInterpreterHost {
  readonly #limits: SandboxLimits;
  readonly #idleMs: number;
  readonly #factories: Record<SandboxLanguage, SandboxFactory>;
  /** Kept after an idle close (the session object stays usable and starts afresh). */
  readonly #entries = new Map<string, Entry>();
  #disposed = false;

  constructor(options: CodeInterpreterHostOptions = {}) {
    this.#limits = resolveLimits(options.limits);
    this.#idleMs = options.idleMs ?? DEFAULT_IDLE_MS;
    const limits = this.#limits;
    const paths = options.paths ? { paths: options.paths } : {};
    let python: SandboxFactory;
    if (options.python === 'local') {
      const runtime = new LocalPythonRuntime({ ...options.local, ...paths });
      python = () => new LocalPythonSandbox(runtime, limits);
    } else {
      const runtime = new PyodideRuntime({ ...options.pyodide, ...paths, memoryMb: limits.memoryMb });
      python = () => new WorkerSandbox(runtime, limits);
    }
    const javascriptRuntime = new QuickJsRuntime({ memoryMb: options.javascriptMemoryMb ?? 256, ...paths });
    this.#factories = { python, javascript: () => new WorkerSandbox(javascriptRuntime, limits) };
  }

  sessionFor(threadId: string): CodeSandbox {
    const existing = this.#entries.get(threadId);
    if (existing) return existing.session;
    const session = new ThreadSession(this.#factories, (busy) => this.#activity(entry, busy), () => this.#disposed);
    const entry: Entry = { session, busy: 0, idleTimer: undefined };
    this.#entries.set(threadId, entry);
    return entry.session;
  }

  async dispose(): Promise<void> {
    this.#disposed = true;
    const entries = [...this.#entries.values()];
    this.#entries.clear();
    for (const entry of entries) clearTimeout(entry.idleTimer);
    await Promise.all(entries.map((entry) => entry.session.dispose()));
  }

  #activity(entry: Entry, busy: boolean): void {
    entry.busy += busy ? 1 : -1;
    clearTimeout(entry.idleTimer);
    entry.idleTimer = undefined;
    if (entry.busy > 0) return;
    entry.idleTimer = setTimeout(() => {
      entry.idleTimer = undefined;
      if (entry.busy === 0) void entry.session.dispose();
    }, this.#idleMs);
    entry.idleTimer.unref();
  }
}
