/** delete_file: removes one file (never a directory). The checkpoint keeps its content for restore. */
import type { JsonSchema } from './argumentValidation.ts';
import { assertUnchanged, readIfExists, sha256 } from './fileSnapshot.ts';
import type { WorkspaceTool } from './tool.ts';
import { ToolError } from './tool.ts';

export interface DeleteFileInput {
  path: string;
}

export const deleteFileParameters: JsonSchema = {
  type: 'object',
  properties: { path: { type: 'string', minLength: 1, description: 'File to delete, relative to the workspace root.' } },
  required: ['path'],
  additionalProperties: false,
};

export const deleteFileTool: WorkspaceTool<DeleteFileInput> = {
  name: 'delete_file',
  access: 'write',
  description: 'Delete one file from the workspace. Directories cannot be deleted with this tool.',
  parameters: deleteFileParameters,
  async prepare(input, context) {
    const target = await context.paths.resolve(input.path);
    const stat = await context.files.stat(target.real);
    if (!stat) throw new ToolError(`File not found: ${target.display}. Use list_files to see which paths exist.`);
    if (stat.type === 'directory') throw new ToolError(`${target.display} is a directory; delete_file removes single files only.`);
    const existing = await readIfExists(context.files, target);
    const expected = existing === undefined ? undefined : sha256(existing);
    return {
      facts: { access: 'write', reads: [], writes: [target] },
      preview: { title: `Delete ${target.display}` },
      async execute() {
        await assertUnchanged(context.files, target, expected);
        await context.files.deleteFile(target.real);
        return `Deleted ${target.display}.`;
      },
    };
  },
};
