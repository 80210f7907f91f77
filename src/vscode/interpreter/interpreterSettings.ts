/**
 * The code interpreter's settings, each declared once: key, JSON schema, default and the text the
 * Settings UI shows. scripts/contribute-interpreter-settings.ts writes them into package.json, a
 * unit test checks package.json agrees, and `resolveInterpreterSettings` reads them typed (a
 * mistyped value falls back to its default). No `vscode` import.
 */

export const INTERPRETER_SECTION_ID = 'threadwork.codeInterpreter';
export const INTERPRETER_SECTION_TITLE = 'Code interpreter';

export type InterpreterRunner = 'pyodide' | 'local';

export interface InterpreterSettings {
  enabled: boolean;
  runner: InterpreterRunner;
  /** Wall-clock limit of one code cell, in seconds. */
  timeoutSeconds: number;
  allowPackageDownloads: boolean;
}

interface SettingSchema {
  type: 'boolean' | 'string' | 'integer';
  default: boolean | string | number;
  order: number;
  markdownDescription: string;
  enum?: string[];
  enumDescriptions?: string[];
  minimum?: number;
  maximum?: number;
  scope?: 'application' | 'machine' | 'window';
}

const KEYS = {
  enabled: 'threadwork.codeInterpreter.enabled',
  runner: 'threadwork.codeInterpreter.runner',
  timeoutSeconds: 'threadwork.codeInterpreter.timeoutSeconds',
  allowPackageDownloads: 'threadwork.codeInterpreter.allowPackageDownloads',
} as const satisfies Record<keyof InterpreterSettings, string>;

export const INTERPRETER_SETTING_KEYS = KEYS;

export const INTERPRETER_SETTINGS: Readonly<Record<(typeof KEYS)[keyof typeof KEYS], SettingSchema>> = {
  [KEYS.enabled]: {
    type: 'boolean',
    default: true,
    order: 0,
    markdownDescription:
      'Give the built-in Threadwork assistant the `code_interpreter` tool: it runs Python in a sandbox to calculate, analyse files you attach (with the paperclip under the chat\'s message box) and draw charts, which appear in the answer. ' +
      'Turn off to stop all code execution; assistants that declare the tool then get a message saying it is off.',
  },
  [KEYS.runner]: {
    type: 'string',
    enum: ['pyodide', 'local'],
    enumDescriptions: [
      'Pyodide (CPython compiled to WebAssembly) in a locked-down worker thread of the extension host. Works everywhere, offline; no access to your files, network or processes. Only the standard library and `twchart` unless packages are on disk.',
      'Your own `python3` (with its pandas, numpy, matplotlib) inside bubblewrap on Linux: read-only system, no network, only /mnt/data writable. Needs bubblewrap installed; without it the tool reports that it is unavailable and runs nothing.',
    ],
    default: 'pyodide',
    order: 1,
    scope: 'machine',
    markdownDescription:
      'Where Python code written by the model runs. `pyodide` (default) is a WebAssembly sandbox that needs nothing installed. ' +
      '`local` runs your own `python3` so your installed packages work, **which is riskier**: model-written code then runs as a real process on your machine, held in only by [bubblewrap](https://github.com/containers/bubblewrap) (Linux only). ' +
      'If bubblewrap is missing, Threadwork does not fall back to running the code unsandboxed: the tool reports it is unavailable and says why.',
  },
  [KEYS.timeoutSeconds]: {
    type: 'integer',
    default: 60,
    minimum: 5,
    maximum: 600,
    order: 2,
    markdownDescription: 'Seconds one code cell may run. Past it the cell is interrupted (its variables are kept); code that ignores the interrupt is stopped and its session restarted. The model is told the cell timed out.',
  },
  [KEYS.allowPackageDownloads]: {
    type: 'boolean',
    default: false,
    order: 3,
    scope: 'machine',
    markdownDescription:
      'Let the Pyodide runner download packages a cell imports (numpy, pandas, matplotlib, …) from the Pyodide CDN the first time, and keep them in the extension\'s storage. Off: only packages already there are used, and an import of another one fails with a clear note to the model.',
  },
};

/** Typed settings from a raw reader (VS Code's configuration, or a test's map). */
export function resolveInterpreterSettings(read: (key: string) => unknown): InterpreterSettings {
  const pick = <T>(key: keyof typeof INTERPRETER_SETTINGS, valid: (value: unknown) => value is T): T => {
    const value = read(key);
    return valid(value) ? value : (INTERPRETER_SETTINGS[key].default as T);
  };
  const timeout = INTERPRETER_SETTINGS[KEYS.timeoutSeconds];
  return {
    enabled: pick(KEYS.enabled, isBoolean),
    runner: pick(KEYS.runner, (value): value is InterpreterRunner => value === 'pyodide' || value === 'local'),
    timeoutSeconds: pick(KEYS.timeoutSeconds, (value): value is number => Number.isInteger(value) && (value as number) >= timeout.minimum! && (value as number) <= timeout.maximum!),
    allowPackageDownloads: pick(KEYS.allowPackageDownloads, isBoolean),
  };
}

function isBoolean(value: unknown): value is boolean {
  return typeof value === 'boolean';
}
