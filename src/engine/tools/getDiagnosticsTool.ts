/** get_diagnostics: errors and warnings the editor reports (VS Code only). */
import type { DiagnosticSeverity } from '../ports/editorContext.ts';
import type { JsonSchema } from './argumentValidation.ts';
import { requireEditor } from './editorTools.ts';
import type { WorkspaceTool } from './tool.ts';
import { readCall } from './tool.ts';

export interface GetDiagnosticsInput {
  /** One file; default every file with diagnostics. */
  path?: string;
  /** Lowest severity to include; default "warning". */
  severity?: 'error' | 'warning' | 'information' | 'hint';
}

export const getDiagnosticsParameters: JsonSchema = {
  type: 'object',
  properties: {
    path: { type: 'string', description: 'File to check, relative to the workspace root. Default: all files with problems.' },
    severity: { type: 'string', enum: ['error', 'warning', 'information', 'hint'], description: 'Lowest severity to include (default "warning").' },
  },
  additionalProperties: false,
};

const RANK: Record<DiagnosticSeverity, number> = { error: 0, warning: 1, information: 2, hint: 3 };
const MAX_DIAGNOSTICS = 200;

export const getDiagnosticsTool: WorkspaceTool<GetDiagnosticsInput> = {
  name: 'get_diagnostics',
  access: 'read',
  description: 'List compiler and linter problems the editor currently shows (the Problems panel), as "path:line:column severity message". Use after editing to check for errors.',
  parameters: getDiagnosticsParameters,
  async prepare(input, context) {
    const editor = requireEditor(context, 'get_diagnostics');
    const target = input.path === undefined ? undefined : await context.paths.resolve(input.path);
    return readCall({ reads: target ? [target] : [] }, `Problems${target ? ` in ${target.display}` : ''}`, async () => {
      const lowest = RANK[input.severity ?? 'warning'];
      const found = (await editor.getDiagnostics(target?.real)).filter((item) => RANK[item.severity] <= lowest);
      const lines = found.flatMap((item) => {
        const where = context.paths.displayOf(item.path);
        if (where === undefined) return [];
        return [`${where}:${item.line}:${item.column} ${item.severity} ${item.message}${item.source ? ` (${item.source}${item.code ? ` ${item.code}` : ''})` : ''}`];
      });
      if (lines.length === 0) return `No problems${target ? ` in ${target.display}` : ' in the workspace'} at severity ${input.severity ?? 'warning'} or above.`;
      const shown = lines.slice(0, MAX_DIAGNOSTICS);
      return `${lines.length} problems:\n${shown.join('\n')}${lines.length > shown.length ? `\n[${lines.length - shown.length} more not shown; pass path to see one file.]` : ''}`;
    });
  },
};
