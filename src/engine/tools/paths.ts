/**
 * Turns a path the model wrote into a location inside the workspace, or refuses it. Relative,
 * absolute, `~`, `file://` and Windows-style paths are accepted; percent-encoded dots and
 * separators are refused outright (no legitimate file path needs them, and decoding them is how
 * `%2e%2e/` traversals get through); `..` is resolved lexically and then every symlink is resolved,
 * and both results must stay inside a workspace folder.
 */
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { WorkspaceFiles, WorkspaceFolder } from '../ports/workspace.ts';
import { ToolError } from './tool.ts';

export interface ResolvedPath {
  /** What the model wrote. */
  input: string;
  /** The folder that contains the real target. */
  folder: WorkspaceFolder;
  /** Absolute path the operation uses: symlinks resolved (for a new path, its nearest existing ancestor). */
  real: string;
  /** `real` relative to `folder`, forward slashes; '' is the folder itself. */
  relative: string;
  /** Folder-relative path as written, before symlinks: protected-path rules check both. */
  lexicalRelative: string;
  exists: boolean;
  /** How the path is shown to the model and the user: relative, prefixed by the folder name in multi-root workspaces. */
  display: string;
}

const ENCODED_TRAVERSAL = /%(2e|2f|5c|25|00)/i;
const CASE_INSENSITIVE_FS = process.platform === 'win32' || process.platform === 'darwin';

export class PathResolver {
  readonly #files: WorkspaceFiles;

  constructor(files: WorkspaceFiles) {
    this.#files = files;
  }

  folders(): readonly WorkspaceFolder[] {
    return this.#files.folders();
  }

  /** Throws ToolError with a message for the model when the path is unusable or outside the workspace. */
  async resolve(input: unknown, parameter = 'path'): Promise<ResolvedPath> {
    const folders = this.#files.folders();
    if (folders.length === 0) throw new ToolError('No workspace folder is open, so there are no files to work with.');
    if (typeof input !== 'string' || input.trim() === '') throw new ToolError(`'${parameter}' must be a non-empty path relative to the workspace, e.g. "src/index.ts".`);
    const written = input.trim();
    if (written.includes('\0')) throw new ToolError(`The path ${JSON.stringify(written)} contains a NUL character.`);
    if (ENCODED_TRAVERSAL.test(written)) {
      throw new ToolError(`The path ${JSON.stringify(written)} contains percent-encoded characters (%2e, %2f, %5c, %25). Write the plain path, e.g. "src/app.ts".`);
    }

    const lexical = this.#lexicalAbsolute(written, folders);
    const lexicalFolder = containingFolder(folders, lexical);
    if (!lexicalFolder) throw outside(written, folders);

    const { real, exists } = await this.#realLocation(lexical, written);
    const folder = containingFolder(folders, real);
    if (!folder) {
      throw new ToolError(`The path ${JSON.stringify(written)} leads through a symbolic link to a location outside the workspace; tools can only use files inside ${folderList(folders)}.`);
    }
    const relative = toRelative(folder.path, real);
    return {
      input: written,
      folder,
      real,
      relative,
      lexicalRelative: toRelative(lexicalFolder.path, lexical),
      exists,
      display: displayPath(folders, folder, relative),
    };
  }

  /** Folder-relative display form of an absolute path, or undefined when it lies outside every folder. */
  displayOf(absolute: string): string | undefined {
    const folders = this.#files.folders();
    const folder = containingFolder(folders, path.resolve(absolute));
    return folder ? displayPath(folders, folder, toRelative(folder.path, path.resolve(absolute))) : undefined;
  }

  #lexicalAbsolute(written: string, folders: readonly WorkspaceFolder[]): string {
    let text = written;
    if (/^file:\/\//i.test(text)) {
      try {
        text = fileURLToPath(text);
      } catch {
        throw new ToolError(`The URI ${JSON.stringify(written)} is not a local file path. Use a path relative to the workspace.`);
      }
    }
    if (text === '~' || text.startsWith('~/') || text.startsWith('~\\')) text = path.join(os.homedir(), text.slice(1));
    else if (text.startsWith('~')) throw new ToolError(`The path ${JSON.stringify(written)} names another user's home directory; use a path inside the workspace.`);
    if (path.sep === '/') text = text.replace(/\\/g, '/');
    if (path.isAbsolute(text)) return path.resolve(text);

    const [first, ...rest] = text.split(/[\\/]+/);
    if (folders.length > 1) {
      const named = folders.find((folder) => folder.name === first);
      if (named) return path.resolve(named.path, ...rest);
    }
    return path.resolve(folders[0]!.path, text);
  }

  /** Resolves symlinks; for a path that does not exist yet, resolves its nearest existing ancestor. */
  async #realLocation(lexical: string, written: string): Promise<{ real: string; exists: boolean }> {
    const direct = await this.#files.realPath(lexical);
    if (direct !== undefined) return { real: direct, exists: true };
    const missing: string[] = [];
    let cursor = lexical;
    for (;;) {
      const parent = path.dirname(cursor);
      missing.unshift(path.basename(cursor));
      if (parent === cursor) throw new ToolError(`The path ${JSON.stringify(written)} cannot be resolved.`);
      const realParent = await this.#files.realPath(parent);
      if (realParent !== undefined) {
        await this.#refuseDanglingLink(realParent, missing[0]!, written);
        return { real: path.join(realParent, ...missing), exists: false };
      }
      cursor = parent;
    }
  }

  /** A link whose target is missing resolves to nothing, yet writing through it would create the target wherever it points. */
  async #refuseDanglingLink(directory: string, name: string, written: string): Promise<void> {
    let entries;
    try {
      entries = await this.#files.readDirectory(directory);
    } catch {
      return;
    }
    if (entries.some((entry) => entry.name === name && entry.type === 'symlink')) {
      throw new ToolError(`The path ${JSON.stringify(written)} is a symbolic link whose target does not exist; tools do not write through broken links.`);
    }
  }
}

export function isInside(parent: string, child: string): boolean {
  const a = CASE_INSENSITIVE_FS ? parent.toLowerCase() : parent;
  const b = CASE_INSENSITIVE_FS ? child.toLowerCase() : child;
  if (a === b) return true;
  const prefix = a.endsWith(path.sep) ? a : a + path.sep;
  return b.startsWith(prefix);
}

function containingFolder(folders: readonly WorkspaceFolder[], absolute: string): WorkspaceFolder | undefined {
  // The deepest folder wins when folders nest.
  let best: WorkspaceFolder | undefined;
  for (const folder of folders) {
    if (isInside(folder.path, absolute) && (!best || folder.path.length > best.path.length)) best = folder;
  }
  return best;
}

function toRelative(folderPath: string, absolute: string): string {
  return path.relative(folderPath, absolute).split(path.sep).join('/');
}

function displayPath(folders: readonly WorkspaceFolder[], folder: WorkspaceFolder, relative: string): string {
  if (folders.length <= 1) return relative === '' ? '.' : relative;
  return relative === '' ? folder.name : `${folder.name}/${relative}`;
}

function folderList(folders: readonly WorkspaceFolder[]): string {
  return folders.map((folder) => folder.path).join(', ');
}

function outside(written: string, folders: readonly WorkspaceFolder[]): ToolError {
  return new ToolError(`The path ${JSON.stringify(written)} is outside the workspace; tools can only use files inside ${folderList(folders)}. Use a path relative to the workspace root, e.g. "src/index.ts".`);
}
