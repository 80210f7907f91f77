/**
 * Bounds every runner applies. Defaults follow what the hosted code interpreter allowed closely
 * enough for a model's habits (a minute per cell, a gigabyte of memory) while keeping what
 * reaches the model's context small.
 */
export interface SandboxLimits {
  /** Wall-clock time one call may run. */
  timeoutMs: number;
  /** After an interrupt is ignored this long, the runner is killed and the session restarted. */
  killGraceMs: number;
  /** Memory the code may use (Pyodide's wasm heap; address space for the local runner). */
  memoryMb: number;
  /** Logs returned per call; longer output keeps its head and tail. */
  maxLogBytes: number;
  /** Output at which the code is stopped with `output_limit`. */
  maxOutputBytes: number;
  /** Largest file read back from /mnt/data (larger ones are listed in the logs, not returned). */
  maxFileBytes: number;
  /** Most files (images included) returned from one call. */
  maxFilesPerRun: number;
}

export const DEFAULT_LIMITS: SandboxLimits = {
  timeoutMs: 60_000,
  killGraceMs: 1_500,
  memoryMb: 1024,
  maxLogBytes: 64 * 1024,
  maxOutputBytes: 8 * 1024 * 1024,
  maxFileBytes: 50 * 1024 * 1024,
  maxFilesPerRun: 32,
};

export function resolveLimits(overrides: Partial<SandboxLimits> | undefined): SandboxLimits {
  return { ...DEFAULT_LIMITS, ...overrides };
}

export function formatBytes(bytes: number): string {
  if (bytes >= 1024 * 1024) return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
  if (bytes >= 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${bytes} bytes`;
}
