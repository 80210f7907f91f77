/**
 * Works out how a workspace runs its tests: a configured command wins; otherwise the nearest
 * directory (from the requested one up to the folder root) that declares tests decides, by
 * package.json scripts.test, Cargo.toml, go.mod, pytest configuration, or a Makefile test target.
 */
import path from 'node:path';
import type { WorkspaceFiles } from '../ports/workspace.ts';

export interface TestCommand {
  command: string;
  /** Absolute directory to run it in. */
  cwd: string;
  /** Where it came from, shown to the model and the user. */
  source: string;
}

const NPM_PLACEHOLDER = /no test specified/;

type Detector = (files: WorkspaceFiles, directory: string, names: ReadonlySet<string>, filter: string | undefined) => Promise<Omit<TestCommand, 'cwd'> | undefined>;

const DETECTORS: readonly Detector[] = [detectNode, detectCargo, detectGo, detectPytest, detectMake];

export async function detectTestCommand(files: WorkspaceFiles, folderPath: string, startDirectory: string, options: { configured?: string; filter?: string } = {}): Promise<TestCommand | undefined> {
  if (options.configured) {
    const command = options.configured.includes('${filter}')
      ? options.configured.replaceAll('${filter}', options.filter ? shellQuote(options.filter) : '')
      : options.filter ? `${options.configured} ${shellQuote(options.filter)}` : options.configured;
    return { command: command.trim(), cwd: folderPath, source: 'the configured test command' };
  }
  for (let directory = startDirectory; ; directory = path.dirname(directory)) {
    let names: Set<string>;
    try {
      names = new Set((await files.readDirectory(directory)).map((entry) => entry.name));
    } catch {
      names = new Set();
    }
    for (const detect of DETECTORS) {
      const found = await detect(files, directory, names, options.filter);
      if (found) return { ...found, cwd: directory };
    }
    if (directory === folderPath || path.dirname(directory) === directory || !directory.startsWith(folderPath)) return undefined;
  }
}

export function shellQuote(value: string): string {
  if (/^[A-Za-z0-9_./:=@%+-]+$/.test(value)) return value;
  return `'${value.replace(/'/g, `'\\''`)}'`;
}

async function detectNode(files: WorkspaceFiles, directory: string, names: ReadonlySet<string>, filter: string | undefined) {
  if (!names.has('package.json')) return undefined;
  const manifest = await readJson(files, path.join(directory, 'package.json'));
  const scripts = (manifest?.scripts ?? {}) as Record<string, unknown>;
  const test = scripts.test;
  if (typeof test !== 'string' || NPM_PLACEHOLDER.test(test)) return undefined;
  const declared = typeof manifest?.packageManager === 'string' ? manifest.packageManager.split('@')[0] : undefined;
  const manager = declared ?? (names.has('pnpm-lock.yaml') ? 'pnpm' : names.has('yarn.lock') ? 'yarn' : names.has('bun.lockb') || names.has('bun.lock') ? 'bun' : 'npm');
  const base = manager === 'bun' ? 'bun run test' : `${manager} test`;
  const extra = filter ? (manager === 'npm' ? ` -- ${shellQuote(filter)}` : ` ${shellQuote(filter)}`) : '';
  return { command: base + extra, source: `package.json scripts.test ("${test}")` };
}

async function detectCargo(_files: WorkspaceFiles, _directory: string, names: ReadonlySet<string>, filter: string | undefined) {
  if (!names.has('Cargo.toml')) return undefined;
  return { command: `cargo test${filter ? ` ${shellQuote(filter)}` : ''}`, source: 'Cargo.toml' };
}

async function detectGo(_files: WorkspaceFiles, _directory: string, names: ReadonlySet<string>, filter: string | undefined) {
  if (!names.has('go.mod')) return undefined;
  return { command: `go test ./...${filter ? ` -run ${shellQuote(filter)}` : ''}`, source: 'go.mod' };
}

async function detectPytest(files: WorkspaceFiles, directory: string, names: ReadonlySet<string>, filter: string | undefined) {
  let source: string | undefined;
  if (names.has('pytest.ini')) source = 'pytest.ini';
  else if (names.has('pyproject.toml') && /\[tool\.pytest|\bpytest\b/.test(await readText(files, path.join(directory, 'pyproject.toml')))) source = 'pyproject.toml';
  else if (names.has('setup.cfg') && (await readText(files, path.join(directory, 'setup.cfg'))).includes('[tool:pytest]')) source = 'setup.cfg';
  else if (names.has('tox.ini') && (await readText(files, path.join(directory, 'tox.ini'))).includes('[pytest]')) source = 'tox.ini';
  else if (names.has('conftest.py')) source = 'conftest.py';
  else if (names.has('tests') && (await hasPythonTests(files, path.join(directory, 'tests')))) source = 'tests/test_*.py';
  if (!source) return undefined;
  const venvPython = process.platform === 'win32' ? '.venv\\Scripts\\python.exe' : '.venv/bin/python';
  const python = names.has('.venv') && (await files.stat(path.join(directory, venvPython)))?.type === 'file' ? venvPython : process.platform === 'win32' ? 'python' : 'python3';
  return { command: `${python} -m pytest${filter ? ` -k ${shellQuote(filter)}` : ''}`, source };
}

async function detectMake(files: WorkspaceFiles, directory: string, names: ReadonlySet<string>) {
  if (!names.has('Makefile')) return undefined;
  if (!/^test\s*:/m.test(await readText(files, path.join(directory, 'Makefile')))) return undefined;
  return { command: 'make test', source: 'the Makefile "test" target' };
}

async function hasPythonTests(files: WorkspaceFiles, directory: string): Promise<boolean> {
  try {
    return (await files.readDirectory(directory)).some((entry) => /^test_.*\.py$|_test\.py$/.test(entry.name));
  } catch {
    return false;
  }
}

async function readText(files: WorkspaceFiles, file: string): Promise<string> {
  try {
    return new TextDecoder().decode(await files.readFile(file));
  } catch {
    return '';
  }
}

async function readJson(files: WorkspaceFiles, file: string): Promise<Record<string, unknown> | undefined> {
  try {
    const value: unknown = JSON.parse(await readText(files, file));
    return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}
