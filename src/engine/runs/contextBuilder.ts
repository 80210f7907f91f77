/**
 * Builds one model call from a run (docs/assistants-v2.md §4.3): the effective instructions,
 * the thread's messages truncated by the run's strategy and budget, then this run's own steps
 * (its tool calls and their outputs), the tools and the tool choice.
 */
import type { BuiltinTool, ToolScope } from '../ports/builtinTool.ts';
import type { ModelContentPart, ModelMessage, ModelRequest, ModelResponseFormat, ModelTool, ModelToolChoice, ProviderItem } from '../ports/modelBackend.ts';
import type { Message } from '../types/message.ts';
import type { Run } from '../types/run.ts';
import type { RunStep, ToolCall } from '../types/runStep.ts';
import { messageText } from '../messages/messageContent.ts';
import { countMessage, countText, countTools } from './tokenCounter.ts';

export class PromptBudgetExceeded extends Error {
  readonly needed: number;
  readonly available: number;
  constructor(needed: number, available: number) {
    super(`The prompt needs ${needed} tokens but the run has ${available} left.`);
    this.needed = needed;
    this.available = available;
  }
}

/** What a built-in tool call looked like to the model: kept beside the step, which stays pure v2. */
export interface ModelFacingCall {
  arguments: string;
  output: string;
}

export interface ContextInputs {
  run: Run;
  /** The thread's messages that precede this run's own output, oldest first. */
  history: Message[];
  /** This run's steps so far, oldest first, with the messages they created. */
  steps: RunStep[];
  runMessages: Map<string, Message>;
  /** Arguments and outputs of built-in tool calls, by call id. */
  modelFacingCalls: ReadonlyMap<string, ModelFacingCall>;
  /** What the provider asked to get back with each tool_calls step, by step id. */
  providerItems: ReadonlyMap<string, ProviderItem[]>;
  builtinTools: ReadonlyMap<string, BuiltinTool>;
  /** The thread and assistant, for tools that describe their resources (files in /mnt/data). */
  scope: ToolScope;
  /** Whether this is the run's first model call: a forced tool choice applies to it alone. */
  firstCall: boolean;
  contextWindow: number;
  /** Prompt tokens the run may still spend (max_prompt_tokens minus what earlier calls used). */
  promptBudget: number | null;
  maxOutputTokens: number | undefined;
  /** Resolves an image_file part to something a vision model can read. */
  imageUrlFor?: (fileId: string) => string | undefined;
}

export function buildModelRequest(inputs: ContextInputs): ModelRequest {
  const { run } = inputs;
  const tools = run.tool_choice === 'none' ? [] : modelTools(run, inputs.builtinTools, inputs.scope);
  const instructions = [run.instructions, ...builtinInstructions(run, inputs.builtinTools, inputs.scope)].filter((part) => part.length > 0).join('\n\n');
  const runItems = stepsToMessages(inputs.steps, inputs.runMessages, inputs.modelFacingCalls, inputs.providerItems);
  const history = inputs.history.map((message) => toModelMessage(message, inputs.imageUrlFor));

  const windowBudget = inputs.contextWindow - (inputs.maxOutputTokens ?? Math.min(4096, Math.floor(inputs.contextWindow / 4)));
  const budget = inputs.promptBudget === null ? windowBudget : Math.min(windowBudget, inputs.promptBudget);
  let kept = lastMessages(history, run);
  // A token is at least one character, so a prompt with fewer characters than the budget fits
  // without tokenizing anything: the common case costs nothing on the way to the first token.
  if (characterBound(instructions, tools, [...kept, ...runItems]) > budget) {
    const fixedCost = countText(instructions) + countTools(tools) + runItems.reduce((sum, item) => sum + countMessage(item), 0);
    if (run.truncation_strategy.type === 'auto') kept = dropFromMiddle(kept, budget - fixedCost);
    const needed = fixedCost + kept.reduce((sum, message) => sum + countMessage(message), 0);
    if (inputs.promptBudget !== null && needed > inputs.promptBudget) throw new PromptBudgetExceeded(needed, inputs.promptBudget);
  }

  const request: ModelRequest = {
    model: run.model,
    instructions,
    messages: [...kept, ...runItems],
    tools,
    toolChoice: tools.length === 0 ? 'none' : toolChoice(run, inputs.firstCall),
    parallelToolCalls: run.parallel_tool_calls,
  };
  const format = responseFormat(run);
  if (format) request.responseFormat = format;
  if (run.temperature !== null && run.temperature !== undefined) request.temperature = run.temperature;
  if (run.top_p !== null && run.top_p !== undefined) request.topP = run.top_p;
  if (inputs.maxOutputTokens !== undefined) request.maxOutputTokens = inputs.maxOutputTokens;
  if (run.reasoning_effort) request.reasoningEffort = run.reasoning_effort;
  return request;
}

/** `last_messages` keeps only the N most recent messages of the thread. */
function lastMessages(history: ModelMessage[], run: Run): ModelMessage[] {
  const count = run.truncation_strategy.type === 'last_messages' ? run.truncation_strategy.last_messages : null;
  return count === null ? history : history.slice(-count);
}

/**
 * `auto` drops from the middle (after the first message, which usually states the task) until
 * the rest fits the budget.
 */
function dropFromMiddle(history: ModelMessage[], budget: number): ModelMessage[] {
  let total = history.reduce((sum, message) => sum + countMessage(message), 0);
  const result = [...history];
  while (result.length > 1 && total > budget) {
    const dropIndex = result.length > 2 ? 1 : 0;
    total -= countMessage(result[dropIndex]!);
    result.splice(dropIndex, 1);
  }
  return result;
}

/** An upper bound on the prompt's tokens: its characters plus per-message framing. */
function characterBound(instructions: string, tools: ModelTool[], messages: ModelMessage[]): number {
  let total = instructions.length + JSON.stringify(tools).length;
  for (const message of messages) total += JSON.stringify(message).length + 8;
  return total;
}

export function toModelMessage(message: Message, imageUrlFor?: (fileId: string) => string | undefined): ModelMessage {
  if (message.role === 'assistant') return { role: 'assistant', content: messageText(message.content) };
  const images = message.content.filter((part) => part.type === 'image_url' || part.type === 'image_file');
  if (images.length === 0) return { role: 'user', content: messageText(message.content) };
  const parts: ModelContentPart[] = [];
  for (const part of message.content) {
    if (part.type === 'text') parts.push({ type: 'text', text: part.text.value });
    else if (part.type === 'image_url') parts.push({ type: 'image_url', url: part.image_url.url });
    else if (part.type === 'image_file') {
      const url = imageUrlFor?.(part.image_file.file_id);
      if (url) parts.push({ type: 'image_url', url });
    }
  }
  return { role: 'user', content: parts };
}

/** This run's own turns: what it said, which tools it called, and what they returned. */
function stepsToMessages(
  steps: RunStep[],
  runMessages: Map<string, Message>,
  modelFacing: ReadonlyMap<string, ModelFacingCall>,
  providerItems: ReadonlyMap<string, ProviderItem[]>,
): ModelMessage[] {
  const items: ModelMessage[] = [];
  for (const step of steps) {
    if (step.step_details.type === 'message_creation') {
      const message = runMessages.get(step.step_details.message_creation.message_id);
      const text = message ? messageText(message.content) : '';
      if (text) items.push({ role: 'assistant', content: text });
      continue;
    }
    const calls = step.step_details.tool_calls;
    if (calls.length === 0) continue;
    const replay = providerItems.get(step.id);
    items.push({
      role: 'assistant',
      content: '',
      toolCalls: calls.map((call) => ({ id: call.id, name: call.type === 'function' ? call.function.name : call.type, arguments: toolArguments(call, modelFacing) })),
      ...(replay && replay.length > 0 ? { providerItems: replay } : {}),
    });
    for (const call of calls) items.push({ role: 'tool', toolCallId: call.id, content: toolOutput(call, modelFacing) });
  }
  return items;
}

function toolArguments(call: ToolCall, modelFacing: ReadonlyMap<string, ModelFacingCall>): string {
  if (call.type === 'function') return call.function.arguments;
  return modelFacing.get(call.id)?.arguments ?? (call.type === 'code_interpreter' ? JSON.stringify({ code: call.code_interpreter.input }) : '{}');
}

function toolOutput(call: ToolCall, modelFacing: ReadonlyMap<string, ModelFacingCall>): string {
  if (call.type === 'function') return call.function.output ?? '';
  const recorded = modelFacing.get(call.id)?.output;
  if (recorded !== undefined) return recorded;
  if (call.type === 'code_interpreter') return call.code_interpreter.outputs.map((output) => (output.type === 'logs' ? output.logs : `[image ${output.image.file_id}]`)).join('\n');
  return JSON.stringify(call.file_search.results ?? []);
}

function modelTools(run: Run, builtins: ReadonlyMap<string, BuiltinTool>, scope: ToolScope): ModelTool[] {
  const tools: ModelTool[] = [];
  for (const tool of run.tools) {
    if (tool.type === 'function') {
      tools.push({
        name: tool.function.name,
        ...(tool.function.description !== undefined ? { description: tool.function.description } : {}),
        parameters: tool.function.parameters ?? { type: 'object', properties: {} },
        ...(tool.function.strict ? { strict: true } : {}),
      });
      continue;
    }
    const builtin = builtins.get(tool.type);
    if (builtin) tools.push(builtin.modelTool(tool, scope));
  }
  return tools;
}

function builtinInstructions(run: Run, builtins: ReadonlyMap<string, BuiltinTool>, scope: ToolScope): string[] {
  if (run.tool_choice === 'none') return [];
  return run.tools.flatMap((tool) => {
    if (tool.type === 'function') return [];
    const builtin = builtins.get(tool.type);
    return builtin ? [builtin.instructions(tool, scope)] : [];
  });
}

function toolChoice(run: Run, firstCall: boolean): ModelToolChoice {
  const choice = run.tool_choice;
  if (choice === 'none' || choice === 'auto') return choice;
  // A forced choice would make every later turn call a tool again and never answer.
  if (!firstCall) return 'auto';
  if (choice === 'required') return 'required';
  if (choice.type === 'function') return { name: choice.function.name };
  return { name: choice.type };
}

function responseFormat(run: Run): ModelResponseFormat | undefined {
  const format = run.response_format;
  if (format === 'auto' || format.type === 'text') return undefined;
  if (format.type === 'json_object') return { type: 'json_object' };
  return {
    type: 'json_schema',
    name: format.json_schema.name,
    ...(format.json_schema.description !== undefined ? { description: format.json_schema.description } : {}),
    ...(format.json_schema.schema !== undefined ? { schema: format.json_schema.schema } : {}),
    ...(format.json_schema.strict ? { strict: true } : {}),
  };
}
