/**
 * What the workspace index takes, decided one path at a time (a file watcher reports single paths,
 * and `syncFolder` only reads ignore files during a full walk). The rules are the full walk's:
 * the engine's default excludes, `files.exclude` and the user's own globs, `.git/` and the like,
 * binary extensions, the size cap, and `.gitignore`/`.ignore` files from the folder root down to
 * the file (plus `.git/info/exclude`). Ignore files are read once per filter; a change to one makes
 * the caller build a new filter (and sync the whole folder again). No `vscode` import.
 */
import type { WorkspaceFiles } from '../../engine/ports/workspace.ts';
import { WorkspaceFsError } from '../../engine/ports/workspace.ts';
import { DEFAULT_INDEX_EXCLUDES } from '../../engine/retrieval/folderSync.ts';
import { hasBinaryExtension } from '../../engine/retrieval/textExtraction.ts';
import { IgnoreFile, isIgnored } from '../../engine/tools/gitignore.ts';
import { compileGlobs, type GlobMatcher } from '../../engine/tools/glob.ts';

/** Directories never indexed, whatever the ignore files say (the walker skips them too). */
const VERSION_CONTROL_DIRECTORIES = new Set(['.git', '.hg', '.svn']);
const IGNORE_FILE_NAMES = ['.gitignore', '.ignore'];

export type IndexVerdict = 'index' | 'missing' | 'directory' | 'excluded' | 'ignored' | 'binary' | 'tooLarge';

export interface IndexFilterOptions {
  /** Workspace-relative globs left out on top of the defaults (files.exclude, the user's setting). */
  exclude: readonly string[];
  maxFileBytes: number;
  respectIgnoreFiles?: boolean;
}

/** True for a path whose change alters what the filter decides for other paths. */
export function isIgnoreRulesPath(relativePath: string): boolean {
  const name = relativePath.slice(relativePath.lastIndexOf('/') + 1);
  return IGNORE_FILE_NAMES.includes(name) || relativePath === '.git/info/exclude';
}

/** True for paths inside version-control metadata (`.git/…`), which the index never holds. */
export function isVersionControlPath(relativePath: string): boolean {
  return relativePath.split('/').some((segment) => VERSION_CONTROL_DIRECTORIES.has(segment));
}

/** `files.exclude` as VS Code stores it (glob → true, false or a `when` clause) → the globs that are on. */
export function enabledExcludeGlobs(setting: Readonly<Record<string, unknown>> | undefined): string[] {
  return Object.entries(setting ?? {}).filter(([, value]) => value === true).map(([glob]) => glob);
}

export class IndexFilter {
  readonly options: IndexFilterOptions;
  readonly #files: WorkspaceFiles;
  readonly #folderPath: string;
  readonly #exclude: GlobMatcher;
  /** Ignore files by directory ('' = folder root); a pending read is shared. */
  readonly #ignoreFiles = new Map<string, Promise<IgnoreFile[]>>();

  constructor(files: WorkspaceFiles, folderPath: string, options: IndexFilterOptions) {
    this.#files = files;
    this.#folderPath = folderPath;
    this.options = options;
    this.#exclude = compileGlobs([...DEFAULT_INDEX_EXCLUDES, ...options.exclude]);
  }

  /** The rules that need no disk access: excluded, version control, binary. */
  quickVerdict(relativePath: string): IndexVerdict | undefined {
    if (isVersionControlPath(relativePath)) return 'excluded';
    if (this.isExcluded(relativePath)) return 'excluded';
    if (hasBinaryExtension(relativePath)) return 'binary';
    return undefined;
  }

  /** A path or any folder above it matching an exclude glob is excluded. */
  isExcluded(relativePath: string): boolean {
    const segments = relativePath.split('/');
    for (let depth = 1; depth <= segments.length; depth++) {
      const prefix = segments.slice(0, depth).join('/');
      if (this.#exclude(prefix) || (depth < segments.length && this.#exclude(`${prefix}/`))) return true;
    }
    return false;
  }

  async isIgnored(relativePath: string, isDirectory: boolean): Promise<boolean> {
    if (this.options.respectIgnoreFiles === false) return false;
    const segments = relativePath.split('/');
    // git never re-includes a file whose folder is ignored: check every folder on the way down.
    for (let depth = 1; depth <= segments.length; depth++) {
      const prefix = segments.slice(0, depth).join('/');
      const stack = await this.#stackFor(segments.slice(0, depth - 1).join('/'));
      if (isIgnored(stack, prefix, depth < segments.length || isDirectory)) return true;
    }
    return false;
  }

  /** The whole decision for one workspace-relative path (forward slashes). */
  async verdict(relativePath: string): Promise<IndexVerdict> {
    const quick = this.quickVerdict(relativePath);
    if (quick) return quick;
    const stat = await this.#files.stat(this.absolute(relativePath));
    if (!stat) return 'missing';
    if (await this.isIgnored(relativePath, stat.type === 'directory')) return 'ignored';
    if (stat.type === 'directory') return 'directory';
    if (stat.type !== 'file') return 'excluded';
    if (stat.size > this.options.maxFileBytes) return 'tooLarge';
    return 'index';
  }

  absolute(relativePath: string): string {
    const separator = this.#folderPath.includes('\\') && !this.#folderPath.includes('/') ? '\\' : '/';
    const base = this.#folderPath.replace(/[\\/]+$/, '');
    return relativePath === '' ? base : `${base}${separator}${relativePath.split('/').join(separator)}`;
  }

  /** Ignore files that apply inside `directory`: .git/info/exclude, then the root's, down to its own. */
  #stackFor(directory: string): Promise<IgnoreFile[]> {
    let stack = this.#ignoreFiles.get(directory);
    if (!stack) {
      stack = (async () => {
        const parent = directory === '' ? await this.#rootExclude() : await this.#stackFor(directory.includes('/') ? directory.slice(0, directory.lastIndexOf('/')) : '');
        const own: IgnoreFile[] = [];
        for (const name of IGNORE_FILE_NAMES) {
          const text = await this.#readText(directory === '' ? name : `${directory}/${name}`);
          if (text !== undefined) own.push(new IgnoreFile(directory, text));
        }
        return [...parent, ...own];
      })();
      this.#ignoreFiles.set(directory, stack);
    }
    return stack;
  }

  async #rootExclude(): Promise<IgnoreFile[]> {
    const text = await this.#readText('.git/info/exclude');
    return text === undefined ? [] : [new IgnoreFile('', text)];
  }

  async #readText(relativePath: string): Promise<string | undefined> {
    try {
      return new TextDecoder().decode(await this.#files.readFile(this.absolute(relativePath)));
    } catch (error) {
      if (WorkspaceFsError.is(error)) return undefined;
      throw error;
    }
  }
}
