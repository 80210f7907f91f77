/**
 * A JavaScript session in QuickJS (compiled to wasm), run inside a worker thread so a busy cell
 * never holds the extension host. The VM sees only what is handed to it here: `console`, and
 * `readFile`/`writeFile`/`listFiles` over an in-memory /mnt/data. No Node API is reachable.
 */
import type { MessagePort } from 'node:worker_threads';
import { newQuickJSWASMModuleFromVariant, newVariant, RELEASE_SYNC, type QuickJSContext, type QuickJSHandle } from 'quickjs-emscripten';
import type { SandboxFile, SandboxRunResult } from '../../ports/codeInterpreter.ts';
import { OutputCollector } from '../outputCollector.ts';
import { formatBytes } from '../limits.ts';
import { isSafeRelativeName, splitOutputs } from '../outputFiles.ts';
import { INTERRUPT_REASON, REASON_SLOT, SIGINT, SIGNAL_SLOT, type QuickJsWorkerInit, type ResultMessage, type RunMessage } from './protocol.ts';
import { lockDownRealm } from './realmLockdown.ts';

const encoder = new TextEncoder();
const decoder = new TextDecoder();
const STACK_BYTES = 1024 * 1024;

interface JsSession {
  context: QuickJSContext;
  files: Map<string, Uint8Array>;
  output: { collector: OutputCollector | undefined };
  signal: Int32Array;
  reason: Int32Array;
  memoryMb: number;
}

function describe(context: QuickJSContext, handle: QuickJSHandle): string {
  if (context.typeof(handle) === 'string') return context.getString(handle);
  const value: unknown = context.dump(handle);
  if (value === undefined) return 'undefined';
  if (typeof value === 'string') return value;
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}

function installGlobals(session: JsSession): void {
  const { context, files, output, signal, reason } = session;
  const print = (...args: QuickJSHandle[]): void => {
    const collector = output.collector;
    if (!collector) return;
    collector.write(`${args.map((arg) => describe(context, arg)).join(' ')}\n`);
    if (collector.overLimit) {
      Atomics.compareExchange(reason, 0, INTERRUPT_REASON.none, INTERRUPT_REASON.output);
      Atomics.store(signal, 0, SIGINT);
    }
  };
  const consoleHandle = context.newObject();
  for (const level of ['log', 'info', 'warn', 'error', 'debug']) {
    const fn = context.newFunction(level, print);
    context.setProp(consoleHandle, level, fn);
    fn.dispose();
  }
  context.setProp(context.global, 'console', consoleHandle);
  consoleHandle.dispose();

  const checkedName = (handle: QuickJSHandle | undefined): string => {
    const name = handle ? context.getString(handle).replace(/^\/mnt\/data\//, '') : '';
    if (!isSafeRelativeName(name)) throw new Error(`invalid file name ${JSON.stringify(name)}: use a name under /mnt/data`);
    return name;
  };
  const functions: Record<string, (...args: QuickJSHandle[]) => QuickJSHandle | undefined> = {
    readFile: (nameHandle) => {
      const bytes = files.get(checkedName(nameHandle));
      if (!bytes) throw new Error(`no such file in /mnt/data: ${context.getString(nameHandle!)}`);
      return context.newString(decoder.decode(bytes));
    },
    writeFile: (nameHandle, textHandle) => {
      files.set(checkedName(nameHandle), encoder.encode(textHandle ? context.getString(textHandle) : ''));
      return undefined;
    },
    listFiles: () => {
      const list = context.newArray();
      [...files.keys()].sort().forEach((name, index) => {
        const item = context.newString(name);
        context.setProp(list, index, item);
        item.dispose();
      });
      return list;
    },
  };
  for (const [name, implementation] of Object.entries(functions)) {
    const fn = context.newFunction(name, (...args) => {
      try {
        return implementation(...args);
      } catch (error) {
        return { error: context.newError(error instanceof Error ? error.message : String(error)) };
      }
    });
    context.setProp(context.global, name, fn);
    fn.dispose();
  }
}

function errorFor(session: JsSession, name: string, message: string, maxOutputBytes: number): SandboxRunResult['error'] {
  const reason = Atomics.load(session.reason, 0);
  if (reason === INTERRUPT_REASON.output) return { kind: 'output_limit', message: `The cell printed more than ${formatBytes(maxOutputBytes)} and was stopped.` };
  if (name === 'InternalError' && message === 'interrupted') return { kind: 'timeout', message: 'The cell ran past its time limit and was interrupted.' };
  if (name === 'InternalError' && message === 'out of memory') return { kind: 'memory', message: `The cell needed more than the sandbox's ${session.memoryMb} MB of memory.` };
  return { kind: 'runtime', message: `${name}: ${message}` };
}

function runOne(session: JsSession, message: RunMessage): ResultMessage {
  const { context, files } = session;
  Atomics.store(session.reason, 0, INTERRUPT_REASON.none);
  Atomics.store(session.signal, 0, 0);
  for (const file of message.files) if (isSafeRelativeName(file.name)) files.set(file.name, file.bytes);
  const before = new Map(files);
  const collector = new OutputCollector(message.limits.maxLogBytes, message.limits.maxOutputBytes);
  session.output.collector = collector;
  let error: SandboxRunResult['error'];
  const outcome = context.evalCode(message.code, 'cell.js', { type: 'global' });
  if (outcome.error) {
    const thrown = context.dump(outcome.error) as { name?: string; message?: string; stack?: string } | string;
    outcome.error.dispose();
    const name = typeof thrown === 'object' && thrown?.name ? thrown.name : 'Error';
    const text = typeof thrown === 'object' ? (thrown?.message ?? '') : String(thrown);
    error = errorFor(session, name, text, message.limits.maxOutputBytes);
    if (error?.kind === 'runtime') collector.write(`Uncaught ${error.message}\n${typeof thrown === 'object' && thrown?.stack ? thrown.stack : ''}`);
  } else {
    if (context.typeof(outcome.value) !== 'undefined') collector.write(`${describe(context, outcome.value)}\n`);
    outcome.value.dispose();
    const jobs = context.runtime.executePendingJobs();
    if (jobs.error) {
      error = errorFor(session, 'Error', describe(context, jobs.error), message.limits.maxOutputBytes);
      jobs.error.dispose();
    }
  }
  session.output.collector = undefined;
  const changed: SandboxFile[] = [...files].filter(([name, bytes]) => before.get(name) !== bytes).map(([name, bytes]) => ({ name, bytes }));
  const returned = changed.slice(0, message.limits.maxFilesPerRun);
  const { images, files: others } = splitOutputs(returned);
  const result: SandboxRunResult = { logs: collector.text(), images, files: others, ...(error ? { error } : {}) };
  return { type: 'result', id: message.id, result, saved: returned.map((file) => file.name), removed: [] };
}

export async function startQuickJsWorker(init: QuickJsWorkerInit, port: MessagePort): Promise<void> {
  const variant = init.wasmPath ? newVariant(RELEASE_SYNC, { wasmLocation: init.wasmPath }) : RELEASE_SYNC;
  const quickJs = await newQuickJSWASMModuleFromVariant(variant);
  const runtime = quickJs.newRuntime();
  runtime.setMemoryLimit(init.memoryMb * 1024 * 1024);
  runtime.setMaxStackSize(STACK_BYTES);
  const signal = new Int32Array(init.control, SIGNAL_SLOT * 4, 1);
  const reason = new Int32Array(init.control, REASON_SLOT * 4, 1);
  runtime.setInterruptHandler(() => Atomics.load(signal, 0) === SIGINT);
  const session: JsSession = { context: runtime.newContext(), files: new Map(), output: { collector: undefined }, signal, reason, memoryMb: init.memoryMb };
  installGlobals(session);
  lockDownRealm();
  port.on('message', (message: RunMessage) => {
    port.postMessage(runOne(session, message));
  });
  port.postMessage({ type: 'ready' });
}
