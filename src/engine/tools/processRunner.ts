/**
 * Runs a shell command line in its own process group so that a timeout, a cancelled run or the
 * end of the command stops everything it started (test runners fork workers; `cmd &` leaves
 * children behind). Output is captured, never streamed to a terminal, so nothing depends on shell
 * integration being available.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { HeadTailBuffer } from './outputBuffer.ts';

export interface ShellRunOptions {
  command: string;
  cwd: string;
  timeoutMs: number;
  signal?: AbortSignal;
  headBytes: number;
  tailBytes: number;
  /** Added to the inherited environment. */
  env?: Record<string, string>;
}

export interface ShellRunOutcome {
  exitCode: number | null;
  /** The signal that ended the shell, if any. */
  exitSignal: string | null;
  timedOut: boolean;
  cancelled: boolean;
  durationMs: number;
  /** stdout and stderr interleaved as they arrived, head and tail kept. */
  output: string;
  omittedBytes: number;
}

/** After SIGTERM, how long the group gets before SIGKILL. */
const KILL_GRACE_MS = 2000;
/** After the shell exits, how long stragglers may keep the pipes open before they are stopped. */
const DRAIN_MS = 150;

const IS_WINDOWS = process.platform === 'win32';
const POSIX_SHELL = existsSync('/bin/bash') ? '/bin/bash' : '/bin/sh';

export function runShellCommand(options: ShellRunOptions): Promise<ShellRunOutcome> {
  const started = performance.now();
  const buffer = new HeadTailBuffer(options.headBytes, options.tailBytes);
  return new Promise((resolve, reject) => {
    if (options.signal?.aborted) {
      resolve({ exitCode: null, exitSignal: null, timedOut: false, cancelled: true, durationMs: 0, output: '', omittedBytes: 0 });
      return;
    }
    const child = IS_WINDOWS
      ? spawn(process.env.ComSpec ?? 'cmd.exe', ['/d', '/s', '/c', `"${options.command}"`], { cwd: options.cwd, windowsVerbatimArguments: true, stdio: ['ignore', 'pipe', 'pipe'], env: environment(options.env), windowsHide: true })
      : spawn(POSIX_SHELL, ['-c', options.command], { cwd: options.cwd, detached: true, stdio: ['ignore', 'pipe', 'pipe'], env: environment(options.env) });

    let timedOut = false;
    let cancelled = false;
    let exitCode: number | null = null;
    let exitSignal: string | null = null;
    let settled = false;
    const timers: NodeJS.Timeout[] = [];

    const killGroup = (signal: NodeJS.Signals) => {
      if (child.pid === undefined) return;
      try {
        if (IS_WINDOWS) spawn('taskkill', ['/pid', String(child.pid), '/T', '/F'], { stdio: 'ignore', windowsHide: true });
        else process.kill(-child.pid, signal);
      } catch {
        // The group is already gone.
      }
    };
    const stop = () => {
      killGroup('SIGTERM');
      timers.push(setTimeout(() => killGroup('SIGKILL'), KILL_GRACE_MS));
    };
    const finish = () => {
      if (settled) return;
      settled = true;
      for (const timer of timers) clearTimeout(timer);
      options.signal?.removeEventListener('abort', onAbort);
      child.stdout?.destroy();
      child.stderr?.destroy();
      resolve({ exitCode, exitSignal, timedOut, cancelled, durationMs: performance.now() - started, output: buffer.toString(), omittedBytes: buffer.omittedBytes });
    };
    const onAbort = () => {
      cancelled = true;
      stop();
    };

    child.stdout?.on('data', (chunk: Buffer) => buffer.append(chunk));
    child.stderr?.on('data', (chunk: Buffer) => buffer.append(chunk));
    child.on('error', (error) => {
      if (settled) return;
      settled = true;
      for (const timer of timers) clearTimeout(timer);
      options.signal?.removeEventListener('abort', onAbort);
      reject(error);
    });
    child.on('exit', (code, signal) => {
      exitCode = code;
      exitSignal = signal;
      // Background children may still hold the pipes; give them a moment, then stop the group.
      timers.push(setTimeout(() => {
        killGroup('SIGKILL');
        finish();
      }, DRAIN_MS));
    });
    child.on('close', () => {
      killGroup('SIGKILL');
      finish();
    });
    options.signal?.addEventListener('abort', onAbort, { once: true });
    timers.push(setTimeout(() => {
      timedOut = true;
      stop();
    }, options.timeoutMs));
  });
}

function environment(extra: Record<string, string> | undefined): NodeJS.ProcessEnv {
  // Plain output for the model: no colour codes, no pagers, no prompts.
  const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0', TERM: 'dumb', GIT_PAGER: 'cat', PAGER: 'cat', GIT_TERMINAL_PROMPT: '0', ...extra };
  // The host's own runtime context must not leak in: with it, `node --test` in the user's project skips its files.
  delete env.NODE_TEST_CONTEXT;
  delete env.ELECTRON_RUN_AS_NODE;
  return env;
}
