/**
 * /mnt/data inside Pyodide's in-memory file system: seeding it with the thread's files, noticing
 * what a cell created or changed, and gathering images a cell showed (the outbox).
 */
import type { SandboxFile, SandboxImage } from '../../ports/codeInterpreter.ts';
import { imageMimeType, isSafeRelativeName } from '../outputFiles.ts';
import { formatBytes } from '../limits.ts';
import type { RunLimits } from './protocol.ts';

/** The few Emscripten FS calls used here. */
export interface MemFs {
  mkdirTree(path: string): void;
  writeFile(path: string, data: Uint8Array | string): void;
  readFile(path: string): Uint8Array;
  readdir(path: string): string[];
  lstat(path: string): { mode: number; size: number; mtime: Date | number };
  isFile(mode: number): boolean;
  isDir(mode: number): boolean;
  unlink(path: string): void;
}

const MAX_LISTED = 10_000;

export type FileStamps = Map<string, string>;

function stamp(stat: { size: number; mtime: Date | number }): string {
  return `${stat.size}:${Number(stat.mtime)}`;
}

/** Regular files under `root` (relative path -> size and mtime); links and devices are skipped. */
export function listFiles(fs: MemFs, root: string): FileStamps {
  const found: FileStamps = new Map();
  const walk = (dir: string, prefix: string): void => {
    let names: string[];
    try {
      names = fs.readdir(dir);
    } catch {
      return;
    }
    for (const name of names) {
      if (name === '.' || name === '..' || found.size >= MAX_LISTED) continue;
      const path = `${dir}/${name}`;
      const stat = fs.lstat(path);
      if (fs.isDir(stat.mode)) walk(path, `${prefix}${name}/`);
      else if (fs.isFile(stat.mode)) found.set(`${prefix}${name}`, stamp(stat));
    }
  };
  walk(root, '');
  return found;
}

/** Writes the files; returns notes for the logs about any that could not be placed. */
export function writeInputFiles(fs: MemFs, root: string, files: SandboxFile[]): string[] {
  const notes: string[] = [];
  for (const file of files) {
    if (!isSafeRelativeName(file.name)) {
      notes.push(`[sandbox] skipped input file with an unsafe name: ${JSON.stringify(file.name)}`);
      continue;
    }
    const path = `${root}/${file.name}`;
    try {
      fs.mkdirTree(path.slice(0, path.lastIndexOf('/')));
      fs.writeFile(path, file.bytes);
    } catch (error) {
      notes.push(`[sandbox] could not place ${file.name} in ${root}: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  return notes;
}

export interface CollectedOutputs {
  images: SandboxImage[];
  files: SandboxFile[];
  notes: string[];
  /** Returned outputs that live in /mnt/data (not shown-only images), and names deleted there. */
  saved: string[];
  removed: string[];
}

/**
 * New or changed files under `dataDir` plus everything in `outboxDir` (emptied afterwards).
 * Images go to `images` whether saved or shown; size and count limits become notes.
 */
export function collectOutputs(
  fs: MemFs,
  options: { dataDir: string; outboxDir: string; before: FileStamps; limits: RunLimits },
): CollectedOutputs {
  const { dataDir, outboxDir, before, limits } = options;
  const result: CollectedOutputs = { images: [], files: [], notes: [], saved: [], removed: [] };
  const accept = (path: string, name: string, shown: boolean): void => {
    const size = fs.lstat(path).size;
    if (result.images.length + result.files.length >= limits.maxFilesPerRun) {
      result.notes.push(`[sandbox] ${name} was not returned: more than ${limits.maxFilesPerRun} files changed in one call`);
      return;
    }
    if (size > limits.maxFileBytes) {
      result.notes.push(`[sandbox] ${name} was not returned: ${formatBytes(size)} is over the ${formatBytes(limits.maxFileBytes)} limit`);
      return;
    }
    const bytes = fs.readFile(path);
    const mimeType = imageMimeType(name, bytes);
    if (mimeType) result.images.push({ name, bytes, mimeType });
    else if (!shown) result.files.push({ name, bytes });
    if (!shown) result.saved.push(name);
  };
  const shown = [...listFiles(fs, outboxDir).keys()].sort();
  for (const name of shown) {
    accept(`${outboxDir}/${name}`, name, true);
    fs.unlink(`${outboxDir}/${name}`);
  }
  const after = listFiles(fs, dataDir);
  for (const [name, current] of [...after].sort(([a], [b]) => a.localeCompare(b))) {
    if (before.get(name) !== current) accept(`${dataDir}/${name}`, name, false);
  }
  for (const name of before.keys()) if (!after.has(name)) result.removed.push(name);
  return result;
}
