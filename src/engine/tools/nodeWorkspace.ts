/**
 * The WorkspaceFiles port over node:fs, used by the CLI, the server and the tests. The VS Code
 * adapter implements the same port with vscode.workspace.fs.
 */
import { promises as fs, realpathSync } from 'node:fs';
import path from 'node:path';
import type { WorkspaceEntry, WorkspaceFileStat, WorkspaceFiles, WorkspaceFolder, WorkspaceFsErrorCode } from '../ports/workspace.ts';
import { WorkspaceFsError } from '../ports/workspace.ts';

export class NodeWorkspace implements WorkspaceFiles {
  readonly #folders: WorkspaceFolder[];

  /** `folders` are directories that must exist; their symlinks are resolved once here. */
  constructor(folders: ReadonlyArray<string | { name: string; path: string }>) {
    this.#folders = folders.map((folder) => {
      const given = typeof folder === 'string' ? { name: path.basename(path.resolve(folder)), path: folder } : folder;
      return { name: given.name, path: realpathSync(path.resolve(given.path)) };
    });
  }

  folders(): readonly WorkspaceFolder[] {
    return this.#folders;
  }

  async realPath(target: string): Promise<string | undefined> {
    try {
      return await fs.realpath(target);
    } catch (error) {
      if (isCode(error, 'ENOENT') || isCode(error, 'ENOTDIR') || isCode(error, 'ELOOP')) return undefined;
      throw toFsError(error, target);
    }
  }

  async stat(target: string): Promise<WorkspaceFileStat | undefined> {
    try {
      const stats = await fs.stat(target);
      return { type: stats.isFile() ? 'file' : stats.isDirectory() ? 'directory' : 'other', size: stats.size, mtimeMs: stats.mtimeMs };
    } catch (error) {
      if (isCode(error, 'ENOENT') || isCode(error, 'ENOTDIR') || isCode(error, 'ELOOP')) return undefined;
      throw toFsError(error, target);
    }
  }

  async readDirectory(target: string): Promise<WorkspaceEntry[]> {
    try {
      const entries = await fs.readdir(target, { withFileTypes: true });
      return entries.map((entry) => ({
        name: entry.name,
        type: entry.isSymbolicLink() ? 'symlink' : entry.isDirectory() ? 'directory' : entry.isFile() ? 'file' : 'other',
      }));
    } catch (error) {
      throw toFsError(error, target);
    }
  }

  async readFile(target: string): Promise<Uint8Array> {
    try {
      return await fs.readFile(target);
    } catch (error) {
      throw toFsError(error, target);
    }
  }

  async writeFile(target: string, content: Uint8Array): Promise<void> {
    try {
      await fs.mkdir(path.dirname(target), { recursive: true });
      await fs.writeFile(target, content);
    } catch (error) {
      throw toFsError(error, target);
    }
  }

  async deleteFile(target: string): Promise<void> {
    try {
      const stats = await fs.lstat(target);
      if (stats.isDirectory()) throw new WorkspaceFsError('FileIsADirectory', target);
      await fs.unlink(target);
    } catch (error) {
      throw toFsError(error, target);
    }
  }
}

const CODES: Record<string, WorkspaceFsErrorCode> = {
  ENOENT: 'FileNotFound',
  EEXIST: 'FileExists',
  EISDIR: 'FileIsADirectory',
  ENOTDIR: 'FileNotADirectory',
  EACCES: 'NoPermissions',
  EPERM: 'NoPermissions',
};

function isCode(error: unknown, code: string): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === code;
}

function toFsError(error: unknown, target: string): WorkspaceFsError {
  if (error instanceof WorkspaceFsError) return error;
  const code = typeof error === 'object' && error !== null ? String((error as { code?: unknown }).code) : '';
  const message = error instanceof Error ? error.message : String(error);
  return new WorkspaceFsError(CODES[code] ?? 'Unavailable', target, message);
}
