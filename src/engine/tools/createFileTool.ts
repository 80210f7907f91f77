/** create_file: writes a new file (parent directories included); overwriting needs an explicit flag. */
import type { JsonSchema } from './argumentValidation.ts';
import { assertUnchanged, readIfExists, sha256 } from './fileSnapshot.ts';
import { diffLines, formatUnifiedDiff } from './lineDiff.ts';
import type { WorkspaceTool } from './tool.ts';
import { ToolError } from './tool.ts';
import { decodeUtf8, encodeUtf8, toLines } from './textFiles.ts';

export interface CreateFileInput {
  path: string;
  content: string;
  /** Replace an existing file's whole content. Default false. */
  overwrite?: boolean;
}

export const createFileParameters: JsonSchema = {
  type: 'object',
  properties: {
    path: { type: 'string', minLength: 1, description: 'Path of the new file, relative to the workspace root. Missing directories are created.' },
    content: { type: 'string', description: 'The complete file content.' },
    overwrite: { type: 'boolean', description: 'Replace the file if it exists (default false). Prefer apply_edit for changes to existing files.' },
  },
  required: ['path', 'content'],
  additionalProperties: false,
};

export const createFileTool: WorkspaceTool<CreateFileInput> = {
  name: 'create_file',
  access: 'write',
  description: 'Create a new file with the given content. Fails if the file exists unless overwrite is true; to change part of an existing file use apply_edit.',
  parameters: createFileParameters,
  async prepare(input, context) {
    const target = await context.paths.resolve(input.path);
    const existing = await readIfExists(context.files, target);
    if (existing !== undefined && !input.overwrite) {
      throw new ToolError(`${target.display} already exists. Use apply_edit to change it, or call create_file with overwrite: true to replace all of its content.`);
    }
    const oldText = existing === undefined ? '' : decodeUtf8(existing)?.text ?? '';
    const content = encodeUtf8(input.content, existing !== undefined && decodeUtf8(existing)?.hasBom === true);
    const summary = diffLines(existing === undefined ? [] : toLines(oldText), toLines(input.content));
    const expected = existing === undefined ? undefined : sha256(existing);
    const verb = existing === undefined ? 'Create' : 'Overwrite';
    return {
      facts: { access: 'write', reads: [], writes: [target] },
      preview: { title: `${verb} ${target.display} (${toLines(input.content).length} lines)`, diff: formatUnifiedDiff(target.display, summary, { oldPath: existing === undefined ? '/dev/null' : target.display }), proposed: { path: target.real, content: input.content } },
      async execute() {
        await assertUnchanged(context.files, target, expected);
        await context.files.writeFile(target.real, content);
        const reread = await context.files.readFile(target.real);
        if (sha256(reread) !== sha256(content)) throw new ToolError(`${target.display} was written, but reading it back gives different content; another program may be changing it.`);
        return `${existing === undefined ? 'Created' : 'Overwrote'} ${target.display} (${content.length} bytes).`;
      },
    };
  },
};
