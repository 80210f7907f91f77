/** apply_edit: search/replace blocks on one file, matched by the layered matcher in editMatching.ts. */
import type { JsonSchema } from './argumentValidation.ts';
import type { AppliedBlock, EditBlock } from './editMatching.ts';
import { applyEditBlocks } from './editMatching.ts';
import { assertUnchanged, readIfExists, sha256 } from './fileSnapshot.ts';
import { diffLines, formatUnifiedDiff } from './lineDiff.ts';
import type { WorkspaceTool } from './tool.ts';
import { ToolError } from './tool.ts';
import { decodeUtf8, encodeUtf8, looksBinary, toLines, toLf } from './textFiles.ts';

export interface ApplyEditInput {
  path: string;
  edits: EditBlock[];
}

export const applyEditParameters: JsonSchema = {
  type: 'object',
  properties: {
    path: { type: 'string', minLength: 1, description: 'File to edit, relative to the workspace root.' },
    edits: {
      type: 'array',
      minItems: 1,
      maxItems: 30,
      description: 'Blocks applied in order; each search must match exactly one place in the file as it is after the previous blocks.',
      items: {
        type: 'object',
        properties: {
          search: { type: 'string', minLength: 1, description: 'Existing text to replace, copied exactly from the file, with enough lines to be unique.' },
          replace: { type: 'string', description: 'New text for that place. Empty string deletes it.' },
        },
        required: ['search', 'replace'],
        additionalProperties: false,
      },
    },
  },
  required: ['path', 'edits'],
  additionalProperties: false,
};

/** Lines of diff sent back to the model; the approval view shows all of it. */
const DIFF_LINES_FOR_MODEL = 80;

export const applyEditTool: WorkspaceTool<ApplyEditInput> = {
  name: 'apply_edit',
  access: 'write',
  description:
    'Edit an existing file by replacing text. Each edit has "search" (existing text copied exactly from the file, whole lines or part of a line, with enough context to match one place) and "replace" (the new text). ' +
    'Differences in indentation, trailing spaces and line endings are tolerated; anything else must match. If a search is not found or matches several places, nothing is changed and the error says why. ' +
    'Returns the diff of what changed. Use create_file for new files.',
  parameters: applyEditParameters,
  async prepare(input, context) {
    const target = await context.paths.resolve(input.path);
    const original = await readIfExists(context.files, target);
    if (original === undefined) throw new ToolError(`File not found: ${target.display}. Use create_file to make a new file, or list_files to see which paths exist.`);
    if (looksBinary(original)) throw new ToolError(`${target.display} is a binary file; apply_edit only edits text.`);
    const decoded = decodeUtf8(original);
    if (!decoded) throw new ToolError(`${target.display} is not UTF-8 text; apply_edit only edits UTF-8 files.`);

    const result = applyEditBlocks(decoded.text, input.edits, { fuzzyThreshold: context.config.fuzzyEditThreshold, path: target.display });
    if (!result.ok) throw new ToolError(result.message);
    if (result.text === decoded.text) throw new ToolError(`The edit leaves ${target.display} unchanged (each replacement equals the text it replaces). Nothing was written.`);

    const updated = encodeUtf8(result.text, decoded.hasBom);
    const summary = diffLines(toLines(decoded.text), toLines(result.text));
    const originalHash = sha256(original);
    return {
      facts: { access: 'write', reads: [target], writes: [target] },
      preview: { title: `Edit ${target.display} (+${summary.added} −${summary.removed})`, diff: formatUnifiedDiff(target.display, summary), proposed: { path: target.real, content: result.text } },
      async execute() {
        await assertUnchanged(context.files, target, originalHash);
        await context.files.writeFile(target.real, updated);
        const reread = await context.files.readFile(target.real);
        const text = decodeUtf8(reread)?.text;
        const missing = result.blocks.filter((block) => block.replacement !== '' && !toLf(text ?? '').includes(block.replacement));
        if (sha256(reread) !== sha256(updated) || missing.length > 0) {
          throw new ToolError(`The edit to ${target.display} was written, but reading the file back does not show it; another program may be changing the file. Read it again before continuing.`);
        }
        const diff = formatUnifiedDiff(target.display, summary, { maxLines: DIFF_LINES_FOR_MODEL });
        return `Edited ${target.display}: ${describeBlocks(result.blocks)}; +${summary.added} −${summary.removed} lines.\n${diff}`;
      },
    };
  },
};

function describeBlocks(blocks: readonly AppliedBlock[]): string {
  const parts = blocks.map((block) => {
    const lines = block.startLine === block.endLine ? `line ${block.startLine}` : `lines ${block.startLine}-${block.endLine}`;
    const how = block.tier === 'exact' ? 'exact match'
      : block.tier === 'whitespace' ? 'matched ignoring whitespace'
      : block.tier === 'html_entities' ? 'matched after decoding HTML entities (&lt; → <) in your text'
      : `fuzzy match, ${Math.round(block.similarity * 100)}% similar — check the diff`;
    return blocks.length > 1 ? `block ${block.index + 1} at ${lines} (${how})` : `${lines} (${how})`;
  });
  return parts.join('; ');
}
