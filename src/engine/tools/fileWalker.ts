/**
 * Walks a workspace folder through the WorkspaceFiles port, honouring .gitignore/.ignore files
 * (nested ones too), .git/info/exclude and exclude globs. Breadth-first, so a capped listing shows
 * the shape of the tree before its depths. Symlinks are listed but never followed: a link can point
 * outside the workspace or back up the tree.
 */
import type { WorkspaceEntryType, WorkspaceFiles } from '../ports/workspace.ts';
import { WorkspaceFsError } from '../ports/workspace.ts';
import type { GlobMatcher } from './glob.ts';
import { IgnoreFile, isIgnored } from './gitignore.ts';

const IGNORE_FILE_NAMES = ['.gitignore', '.ignore'];
/** Never listed or searched, whatever the ignore files say. */
const ALWAYS_SKIPPED_DIRECTORIES = new Set(['.git', '.hg', '.svn']);

export interface WalkOptions {
  /** Absolute path of the workspace folder; relative paths and ignore files are anchored here. */
  folderPath: string;
  /** Folder-relative directory to start in ('' for the folder itself). */
  startAt?: string;
  recursive?: boolean;
  respectIgnoreFiles?: boolean;
  /** Matched against folder-relative paths of files and directories; a matching directory is not entered. */
  exclude?: GlobMatcher;
  /** Matched against folder-relative file paths; directories are always entered. */
  include?: GlobMatcher;
  includeDirectories?: boolean;
  /** Stop after this many results; `truncated` says so. */
  maxResults?: number;
  signal?: AbortSignal;
}

export interface WalkEntry {
  /** Relative to the folder, forward slashes. */
  path: string;
  type: WorkspaceEntryType;
}

export interface WalkResult {
  entries: WalkEntry[];
  truncated: boolean;
}

export async function walkFolder(files: WorkspaceFiles, options: WalkOptions): Promise<WalkResult> {
  const maxResults = options.maxResults ?? Number.POSITIVE_INFINITY;
  const respectIgnore = options.respectIgnoreFiles ?? true;
  const startAt = trimSlashes(options.startAt ?? '');
  const entries: WalkEntry[] = [];
  const rootStack = respectIgnore ? await ancestorIgnoreFiles(files, options.folderPath, startAt) : [];
  const queue: Array<{ relative: string; stack: IgnoreFile[] }> = [{ relative: startAt, stack: rootStack }];

  while (queue.length > 0) {
    options.signal?.throwIfAborted();
    const { relative, stack: parentStack } = queue.shift()!;
    const absolute = joinPath(options.folderPath, relative);
    let children;
    try {
      children = await files.readDirectory(absolute);
    } catch (error) {
      // A directory that vanished or cannot be read mid-walk is skipped, not fatal.
      if (WorkspaceFsError.is(error)) continue;
      throw error;
    }
    children.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    // For a start below the folder root, ancestorIgnoreFiles already read the start's own files.
    const ownFilesKnown = relative === startAt && startAt !== '';
    const stack = respectIgnore && !ownFilesKnown
      ? [...parentStack, ...(await ignoreFilesIn(files, options.folderPath, relative, children.map((child) => child.name)))]
      : parentStack;

    for (const child of children) {
      const childPath = relative === '' ? child.name : `${relative}/${child.name}`;
      const isDirectory = child.type === 'directory';
      if (isDirectory && ALWAYS_SKIPPED_DIRECTORIES.has(child.name)) continue;
      if (respectIgnore && isIgnored(stack, childPath, isDirectory)) continue;
      if (options.exclude && (options.exclude(childPath) || (isDirectory && options.exclude(`${childPath}/`)))) continue;
      if (isDirectory) {
        if (options.includeDirectories) {
          if (entries.length >= maxResults) return { entries, truncated: true };
          entries.push({ path: childPath, type: 'directory' });
        }
        if (options.recursive ?? true) queue.push({ relative: childPath, stack });
        continue;
      }
      if (options.include && !options.include(childPath)) continue;
      if (entries.length >= maxResults) return { entries, truncated: true };
      entries.push({ path: childPath, type: child.type });
    }
  }
  return { entries, truncated: false };
}

async function ignoreFilesIn(files: WorkspaceFiles, folderPath: string, relative: string, names: readonly string[]): Promise<IgnoreFile[]> {
  const found: IgnoreFile[] = [];
  for (const name of IGNORE_FILE_NAMES) {
    if (!names.includes(name)) continue;
    const text = await readText(files, joinPath(folderPath, relative === '' ? name : `${relative}/${name}`));
    if (text !== undefined) found.push(new IgnoreFile(relative, text));
  }
  return found;
}

/** Ignore files from the folder root down to (and including) the start directory. */
async function ancestorIgnoreFiles(files: WorkspaceFiles, folderPath: string, startAt: string): Promise<IgnoreFile[]> {
  const stack: IgnoreFile[] = [];
  const exclude = await readText(files, joinPath(folderPath, '.git/info/exclude'));
  if (exclude !== undefined) stack.push(new IgnoreFile('', exclude));
  if (startAt === '') return stack;
  const segments = startAt.split('/');
  for (let depth = 0; depth <= segments.length; depth++) {
    const relative = segments.slice(0, depth).join('/');
    for (const name of IGNORE_FILE_NAMES) {
      const text = await readText(files, joinPath(folderPath, relative === '' ? name : `${relative}/${name}`));
      if (text !== undefined) stack.push(new IgnoreFile(relative, text));
    }
  }
  return stack;
}

async function readText(files: WorkspaceFiles, absolute: string): Promise<string | undefined> {
  try {
    return new TextDecoder().decode(await files.readFile(absolute));
  } catch (error) {
    if (WorkspaceFsError.is(error)) return undefined;
    throw error;
  }
}

function joinPath(folderPath: string, relative: string): string {
  if (relative === '') return folderPath;
  const separator = folderPath.includes('\\') && !folderPath.includes('/') ? '\\' : '/';
  return `${folderPath.replace(/[\\/]+$/, '')}${separator}${relative.split('/').join(separator)}`;
}

function trimSlashes(value: string): string {
  return value.replace(/\\/g, '/').replace(/^\/+|\/+$/g, '');
}
