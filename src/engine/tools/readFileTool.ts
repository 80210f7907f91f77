/** read_file: the text of one workspace file, whole or a line range, with size caps. */
import type { JsonSchema } from './argumentValidation.ts';
import type { ToolContext, WorkspaceTool } from './tool.ts';
import { readCall, ToolError } from './tool.ts';
import { decodeUtf8, formatBytes, looksBinary, splitLines } from './textFiles.ts';

export interface ReadFileInput {
  path: string;
  /** 1-based, inclusive. */
  start_line?: number;
  end_line?: number;
}

export const readFileParameters: JsonSchema = {
  type: 'object',
  properties: {
    path: { type: 'string', minLength: 1, description: 'File path relative to the workspace root, e.g. "src/index.ts".' },
    start_line: { type: 'integer', minimum: 1, description: 'First line to return (1-based). Default 1.' },
    end_line: { type: 'integer', minimum: 1, description: 'Last line to return (inclusive). Default: as many lines as fit.' },
  },
  required: ['path'],
  additionalProperties: false,
};

export const readFileTool: WorkspaceTool<ReadFileInput> = {
  name: 'read_file',
  access: 'read',
  description:
    'Read a text file from the workspace. Returns the file content exactly as stored (no line numbers), after a one-line header giving the line range. ' +
    'Large files come back in parts: the header says which lines were returned and how to ask for the next ones. Use start_line/end_line to read part of a file. ' +
    'Before apply_edit, read the lines you will change so the search text matches exactly.',
  parameters: readFileParameters,
  async prepare(input, context) {
    const target = await context.paths.resolve(input.path);
    return readCall({ reads: [target] }, `Read ${target.display}`, async () => readLines(context, target.real, target.display, input));
  },
};

async function readLines(context: ToolContext, real: string, display: string, input: ReadFileInput): Promise<string> {
  const stat = await context.files.stat(real);
  if (!stat) throw new ToolError(`File not found: ${display}. Use list_files to see which paths exist.`);
  if (stat.type === 'directory') throw new ToolError(`${display} is a directory, not a file. Use list_files with path "${display}" to see its contents.`);
  if (stat.size > context.config.maxReadFileBytes) {
    throw new ToolError(`${display} is too large to read (${formatBytes(stat.size)}; the limit is ${formatBytes(context.config.maxReadFileBytes)}). Use search_text with path "${display}" to find the part you need.`);
  }
  const bytes = await context.files.readFile(real);
  if (looksBinary(bytes)) throw new ToolError(`${display} is a binary file (${formatBytes(bytes.length)}); read_file only returns text.`);
  const decoded = decodeUtf8(bytes);
  if (!decoded) throw new ToolError(`${display} is not UTF-8 text; read_file only returns UTF-8 files.`);

  const { lines } = splitLines(decoded.text);
  // A final newline does not start another line worth showing.
  const total = lines.length > 1 && lines[lines.length - 1] === '' ? lines.length - 1 : lines.length;
  if (total === 0 || decoded.text === '') return `${display} is empty (0 lines).`;
  const start = input.start_line ?? 1;
  if (start > total) throw new ToolError(`${display} has ${total} lines; start_line ${start} is past the end.`);
  if (input.end_line !== undefined && input.end_line < start) throw new ToolError(`end_line (${input.end_line}) is before start_line (${start}).`);
  const wantedEnd = Math.min(input.end_line ?? total, total);
  const lineCap = start - 1 + context.config.maxReadLines;
  let end = Math.min(wantedEnd, lineCap);
  let chars = 0;
  for (let index = start - 1; index < end; index++) {
    chars += lines[index]!.length + 1;
    if (chars > context.config.maxReadChars && index > start - 1) {
      end = index;
      break;
    }
  }
  let body = lines.slice(start - 1, end).join('\n');
  if (body.length > context.config.maxReadChars) {
    // Only a single enormous line (minified code, data) gets here.
    body = `${body.slice(0, context.config.maxReadChars)}\n[Line ${start} is ${body.length} characters long; only the first ${context.config.maxReadChars} are shown. Use search_text to find text in it.]`;
  }
  const header = start === 1 && end === total ? `${display} (${total} lines)` : `${display} (lines ${start}-${end} of ${total})`;
  const more = end < wantedEnd ? `\n[Stopped at line ${end} to stay within the read limit. Call read_file with start_line=${end + 1} to continue.]` : '';
  return `${header}\n${body}${more}`;
}
