/**
 * The files "Add to Knowledge Base" takes from what was right-clicked. A folder contributes the
 * files the workspace index would take (ignore files, excludes, no binaries, the size cap); a file
 * picked on its own is taken even when ignored (the user chose it), but never a binary or one over
 * the cap. No `vscode` import.
 */
import { NodeWorkspace } from '../../engine/tools/nodeWorkspace.ts';
import { walkFolder } from '../../engine/tools/fileWalker.ts';
import { compileGlobs } from '../../engine/tools/glob.ts';
import { IndexFilter, type IndexFilterOptions } from './indexFilter.ts';

/** v2's largest file batch. */
export const MAX_FILES_PER_ADD = 2_000;

export interface PickedPath {
  /** Absolute path of the file or folder. */
  path: string;
  /** The workspace folder it lies in (its ignore files apply), if any. */
  workspaceFolder?: string;
}

export interface CollectedFiles {
  /** Absolute paths, in a stable order. */
  files: string[];
  /** Left out: binary, too large, ignored or excluded. */
  skipped: number;
  /** More were found than one add takes. */
  truncated: boolean;
}

function relativeTo(folder: string, path: string): string {
  const trimmed = folder.replace(/[\\/]+$/, '');
  return path === trimmed ? '' : path.slice(trimmed.length + 1).split(/[\\/]/).join('/');
}

export async function collectFiles(picked: readonly PickedPath[], options: IndexFilterOptions, signal?: AbortSignal): Promise<CollectedFiles> {
  const found = new Set<string>();
  let skipped = 0;
  for (const item of picked) {
    signal?.throwIfAborted();
    const root = item.workspaceFolder && (item.path === item.workspaceFolder || item.path.startsWith(`${item.workspaceFolder.replace(/[\\/]+$/, '')}/`) || item.path.startsWith(`${item.workspaceFolder.replace(/[\\/]+$/, '')}\\`))
      ? item.workspaceFolder
      : item.path;
    const files = new NodeWorkspace([root]);
    const folderPath = files.folders()[0]!.path;
    const filter = new IndexFilter(files, folderPath, options);
    const relative = relativeTo(root, item.path);
    const stat = await files.stat(filter.absolute(relative));
    if (!stat) continue;
    if (stat.type === 'file') {
      if (filter.quickVerdict(relative) === 'binary' || stat.size > options.maxFileBytes) skipped++;
      else found.add(filter.absolute(relative));
      continue;
    }
    const walk = await walkFolder(files, { folderPath, startAt: relative, exclude: compileGlobs(options.exclude), respectIgnoreFiles: options.respectIgnoreFiles ?? true, ...(signal ? { signal } : {}) });
    for (const entry of walk.entries) {
      if (entry.type !== 'file') continue;
      const verdict = await filter.verdict(entry.path);
      if (verdict === 'index') found.add(filter.absolute(entry.path));
      else skipped++;
      if (found.size > MAX_FILES_PER_ADD) break;
    }
  }
  const files = [...found];
  return { files: files.slice(0, MAX_FILES_PER_ADD), skipped, truncated: files.length > MAX_FILES_PER_ADD };
}
