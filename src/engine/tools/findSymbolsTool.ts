/** find_symbols: workspace symbols from the language servers (VS Code only). */
import type { JsonSchema } from './argumentValidation.ts';
import { requireEditor } from './editorTools.ts';
import type { WorkspaceTool } from './tool.ts';
import { readCall } from './tool.ts';

export interface FindSymbolsInput {
  query: string;
  max_results?: number;
}

export const findSymbolsParameters: JsonSchema = {
  type: 'object',
  properties: {
    query: { type: 'string', minLength: 1, description: 'Symbol name or part of it, e.g. "parseConfig" or "UserServ".' },
    max_results: { type: 'integer', minimum: 1, maximum: 200, description: 'At most this many symbols (default 50).' },
  },
  required: ['query'],
  additionalProperties: false,
};

export const findSymbolsTool: WorkspaceTool<FindSymbolsInput> = {
  name: 'find_symbols',
  access: 'read',
  description: 'Find functions, classes, methods and other symbols by name across the workspace, using the language servers. Returns "kind name — path:line".',
  parameters: findSymbolsParameters,
  async prepare(input, context) {
    const editor = requireEditor(context, 'find_symbols');
    return readCall({ reads: [] }, `Find symbols "${input.query}"`, async (signal) => {
      const symbols = await editor.findSymbols(input.query, input.max_results ?? 50, signal);
      const lines = symbols.flatMap((symbol) => {
        const where = context.paths.displayOf(symbol.path);
        if (where === undefined) return [];
        return [`${symbol.kind} ${symbol.containerName ? `${symbol.containerName}.` : ''}${symbol.name} — ${where}:${symbol.line}`];
      });
      if (lines.length === 0) return `No symbols match "${input.query}". Language servers index only some file types; try search_text.`;
      return `${lines.length} symbols matching "${input.query}":\n${lines.join('\n')}`;
    });
  },
};
