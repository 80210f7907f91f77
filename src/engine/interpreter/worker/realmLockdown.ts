/**
 * Closes the worker's JavaScript realm before any sandboxed code runs.
 *
 * Python in Pyodide can reach JavaScript in ways no Python-side filter stops: `ctypes` is built
 * in and can call `emscripten_run_script` (a JS `eval`), and every Pyodide object holds
 * references into the Emscripten module. So the worker's JavaScript side is the real boundary,
 * and it is made to hold even against code that can call any function it can reach:
 * - no code from strings: `eval`, `Function` and the constructors behind every function
 *   prototype are gone, and stack-trace hooks cannot be set to fish out live functions;
 * - no host I/O: every function of the Node modules that touch files, processes, the network,
 *   file descriptors (tty) or the inspector throws, and the ESM views of those modules are synced so copies taken at
 *   import time throw as well; `fetch`, `WebSocket` and friends are deleted;
 * - `process` keeps only harmless members; `console` goes nowhere.
 * It is one-way: nothing in the worker can reopen it.
 */
import { syncBuiltinESMExports } from 'node:module';

// Taken before the lockdown replaces them (the CommonJS bundle reads these lazily otherwise).
const syncEsmViews = syncBuiltinESMExports;
const getBuiltinModule = process.getBuiltinModule.bind(process);

/** Node modules whose every function is replaced. */
const HOST_IO_MODULES = [
  'fs', 'fs/promises', 'child_process', 'net', 'tls', 'http', 'https', 'http2', 'dgram', 'dns', 'dns/promises',
  'module', 'vm', 'inspector', 'inspector/promises', 'cluster', 'os', 'v8', 'wasi', 'node:sqlite', 'trace_events',
  'repl', 'worker_threads', 'tty', 'node:test',
];

/** Members of worker_threads the worker itself keeps using after the lockdown. */
const KEEP_IN_WORKER_THREADS = new Set(['parentPort', 'workerData', 'isMainThread', 'threadId', 'MessageChannel', 'MessagePort', 'receiveMessageOnPort']);

const PROCESS_KEEP = new Set(['nextTick', 'hrtime', 'uptime', 'memoryUsage', 'cpuUsage', 'emitWarning', 'on', 'once', 'off', 'emit', 'removeListener', 'addListener', 'listeners', 'listenerCount', 'prependListener', 'prependOnceListener', 'removeAllListeners', 'setMaxListeners', 'getMaxListeners', 'eventNames', 'rawListeners', 'cwd', 'ref', 'unref']);

const GLOBALS_TO_DELETE = ['fetch', 'WebSocket', 'EventSource', 'XMLHttpRequest', 'require', 'module', 'exports', 'navigator', 'importScripts', 'localStorage', 'sessionStorage'];

function refuse(name: string): never {
  throw new Error(`${name} is not available inside the code interpreter sandbox`);
}

function stubFunction(name: string): (...args: unknown[]) => never {
  return function blocked(): never {
    return refuse(name);
  };
}

/** Best effort per member; the tests check that what matters did get replaced. */
function replace(target: object, key: string, value: unknown): void {
  try {
    Object.defineProperty(target, key, { value, writable: false, configurable: false });
  } catch {
    try {
      (target as Record<string, unknown>)[key] = value;
    } catch {
      // non-writable and non-configurable: left as it is
    }
  }
}

function stubObjectMembers(target: Record<string, unknown>, label: string, keep: Set<string> = new Set(), depth = 0): void {
  for (const key of Object.getOwnPropertyNames(target)) {
    if (keep.has(key)) continue;
    const descriptor = Object.getOwnPropertyDescriptor(target, key);
    if (!descriptor) continue;
    let value: unknown;
    try {
      value = descriptor.get ? descriptor.get.call(target) : descriptor.value;
    } catch {
      continue;
    }
    if (typeof value === 'function' && key !== 'constructor') {
      replace(target, key, stubFunction(`${label}.${key}`));
    } else if (value && typeof value === 'object' && depth < 1 && key !== 'constants') {
      stubObjectMembers(value as Record<string, unknown>, `${label}.${key}`, new Set(), depth + 1);
    }
  }
}

function removeCodeGeneration(): void {
  const prototypes = [
    Function.prototype,
    Object.getPrototypeOf(async function () {}),
    Object.getPrototypeOf(function* () {}),
    Object.getPrototypeOf(async function* () {}),
  ] as object[];
  for (const prototype of prototypes) {
    replace(prototype, 'constructor', undefined);
  }
  for (const name of ['eval', 'Function']) replace(globalThis, name, stubFunction(name));
  // CallSite.getFunction()/getThis() hand out live functions from the stack.
  replace(Error, 'prepareStackTrace', undefined);
}

function silenceConsole(): void {
  const quiet = (): void => {};
  const target = console as unknown as Record<string, unknown>;
  for (const key of Object.keys(target)) if (typeof target[key] === 'function') target[key] = quiet;
}

function lockProcess(): void {
  const target = process as unknown as Record<string, unknown>;
  for (const key of Object.getOwnPropertyNames(target)) {
    if (PROCESS_KEEP.has(key)) continue;
    const descriptor = Object.getOwnPropertyDescriptor(target, key);
    if (descriptor && 'value' in descriptor && typeof descriptor.value === 'function') replace(target, key, stubFunction(`process.${key}`));
  }
  // writeReport() writes a file wherever it is told.
  stubObjectMembers(process.report as unknown as Record<string, unknown>, 'process.report', new Set(), 1);
  for (const key of Object.keys(process.env)) delete process.env[key];
}

/** Some modules refuse to load in a worker (trace_events): nothing to close there. */
function loadBuiltin(name: string): Record<string, unknown> | undefined {
  try {
    return getBuiltinModule(name) as Record<string, unknown> | undefined;
  } catch {
    return undefined;
  }
}

export function lockDownRealm(): void {
  const modules = HOST_IO_MODULES.map((name) => ({ name, exports: loadBuiltin(name) }));
  for (const { name, exports } of modules) {
    if (!exports) continue;
    stubObjectMembers(exports, name, name === 'worker_threads' ? KEEP_IN_WORKER_THREADS : new Set());
  }
  // Import-time copies (`import { readFile } from 'node:fs'`, Pyodide's namespaces) follow suit.
  syncEsmViews();
  for (const name of GLOBALS_TO_DELETE) if (name in globalThis) replace(globalThis, name, undefined);
  silenceConsole();
  lockProcess();
  removeCodeGeneration();
}
