/**
 * The sandbox contract behind the v2 `code_interpreter` tool. The run loop asks the host for the
 * thread's session and hands it code plus the thread's files; everything the code prints, every
 * image it draws and every file it writes under /mnt/data comes back in one result.
 *
 * Guarantees every implementation keeps (tests in test/unit/interpreter/ hold them to it):
 * - the code cannot read or write the user's files, open network connections or start host
 *   processes; only /mnt/data is shared, and only by copy;
 * - run time, memory and output are bounded, and hitting a bound is a result (`error.kind`),
 *   never a hung promise or a blocked extension host;
 * - one session per thread keeps its state (variables where the runner can, /mnt/data always)
 *   between calls, and calls on one session run one at a time in the order they were made.
 */

export interface SandboxFile {
  /** Path relative to /mnt/data, `/`-separated, never absolute and never containing `..`. */
  name: string;
  bytes: Uint8Array;
}

export type SandboxLanguage = 'python' | 'javascript';

export interface SandboxRunRequest {
  language: SandboxLanguage;
  code: string;
  /**
   * Files placed under /mnt/data before the code runs (same name: replaced). A session
   * remembers what it already holds, so passing the thread's whole file list every call is cheap.
   */
  files: SandboxFile[];
}

export interface SandboxImage {
  name: string;
  bytes: Uint8Array;
  mimeType: string;
}

/**
 * Why a call did not finish normally. `logs` still holds what was printed before it stopped.
 * - timeout: ran past the time limit and was interrupted (or, if it ignored that, restarted);
 * - memory: ran out of the sandbox's memory;
 * - output_limit: printed more than the sandbox accepts and was stopped;
 * - runtime: the code raised an error (the traceback is at the end of `logs`);
 * - unavailable: the runner cannot run here (missing interpreter, no sandbox tool); nothing ran.
 */
export type SandboxErrorKind = 'timeout' | 'memory' | 'output_limit' | 'runtime' | 'unavailable';

export interface SandboxRunResult {
  /** stdout and stderr interleaved, truncated in the middle when long. */
  logs: string;
  /** Images the code drew or saved under /mnt/data (PNG, JPEG, GIF, WebP, SVG). */
  images: SandboxImage[];
  /** Other new or changed files under /mnt/data. */
  files: SandboxFile[];
  error?: { kind: SandboxErrorKind; message: string };
}

export interface CodeSandbox {
  /**
   * Runs one cell. Aborting `signal` interrupts the code and rejects with `signal.reason`;
   * every other outcome, limits included, resolves.
   */
  run(request: SandboxRunRequest, signal: AbortSignal): Promise<SandboxRunResult>;
  dispose(): Promise<void>;
}

export interface CodeInterpreterHost {
  /** The thread's session: created on first use, kept while used, disposed after an idle period. */
  sessionFor(threadId: string): CodeSandbox;
  dispose(): Promise<void>;
}
