/**
 * Entry point of every code-interpreter worker thread (bundled as dist/interpreterWorker.cjs).
 * `workerData` says which runtime to start; each is imported only when asked for.
 */
import { parentPort, workerData, type MessagePort } from 'node:worker_threads';
import type { FatalMessage, WorkerInit } from './protocol.ts';

const starters: { [K in WorkerInit['kind']]: (init: Extract<WorkerInit, { kind: K }>, port: MessagePort) => Promise<void> } = {
  pyodide: async (init, port) => (await import('./pyodideWorkerMain.ts')).startPyodideWorker(init, port),
  quickjs: async (init, port) => (await import('./quickJsWorkerMain.ts')).startQuickJsWorker(init, port),
};

function start(init: WorkerInit, port: MessagePort): Promise<void> {
  const starter = starters[init.kind] as (init: WorkerInit, port: MessagePort) => Promise<void>;
  return starter(init, port);
}

const port = parentPort;
if (port) {
  start(workerData as WorkerInit, port).catch((error: unknown) => {
    const message: FatalMessage = { type: 'fatal', message: error instanceof Error ? (error.stack ?? error.message) : String(error) };
    port.postMessage(message);
  });
}
