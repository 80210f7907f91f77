/**
 * A thread's session on the local Python runner: one sandboxed python3 process kept across
 * calls (variables persist, as in a notebook) and a work folder that is /mnt/data inside.
 *
 * A cell past its time limit, or printing past the output cap, is interrupted first
 * (KeyboardInterrupt, the session survives); if it does not stop within the grace period the
 * whole sandbox is killed and the next call starts a fresh process on the same folder.
 */
import type { CodeSandbox, SandboxErrorKind, SandboxFile, SandboxImage, SandboxRunRequest, SandboxRunResult } from '../../ports/codeInterpreter.ts';
import { formatBytes, type SandboxLimits } from '../limits.ts';
import { joinLogs, OutputCollector } from '../outputCollector.ts';
import { assertSafeNames, imageMimeType } from '../outputFiles.ts';
import type { LocalPythonRuntime, SessionFolders } from './localPythonRuntime.ts';
import type { CellOutcome, RunnerProcess } from './runnerProcess.ts';
import { listFolder, readListedFile, removeFile, removeFolder, writeInputFiles, type ListedFile } from './workFolder.ts';

type StopReason = 'timeout' | 'output' | 'abort';

const RESTARTED = 'the Python process was restarted, so variables from earlier cells are gone (files in /mnt/data were kept)';

export class LocalPythonSandbox implements CodeSandbox {
  readonly #runtime: LocalPythonRuntime;
  readonly #limits: SandboxLimits;
  #folders: SessionFolders | undefined;
  #process: RunnerProcess | undefined;
  #queue: Promise<unknown> = Promise.resolve();
  #disposed = false;
  #ranCells = false;

  constructor(runtime: LocalPythonRuntime, limits: SandboxLimits) {
    this.#runtime = runtime;
    this.#limits = limits;
  }

  run(request: SandboxRunRequest, signal: AbortSignal): Promise<SandboxRunResult> {
    const next = this.#queue.then(() => this.#runNow(request, signal));
    this.#queue = next.catch(() => undefined);
    return next;
  }

  async dispose(): Promise<void> {
    this.#disposed = true;
    // Killing first ends a running cell at once (its call resolves as a crash) instead of waiting.
    this.#process?.kill();
    this.#process = undefined;
    await this.#queue;
    if (this.#folders) await removeFolder(this.#folders.root);
    this.#folders = undefined;
  }

  async #runNow(request: SandboxRunRequest, signal: AbortSignal): Promise<SandboxRunResult> {
    if (this.#disposed) throw new Error('This code interpreter session was closed.');
    signal.throwIfAborted();
    assertSafeNames(request.files);
    const availability = await this.#runtime.check();
    if (!availability.available) return failure('unavailable', availability.reason);

    this.#folders ??= await this.#runtime.createFolders();
    const folders = this.#folders;
    const notes = await writeInputFiles(folders.workDir, request.files);
    const before = await listFolder(folders.workDir);
    if (this.#disposed) throw new Error('This code interpreter session was closed.');
    if (!this.#process || this.#process.exited) {
      if (this.#process && this.#ranCells) notes.push(`[sandbox] The previous Python process had stopped; ${RESTARTED}.`);
      this.#process = this.#runtime.startRunner(folders, this.#limits);
    }
    const runner = this.#process;
    const collector = new OutputCollector(this.#limits.maxLogBytes, this.#limits.maxOutputBytes);
    const { outcome, stopped } = await this.#runCell(runner, request.code, collector, signal);
    this.#ranCells = true;
    if (outcome.kind === 'exited') this.#process = undefined;
    if (signal.aborted) throw signal.reason;

    const outputs = await this.#collectOutputs(folders, before);
    const logs = joinLogs(notes, collector.text(), outputs.notes);
    const error = this.#errorFor(outcome, stopped);
    return { logs, images: outputs.images, files: outputs.files, ...(error ? { error } : {}) };
  }

  #runCell(runner: RunnerProcess, code: string, collector: OutputCollector, signal: AbortSignal): Promise<{ outcome: CellOutcome; stopped: StopReason | undefined }> {
    let stopped: StopReason | undefined;
    let killTimer: NodeJS.Timeout | undefined;
    const stop = (reason: StopReason): void => {
      if (stopped) return;
      stopped = reason;
      runner.interrupt();
      killTimer = setTimeout(() => runner.kill(), this.#limits.killGraceMs);
    };
    const timer = setTimeout(() => stop('timeout'), this.#limits.timeoutMs);
    const onAbort = (): void => stop('abort');
    signal.addEventListener('abort', onAbort, { once: true });
    return runner
      .runCell(code, collector, () => {
        if (collector.overLimit) stop('output');
      })
      .then((outcome) => ({ outcome, stopped }))
      .finally(() => {
        clearTimeout(timer);
        clearTimeout(killTimer);
        signal.removeEventListener('abort', onAbort);
      });
  }

  #errorFor(outcome: CellOutcome, stopped: StopReason | undefined): SandboxRunResult['error'] {
    const seconds = Math.round(this.#limits.timeoutMs / 1000);
    const outputCap = formatBytes(this.#limits.maxOutputBytes);
    if (outcome.kind === 'exited') {
      if (stopped === 'timeout') return { kind: 'timeout', message: `The cell ran past the ${seconds} s time limit and did not stop when interrupted; ${RESTARTED}.` };
      if (stopped === 'output') return { kind: 'output_limit', message: `The cell printed more than ${outputCap} and was stopped; ${RESTARTED}.` };
      if (outcome.signal === 'SIGXCPU') return { kind: 'timeout', message: `The session used up its CPU time; ${RESTARTED}.` };
      const how = outcome.signal ? `was killed by ${outcome.signal}` : `exited with code ${outcome.code}`;
      const detail = outcome.stderrTail ? ` (${outcome.stderrTail.split('\n').slice(-1)[0]})` : '';
      return { kind: 'runtime', message: `The Python process ${how}${detail}; ${RESTARTED}.` };
    }
    if (stopped === 'output') return { kind: 'output_limit', message: `The cell printed more than ${outputCap} and was stopped.` };
    const byStatus: Record<string, () => SandboxRunResult['error']> = {
      '': () => undefined,
      interrupted: () =>
        stopped === 'timeout'
          ? { kind: 'timeout', message: `The cell ran past the ${seconds} s time limit and was interrupted; variables from earlier cells are kept.` }
          : { kind: 'runtime', message: outcome.message || 'KeyboardInterrupt' },
      memory: () => ({ kind: 'memory', message: `MemoryError: the cell needed more than the sandbox's ${this.#limits.memoryMb} MB of memory.` }),
      runtime: () => ({ kind: 'runtime', message: outcome.message }),
    };
    return (byStatus[outcome.status] ?? byStatus.runtime!)();
  }

  async #collectOutputs(folders: SessionFolders, before: Map<string, ListedFile>): Promise<{ images: SandboxImage[]; files: SandboxFile[]; notes: string[] }> {
    const { maxFileBytes, maxFilesPerRun } = this.#limits;
    const images: SandboxImage[] = [];
    const files: SandboxFile[] = [];
    const notes: string[] = [];
    const take = async (root: string, name: string, listed: ListedFile, shown: boolean): Promise<void> => {
      if (images.length + files.length >= maxFilesPerRun) {
        notes.push(`[sandbox] ${name} was not returned: more than ${maxFilesPerRun} files changed in one call`);
        return;
      }
      if (listed.size > maxFileBytes) {
        notes.push(`[sandbox] ${name} was not returned: ${formatBytes(listed.size)} is over the ${formatBytes(maxFileBytes)} limit`);
        return;
      }
      const bytes = await readListedFile(root, name, listed);
      if (!bytes) return;
      const mimeType = imageMimeType(name, bytes);
      if (mimeType) images.push({ name, bytes, mimeType });
      else if (!shown) files.push({ name, bytes });
    };
    const shown = await listFolder(folders.outboxDir);
    for (const [name, listed] of [...shown].sort(([a], [b]) => a.localeCompare(b))) {
      await take(folders.outboxDir, name, listed, true);
      await removeFile(`${folders.outboxDir}/${name}`);
    }
    const after = await listFolder(folders.workDir);
    for (const [name, listed] of [...after].sort(([a], [b]) => a.localeCompare(b))) {
      if (before.get(name)?.stamp !== listed.stamp) await take(folders.workDir, name, listed, false);
    }
    return { images, files, notes };
  }
}

function failure(kind: SandboxErrorKind, message: string): SandboxRunResult {
  return { logs: '', images: [], files: [], error: { kind, message } };
}
