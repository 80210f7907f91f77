/**
 * Starting one interpreter worker thread and waiting until it says it is ready. The worker gets
 * an empty environment (no tokens from the host's), a bounded JS heap, and its own stdout/stderr
 * (kept only as a short tail for diagnosing a failed start).
 */
import { Worker } from 'node:worker_threads';
import type { ReadyMessage, WorkerInit, WorkerMessage } from './worker/protocol.ts';

export interface StartedWorker {
  worker: Worker;
  ready: ReadyMessage;
}

const DIAGNOSTIC_TAIL = 4000;

export class WorkerStartError extends Error {
  override readonly name = 'WorkerStartError';
}

export function startWorker(
  workerPath: string | URL,
  init: WorkerInit,
  options: { heapMb: number; startTimeoutMs: number },
): Promise<StartedWorker> {
  const worker = new Worker(workerPath, {
    workerData: init,
    env: {},
    execArgv: [],
    stdout: true,
    stderr: true,
    resourceLimits: { maxOldGenerationSizeMb: options.heapMb, maxYoungGenerationSizeMb: 32 },
  });
  let tail = '';
  const keepTail = (chunk: Buffer): void => {
    tail = (tail + chunk.toString('utf8')).slice(-DIAGNOSTIC_TAIL);
  };
  worker.stdout.on('data', keepTail);
  worker.stderr.on('data', keepTail);

  return new Promise<StartedWorker>((resolve, reject) => {
    const fail = (message: string): void => {
      cleanup();
      void worker.terminate();
      reject(new WorkerStartError(tail.trim() ? `${message}\n${tail.trim()}` : message));
    };
    const onMessage = (message: WorkerMessage): void => {
      if (message.type === 'ready') {
        cleanup();
        resolve({ worker, ready: message });
      } else if (message.type === 'fatal') {
        fail(`the interpreter failed to start: ${message.message}`);
      }
    };
    const onError = (error: Error): void => fail(`the interpreter failed to start: ${error.message}`);
    const onExit = (code: number): void => fail(`the interpreter exited while starting (code ${code})`);
    const timer = setTimeout(() => fail(`the interpreter did not start within ${Math.round(options.startTimeoutMs / 1000)} s`), options.startTimeoutMs);
    const cleanup = (): void => {
      clearTimeout(timer);
      worker.off('message', onMessage);
      worker.off('error', onError);
      worker.off('exit', onExit);
    };
    worker.on('message', onMessage);
    worker.on('error', onError);
    worker.on('exit', onExit);
  });
}
