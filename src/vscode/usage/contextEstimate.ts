/**
 * What the next run on a thread will send, in tokens, before it is sent: instructions, tool
 * definitions and the thread's messages, counted with the engine's own tokenizer (o200k_base), so
 * the meter agrees with how the engine truncates. Other vendors' tokenizers differ by a few per
 * cent; the meter says "about". No `vscode` import.
 */
import type { ModelTool } from '../../engine/ports/modelBackend.ts';
import { messageText } from '../../engine/messages/messageContent.ts';
import { countMessage, countText, countTools } from '../../engine/runs/tokenCounter.ts';
import type { Message } from '../../engine/types/message.ts';
import type { ToolDefinition } from '../../engine/types/tools.ts';

export interface ContextEstimate {
  instructions: number;
  tools: number;
  messages: number;
  total: number;
  /** The model's window, when known. */
  window: number | null;
}

export function estimateContext(input: { instructions: string; tools: readonly ToolDefinition[]; messages: readonly Message[]; window: number | null }): ContextEstimate {
  const instructions = countText(input.instructions);
  const tools = countTools(input.tools.flatMap(modelTool));
  const messages = input.messages.reduce((sum, message) => sum + countMessage({ role: message.role, content: messageText(message.content) }), 0);
  return { instructions, tools, messages, total: instructions + tools + messages, window: input.window };
}

function modelTool(tool: ToolDefinition): ModelTool[] {
  if (tool.type !== 'function') return [];
  return [{ name: tool.function.name, ...(tool.function.description ? { description: tool.function.description } : {}), parameters: tool.function.parameters ?? {} }];
}

/** "3.2k / 128k tokens (2%)", or "3.2k tokens" when the window is unknown. */
export function describeContext(estimate: ContextEstimate, format: (count: number) => string): string {
  if (estimate.window === null || estimate.window <= 0) return `${format(estimate.total)} tokens`;
  const share = Math.round((estimate.total / estimate.window) * 100);
  return `${format(estimate.total)} / ${format(estimate.window)} tokens (${share}%)`;
}
