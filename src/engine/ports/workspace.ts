/**
 * What the workspace tools need from a file system. Paths are absolute OS paths (the VS Code
 * adapter turns them into `Uri.file`). The port is deliberately low-level: walking, ignore rules,
 * globs and containment checks live in the engine (src/engine/tools/) so every host behaves the
 * same. Implementations: src/engine/tools/nodeWorkspace.ts (node:fs, for the CLI, the server and
 * tests) and the VS Code adapter over `vscode.workspace.fs`.
 */

/** One root the tools may work in. */
export interface WorkspaceFolder {
  /** Display name; in a multi-root workspace a relative tool path may start with it. */
  name: string;
  /** Absolute path with symlinks resolved. */
  path: string;
}

export type WorkspaceEntryType = 'file' | 'directory' | 'symlink' | 'other';

export interface WorkspaceEntry {
  name: string;
  /** The entry itself, not what a symlink points at: walkers never follow links. */
  type: WorkspaceEntryType;
}

export interface WorkspaceFileStat {
  /** After following symlinks. */
  type: 'file' | 'directory' | 'other';
  size: number;
  mtimeMs: number;
}

/** Failure codes named like `vscode.FileSystemError` so the VS Code adapter maps them one to one. */
export type WorkspaceFsErrorCode = 'FileNotFound' | 'FileExists' | 'FileIsADirectory' | 'FileNotADirectory' | 'NoPermissions' | 'Unavailable';

export class WorkspaceFsError extends Error {
  readonly code: WorkspaceFsErrorCode;
  readonly path: string;
  constructor(code: WorkspaceFsErrorCode, path: string, message?: string) {
    super(message ?? `${code}: ${path}`);
    this.name = 'WorkspaceFsError';
    this.code = code;
    this.path = path;
  }

  static is(value: unknown, code?: WorkspaceFsErrorCode): value is WorkspaceFsError {
    return value instanceof WorkspaceFsError && (code === undefined || value.code === code);
  }
}

export interface WorkspaceFiles {
  /** The open workspace folders; the first one anchors relative paths. Empty when no folder is open. */
  folders(): readonly WorkspaceFolder[];
  /**
   * The path with every symlink resolved, or undefined when it does not exist. A dangling symlink
   * resolves to undefined too, so callers treat it as "not there" rather than following it blindly.
   */
  realPath(path: string): Promise<string | undefined>;
  /** Follows symlinks; undefined when nothing is there. */
  stat(path: string): Promise<WorkspaceFileStat | undefined>;
  /** Entries of a directory in any order. Throws WorkspaceFsError (FileNotFound, FileNotADirectory). */
  readDirectory(path: string): Promise<WorkspaceEntry[]>;
  /** Throws WorkspaceFsError (FileNotFound, FileIsADirectory, NoPermissions). */
  readFile(path: string): Promise<Uint8Array>;
  /** Creates missing parent directories and replaces an existing file. */
  writeFile(path: string, content: Uint8Array): Promise<void>;
  /** Deletes one file (never a directory tree). Throws FileNotFound when it is absent. */
  deleteFile(path: string): Promise<void>;
}
