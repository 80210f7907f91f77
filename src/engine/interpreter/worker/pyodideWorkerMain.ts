/**
 * The Pyodide side of a Python session, run inside a worker thread.
 *
 * Start-up order matters: load Pyodide (from a snapshot when the host has one), snapshot a clean
 * runtime for later sessions, load any packages the host asked for, then lock Python and the JS
 * realm down. Only after that does the first cell arrive, so nothing the user runs ever sees an
 * open realm, and nothing the user ran is ever in a snapshot.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { MessagePort } from 'node:worker_threads';
import type { loadPyodide as LoadPyodide, PyodideInterface } from 'pyodide';
import type { SandboxRunResult } from '../../ports/codeInterpreter.ts';
import { joinLogs, OutputCollector } from '../outputCollector.ts';
import { formatBytes } from '../limits.ts';
import { capWasmMemory } from './wasmMemoryCap.ts';
import { wasm, type WasmImports, type WasmModule } from './wasmApi.ts';
import { lockDownRealm } from './realmLockdown.ts';
import { collectOutputs, listFiles, writeInputFiles, type MemFs } from './memFsFiles.ts';
import { INTERRUPT_REASON, REASON_SLOT, SIGINT, SIGNAL_SLOT, type PyodideWorkerInit, type ResultMessage, type RunMessage } from './protocol.ts';

export const DATA_DIR = '/mnt/data';
const OUTBOX_DIR = '/tmp/.tw-outbox';
const HELPERS_DIR = '/opt/threadwork';
const PYODIDE_WASM_MIN_BYTES = 1_000_000;

async function compileCapped(pyodideDir: string, memoryMb: number): Promise<WasmModule> {
  const bytes = await readFile(join(pyodideDir, 'pyodide.asm.wasm'));
  return wasm.compile(capWasmMemory(bytes, memoryMb * 1024 * 1024));
}

/** Pyodide instantiates its wasm from bytes; hand it the capped, possibly shared module instead. */
function instantiateWith(module: WasmModule): () => void {
  const original = wasm.instantiate;
  wasm.instantiate = async (source: unknown, imports?: WasmImports): Promise<unknown> => {
    const size = ArrayBuffer.isView(source) || source instanceof ArrayBuffer ? source.byteLength : 0;
    if (size < PYODIDE_WASM_MIN_BYTES) return original(source, imports);
    const instance = await original(module, imports);
    return { instance, module };
  };
  return () => {
    wasm.instantiate = original;
  };
}

const PYTHON_LOCKDOWN = `
import os, sys
for _name in list(sys.modules):
    if _name in ("js", "pyodide_js") or _name.startswith(("js.", "pyodide_js.")):
        del sys.modules[_name]
os.makedirs("${DATA_DIR}", exist_ok=True)
os.makedirs("${OUTBOX_DIR}", exist_ok=True)
os.chdir("${DATA_DIR}")
sys.path.insert(0, "${HELPERS_DIR}")
import tw_harness
del _name, os, sys
`;

interface Session {
  fs: MemFs;
  runCell: (code: string) => { toJs(): [string, string]; destroy(): void };
  output: { collector: OutputCollector | undefined };
  signal: Int32Array;
  reason: Int32Array;
  memoryMb: number;
}

export async function startPyodideWorker(init: PyodideWorkerInit, port: MessagePort): Promise<void> {
  const signal = new Int32Array(init.control, SIGNAL_SLOT * 4, 1);
  const reason = new Int32Array(init.control, REASON_SLOT * 4, 1);
  const output: Session['output'] = { collector: undefined };
  const write = (bytes: Uint8Array): number => {
    const collector = output.collector;
    if (collector) {
      collector.write(bytes);
      if (collector.overLimit) {
        Atomics.compareExchange(reason, 0, INTERRUPT_REASON.none, INTERRUPT_REASON.output);
        Atomics.store(signal, 0, SIGINT);
      }
    }
    return bytes.length;
  };

  const wasmModule = init.wasmModule ?? (await compileCapped(init.pyodideDir, init.memoryMb));
  const restoreInstantiate = instantiateWith(wasmModule);
  const pyodideUrl = pathToFileURL(join(init.pyodideDir, 'pyodide.mjs')).href;
  const { loadPyodide } = (await import(pyodideUrl)) as { loadPyodide: typeof LoadPyodide };
  let py: PyodideInterface;
  try {
    py = await loadPyodide({
      indexURL: init.pyodideDir.endsWith('/') ? init.pyodideDir : `${init.pyodideDir}/`,
      // `import js` gets an empty object, not the worker's globals.
      jsglobals: Object.create(null) as object,
      env: { HOME: '/home/pyodide', TW_OUTBOX: OUTBOX_DIR },
      stdout: () => {},
      stderr: () => {},
      ...(init.packageCacheDir ? { packageCacheDir: init.packageCacheDir } : {}),
      ...(init.makeSnapshot ? { _makeSnapshot: true } : {}),
      ...(init.snapshot ? { _loadSnapshot: init.snapshot } : {}),
    });
  } finally {
    restoreInstantiate();
  }
  const snapshot = init.makeSnapshot ? py.makeMemorySnapshot() : undefined;

  const packageErrors: string[] = [];
  if (init.packages.length > 0) {
    await py.loadPackage(init.packages, { messageCallback: () => {}, errorCallback: (message: string) => packageErrors.push(message) });
  }

  const fs = py.FS as unknown as MemFs;
  fs.mkdirTree(HELPERS_DIR);
  for (const [name, source] of Object.entries(init.helpers)) fs.writeFile(`${HELPERS_DIR}/${name}`, source);
  // No one can answer input(): it raises at once instead of reading the worker's stdin.
  py.setStdin({ error: true });
  py.setStdout({ write, isatty: false });
  py.setStderr({ write, isatty: false });
  py.setInterruptBuffer(signal);
  for (const name of ['js', 'pyodide_js']) py.unregisterJsModule(name);
  py.runPython(PYTHON_LOCKDOWN);
  const harness = py.pyimport('tw_harness');
  const session: Session = { fs, runCell: harness.run_cell, output, signal, reason, memoryMb: init.memoryMb };
  lockDownRealm();

  port.on('message', (message: RunMessage) => {
    const { reply, transfer } = runOne(session, message);
    port.postMessage(reply, transfer);
  });
  port.postMessage({ type: 'ready', ...(init.wasmModule ? {} : { wasmModule }), ...(snapshot ? { snapshot } : {}), packageErrors });
}

function errorFor(kind: string, message: string, reason: number, memoryMb: number, maxOutputBytes: number): SandboxRunResult['error'] {
  if (reason === INTERRUPT_REASON.output) return { kind: 'output_limit', message: `The cell printed more than ${formatBytes(maxOutputBytes)} and was stopped.` };
  const byKind: Record<string, () => SandboxRunResult['error']> = {
    '': () => undefined,
    // The host rewrites the timeout message with the limit it applied.
    interrupted: () =>
      reason === INTERRUPT_REASON.none ? { kind: 'runtime', message: message || 'KeyboardInterrupt' } : { kind: 'timeout', message: 'The cell ran past its time limit and was interrupted.' },
    memory: () => ({ kind: 'memory', message: `MemoryError: the cell needed more than the sandbox's ${memoryMb} MB of memory.` }),
    runtime: () => ({ kind: 'runtime', message }),
  };
  return (byKind[kind] ?? byKind.runtime!)();
}

function runOne(session: Session, message: RunMessage): { reply: ResultMessage; transfer: ArrayBuffer[] } {
  const { fs, signal, reason } = session;
  Atomics.store(reason, 0, INTERRUPT_REASON.none);
  Atomics.store(signal, 0, 0);
  const collector = new OutputCollector(message.limits.maxLogBytes, message.limits.maxOutputBytes);
  session.output.collector = collector;
  const inputNotes = writeInputFiles(fs, DATA_DIR, message.files);
  const before = listFiles(fs, DATA_DIR);
  let kind = '';
  let text = '';
  let broken: string | undefined;
  try {
    const status = session.runCell(message.code);
    [kind, text] = status.toJs();
    status.destroy();
  } catch (error) {
    // A Python exception that escaped the harness (an interrupt landing outside its try) leaves
    // the runtime usable; anything else (a JS error thrown through wasm frames, a trap) does not.
    const description = error instanceof Error ? error.message : String(error);
    const pythonType = (error as { type?: unknown } | null)?.type;
    if (pythonType === 'KeyboardInterrupt') kind = 'interrupted';
    else {
      kind = 'runtime';
      text = `The Python runtime failed: ${description.split('\n').filter(Boolean).pop() ?? description}`;
      if (typeof pythonType !== 'string') broken = text;
    }
  }
  session.output.collector = undefined;
  const stopReason = Atomics.load(reason, 0);
  Atomics.store(signal, 0, 0);
  const outputs = collectOutputs(fs, { dataDir: DATA_DIR, outboxDir: OUTBOX_DIR, before, limits: message.limits });
  const logs = joinLogs(inputNotes, collector.text(), outputs.notes);
  const error = errorFor(kind, text, stopReason, session.memoryMb, message.limits.maxOutputBytes);
  const result: SandboxRunResult = { logs, images: outputs.images, files: outputs.files, ...(error ? { error } : {}) };
  // The buffers were copied out of the wasm heap for this reply alone: move them, don't copy.
  const transfer = [...outputs.images, ...outputs.files].map((file) => file.bytes.buffer as ArrayBuffer);
  const reply: ResultMessage = { type: 'result', id: message.id, result, saved: outputs.saved, removed: outputs.removed, ...(broken ? { broken } : {}) };
  return { reply, transfer: [...new Set(transfer)] };
}
