/**
 * The opt-in local Python runner: the user's own python3 (with whatever pandas or matplotlib it
 * has) inside bubblewrap. This file decides whether it can run here at all and, when it cannot,
 * says why in words a user can act on. There is deliberately no fallback that runs code without
 * bubblewrap: on such a machine the runner reports `unavailable`.
 */
import { spawn } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { mkdir, mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { interpreterPaths } from '../interpreterPaths.ts';
import type { InterpreterPaths } from '../interpreterPaths.ts';
import type { SandboxLimits } from '../limits.ts';
import { bubblewrapArgs, SANDBOX_HELPERS_DIR } from './bubblewrapArgs.ts';
import { RunnerProcess } from './runnerProcess.ts';
import { removeFolder } from './workFolder.ts';

export interface LocalPythonOptions {
  /** Python inside the sandbox; must live under /usr or in `extraReadOnlyPaths`. */
  pythonPath?: string;
  /** bubblewrap; looked up on PATH when absent. */
  bwrapPath?: string;
  paths?: Partial<InterpreterPaths>;
  /** Where session work folders are created (default: the OS temp folder). */
  workRoot?: string;
  extraReadOnlyPaths?: string[];
  /** Size of the sandbox's private /tmp. */
  tmpMb?: number;
  /** Total CPU seconds one session may use before it is ended (guards runaway background threads). */
  sessionCpuSeconds?: number;
}

export type LocalAvailability = { available: true; pythonVersion: string } | { available: false; reason: string };

export interface SessionFolders {
  workDir: string;
  outboxDir: string;
  root: string;
}

const PROBE_TIMEOUT_MS = 20_000;

const NO_BUBBLEWRAP =
  'The local Python runner needs bubblewrap (bwrap), which was not found. Without it, code the model writes would run ' +
  'as you: it could read your SSH keys, tokens and source code, change or delete any file you can, and reach the ' +
  'network. Threadwork does not run code that way. Install bubblewrap (Debian/Ubuntu: sudo apt install bubblewrap; ' +
  'Fedora: sudo dnf install bubblewrap), or use the built-in Pyodide sandbox (the default).';

const NOT_LINUX =
  'The local Python runner is only offered on Linux, where bubblewrap can isolate it. Here the code would run with ' +
  'full access to your files and network, so use the built-in Pyodide sandbox (the default) instead.';

function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

function findOnPath(name: string): string | undefined {
  return (process.env.PATH ?? '/usr/bin:/bin')
    .split(delimiter)
    .map((dir) => join(dir, name))
    .find(isExecutable);
}

export class LocalPythonRuntime {
  readonly #options: LocalPythonOptions;
  readonly #helpersDir: string;
  #availability: Promise<LocalAvailability> | undefined;

  constructor(options: LocalPythonOptions = {}) {
    this.#options = options;
    this.#helpersDir = options.paths?.pythonHelpersDir ?? interpreterPaths(options.paths).pythonHelpersDir;
  }

  get pythonPath(): string {
    return this.#options.pythonPath ?? '/usr/bin/python3';
  }

  /** Checked once per runtime: platform, bubblewrap, and a real sandboxed start of python. */
  check(): Promise<LocalAvailability> {
    this.#availability ??= this.#probe();
    return this.#availability;
  }

  async createFolders(): Promise<SessionFolders> {
    const root = await mkdtemp(join(this.#options.workRoot ?? tmpdir(), 'threadwork-ci-'));
    const workDir = join(root, 'data');
    const outboxDir = join(root, 'outbox');
    await mkdir(workDir);
    await mkdir(outboxDir);
    return { root, workDir, outboxDir };
  }

  startRunner(folders: SessionFolders, limits: SandboxLimits): RunnerProcess {
    const config = {
      memoryBytes: limits.memoryMb * 1024 * 1024,
      fileBytes: limits.maxFileBytes,
      cpuSeconds: this.#options.sessionCpuSeconds ?? 3600,
    };
    return new RunnerProcess(this.#bwrapPath()!, this.#args(folders, ['-I', '-u', `${SANDBOX_HELPERS_DIR}/tw_local_runner.py`], { TW_RUNNER_CONFIG: JSON.stringify(config) }));
  }

  #bwrapPath(): string | undefined {
    const configured = this.#options.bwrapPath;
    return configured === undefined ? findOnPath('bwrap') : isExecutable(configured) ? configured : undefined;
  }

  #args(folders: SessionFolders, command: string[], env: Record<string, string>): string[] {
    return bubblewrapArgs(
      {
        workDir: folders.workDir,
        outboxDir: folders.outboxDir,
        helpersDir: this.#helpersDir,
        pythonPath: this.pythonPath,
        tmpBytes: (this.#options.tmpMb ?? 256) * 1024 * 1024,
        extraReadOnlyPaths: this.#options.extraReadOnlyPaths ?? [],
        env: {
          MPLBACKEND: 'module://tw_mpl_backend',
          MPLCONFIGDIR: '/tmp/.matplotlib',
          XDG_CACHE_HOME: '/tmp/.cache',
          PYTHONDONTWRITEBYTECODE: '1',
          // One BLAS thread keeps numpy inside the address-space limit and the CPU share fair.
          OPENBLAS_NUM_THREADS: '1',
          OMP_NUM_THREADS: '1',
          ...env,
        },
      },
      command,
    );
  }

  async #probe(): Promise<LocalAvailability> {
    if (process.platform !== 'linux') return { available: false, reason: NOT_LINUX };
    const bwrap = this.#bwrapPath();
    if (!bwrap) return { available: false, reason: NO_BUBBLEWRAP };
    const folders = await this.createFolders();
    try {
      const args = this.#args(folders, ['-I', '-c', 'import sys; print(sys.version.split()[0])'], {});
      const { code, stdout, stderr } = await runOnce(bwrap, args, PROBE_TIMEOUT_MS);
      if (code === 0 && stdout.trim()) return { available: true, pythonVersion: stdout.trim() };
      const detail = stderr.trim().split('\n').slice(-3).join(' ') || `exit code ${code}`;
      if (/execvp|No such file/.test(detail)) {
        return { available: false, reason: `The local Python runner could not start ${this.pythonPath} inside the sandbox (${detail}). Point the Python path setting at a Python 3 under /usr, or add its folder to the extra read-only paths.` };
      }
      return {
        available: false,
        reason:
          `bubblewrap is installed but could not create a sandbox here (${detail}). On Ubuntu 23.10 and later, unprivileged ` +
          'user namespaces are restricted by AppArmor and need a profile for bwrap. Until that works, use the built-in Pyodide sandbox (the default).',
      };
    } finally {
      await removeFolder(folders.root);
    }
  }
}

function runOnce(command: string, args: string[], timeoutMs: number): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'], detached: true, env: { PATH: '/usr/bin:/bin' } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    const timer = setTimeout(() => {
      if (child.pid !== undefined) process.kill(-child.pid, 'SIGKILL');
    }, timeoutMs);
    child.on('error', (error) => {
      clearTimeout(timer);
      resolve({ code: null, stdout, stderr: `${stderr}${error.message}` });
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}
