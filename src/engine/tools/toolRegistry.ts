/**
 * Name → tool. Turns what the model sent (a name and a JSON string) into a prepared call, and
 * unknown names or malformed arguments into errors the model can read and correct.
 */
import type { ToolDefinition } from '../types/tools.ts';
import { parseToolArguments, withoutNulls } from './argumentValidation.ts';
import type { PreparedCall, ToolAccess, ToolContext, WorkspaceTool } from './tool.ts';
import { ToolError } from './tool.ts';

export class ToolRegistry {
  readonly #tools = new Map<string, WorkspaceTool>();

  register<Input>(tool: WorkspaceTool<Input>): this {
    if (this.#tools.has(tool.name)) throw new Error(`Tool ${tool.name} is registered twice.`);
    this.#tools.set(tool.name, tool as WorkspaceTool);
    return this;
  }

  get(name: string): WorkspaceTool | undefined {
    return this.#tools.get(name);
  }

  names(): string[] {
    return [...this.#tools.keys()];
  }

  /** v2 function-tool definitions, optionally only tools with the given access (an untrusted workspace offers only 'read'). */
  definitions(access?: readonly ToolAccess[]): ToolDefinition[] {
    return [...this.#tools.values()]
      .filter((tool) => !access || access.includes(tool.access))
      .map((tool) => ({ type: 'function', function: { name: tool.name, description: tool.description, parameters: { ...tool.parameters } as Record<string, unknown> } }));
  }

  /** Throws ToolError (for the model) on an unknown tool, bad JSON, invalid arguments or a failed preparation. */
  async prepare(name: string, argumentsJson: string, context: ToolContext): Promise<PreparedCall> {
    const tool = this.#tools.get(name);
    if (!tool) throw new ToolError(`There is no tool named "${name}". Available tools: ${this.names().join(', ')}.`);
    const input = withoutNulls(parseToolArguments(name, tool.parameters, argumentsJson));
    return tool.prepare(input, context);
  }
}
