/** list_files: workspace paths under a directory, filtered by a glob, honouring .gitignore. */
import { walkFolder } from './fileWalker.ts';
import type { JsonSchema } from './argumentValidation.ts';
import { compileGlob, compileGlobs } from './glob.ts';
import type { ResolvedPath } from './paths.ts';
import type { ToolContext, WorkspaceTool } from './tool.ts';
import { readCall, ToolError } from './tool.ts';

export interface ListFilesInput {
  /** Directory relative to the workspace root; default the root. */
  path?: string;
  /** Glob relative to `path`, e.g. "**\/*.ts"; a pattern without "/" matches file names at any depth. */
  pattern?: string;
  /** Default true; false lists only the directory's own entries (directories end with "/"). */
  recursive?: boolean;
  max_results?: number;
}

export const listFilesParameters: JsonSchema = {
  type: 'object',
  properties: {
    path: { type: 'string', description: 'Directory to list, relative to the workspace root. Default: the root.' },
    pattern: { type: 'string', description: 'Glob filter such as "*.ts" or "src/**/*.test.ts" (relative to path). A pattern without "/" matches names at any depth.' },
    recursive: { type: 'boolean', description: 'List subdirectories too (default true). false lists one level, directories ending with "/".' },
    max_results: { type: 'integer', minimum: 1, maximum: 2000, description: 'At most this many paths (default 500).' },
  },
  additionalProperties: false,
};

export const listFilesTool: WorkspaceTool<ListFilesInput> = {
  name: 'list_files',
  access: 'read',
  description:
    'List files in the workspace, one path per line relative to the workspace root. Files ignored by .gitignore and configured excludes are left out. ' +
    'Use pattern to filter (e.g. "*.py"), path to start in a subdirectory, recursive=false for one level.',
  parameters: listFilesParameters,
  async prepare(input, context) {
    // No path in a multi-root workspace lists every folder.
    const targets = input.path === undefined
      ? await Promise.all(context.paths.folders().map((folder) => context.paths.resolve(folder.path)))
      : [await context.paths.resolve(input.path)];
    const limit = input.max_results ?? 500;
    const pattern = input.pattern?.trim() || undefined;
    return readCall({ reads: [] }, `List ${targets.map((target) => target.display).join(', ')}`, async (signal) => {
      const lines: string[] = [];
      let truncated = false;
      for (const target of targets) {
        if (lines.length >= limit) {
          truncated = true;
          break;
        }
        const listed = await listOne(context, target, input, pattern, limit - lines.length, signal);
        lines.push(...listed.lines);
        truncated ||= listed.truncated;
      }
      const where = input.path === undefined ? 'the workspace' : targets[0]!.display;
      if (lines.length === 0) return pattern ? `No files matching "${pattern}" in ${where}.` : `${where} has no files (after .gitignore and excludes).`;
      const header = `${lines.length}${truncated ? '+' : ''} ${lines.length === 1 ? 'path' : 'paths'} in ${where}${pattern ? ` matching "${pattern}"` : ''}:`;
      const footer = truncated ? `\n[Stopped at ${limit} paths. Narrow the listing with path or pattern.]` : '';
      return `${header}\n${lines.join('\n')}${footer}`;
    });
  },
};

async function listOne(context: ToolContext, target: ResolvedPath, input: ListFilesInput, pattern: string | undefined, limit: number, signal: AbortSignal): Promise<{ lines: string[]; truncated: boolean }> {
  const stat = await context.files.stat(target.real);
  if (!stat) throw new ToolError(`Directory not found: ${target.display}. Call list_files without a path to see the workspace root.`);
  if (stat.type !== 'directory') throw new ToolError(`${target.display} is a file, not a directory. Use read_file to read it.`);
  const recursive = input.recursive ?? true;
  const prefix = target.relative === '' ? '' : `${target.relative}/`;
  const patternMatcher = pattern ? compileGlob(pattern, { caseSensitive: false }) : undefined;
  const result = await walkFolder(context.files, {
    folderPath: target.folder.path,
    startAt: target.relative,
    recursive: recursive || pattern !== undefined,
    exclude: compileGlobs(context.config.excludeGlobs),
    include: patternMatcher ? (path) => patternMatcher(path.slice(prefix.length)) : undefined,
    includeDirectories: !recursive && pattern === undefined,
    maxResults: limit,
    signal,
  });
  const folderPrefix = context.paths.folders().length > 1 ? `${target.folder.name}/` : '';
  return { lines: result.entries.map((entry) => `${folderPrefix}${entry.path}${entry.type === 'directory' ? '/' : ''}`), truncated: result.truncated };
}
