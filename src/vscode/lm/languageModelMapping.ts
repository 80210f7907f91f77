/**
 * The translation between the engine's model port and VS Code's Language Model API, kept free of
 * the `vscode` import: messages are built through a small factory (the real one makes
 * `vscode.LanguageModelChatMessage`s), and response parts are recognised by shape, so plain-Node
 * tests check the mapping both ways.
 *
 * VS Code's chat messages have only user and assistant roles, so the instructions go first as a
 * user message; tool results are user messages of result parts, consecutive results in one message.
 */
import type { ModelEvent, ModelMessage, ModelRequest } from '../../engine/ports/modelBackend.ts';

export interface LanguageModelPartFactory<Message> {
  user(parts: Array<{ text: string } | { toolResult: { callId: string; text: string } }>): Message;
  assistant(parts: Array<{ text: string } | { toolCall: { callId: string; name: string; input: object } }>): Message;
}

export interface LanguageModelToolSpec {
  name: string;
  description: string;
  inputSchema: object;
}

export interface MappedRequest<Message> {
  messages: Message[];
  tools: LanguageModelToolSpec[];
  /** 'required' forces a tool call; a forced named tool is the only tool offered. */
  toolMode: 'auto' | 'required';
}

export function mapRequest<Message>(request: ModelRequest, factory: LanguageModelPartFactory<Message>): MappedRequest<Message> {
  const messages: Message[] = [];
  if (request.instructions.trim().length > 0) messages.push(factory.user([{ text: `Instructions for this conversation:\n\n${request.instructions}` }]));
  let pendingResults: Array<{ toolResult: { callId: string; text: string } }> = [];
  const flushResults = (): void => {
    if (pendingResults.length > 0) messages.push(factory.user(pendingResults));
    pendingResults = [];
  };
  for (const message of request.messages) {
    if (message.role === 'tool') {
      pendingResults.push({ toolResult: { callId: message.toolCallId, text: message.content } });
      continue;
    }
    flushResults();
    messages.push(mapMessage(message, factory));
  }
  flushResults();

  const choice = request.toolChoice;
  let tools = choice === 'none' ? [] : request.tools.map((tool) => ({ name: tool.name, description: tool.description ?? tool.name, inputSchema: tool.parameters }));
  if (typeof choice === 'object') tools = tools.filter((tool) => tool.name === choice.name);
  return { messages, tools, toolMode: choice === 'required' || typeof choice === 'object' ? 'required' : 'auto' };
}

function mapMessage<Message>(message: Exclude<ModelMessage, { role: 'tool' }>, factory: LanguageModelPartFactory<Message>): Message {
  if (message.role === 'assistant') {
    const parts: Array<{ text: string } | { toolCall: { callId: string; name: string; input: object } }> = [];
    if (message.content.length > 0) parts.push({ text: message.content });
    for (const call of message.toolCalls ?? []) parts.push({ toolCall: { callId: call.id, name: call.name, input: parseArguments(call.arguments) } });
    return factory.assistant(parts.length > 0 ? parts : [{ text: '' }]);
  }
  if (typeof message.content === 'string') return factory.user([{ text: message.content }]);
  // The API takes no images from us here; the model is told one was there.
  return factory.user(message.content.map((part) => ({ text: part.type === 'text' ? part.text : '[an image was attached here; this model connection cannot show it]' })));
}

function parseArguments(text: string): object {
  try {
    const value = JSON.parse(text) as unknown;
    return typeof value === 'object' && value !== null ? value : { value };
  } catch {
    return { arguments: text };
  }
}

/**
 * Turns the response stream's parts into model events. Text parts carry `value`; tool-call parts
 * carry `callId`, `name` and a complete `input` object (VS Code does not stream arguments), so each
 * call becomes a start and one arguments event. Unknown parts (future data parts) are skipped.
 */
export async function* mapResponseStream(parts: AsyncIterable<unknown>): AsyncIterable<ModelEvent> {
  let calls = 0;
  for await (const part of parts) {
    if (isToolCallPart(part)) {
      const index = calls++;
      yield { type: 'toolCallStart', index, id: part.callId, name: part.name };
      yield { type: 'toolCallArguments', index, delta: JSON.stringify(part.input ?? {}) };
    } else if (isTextPart(part) && part.value.length > 0) {
      yield { type: 'text', delta: part.value };
    }
  }
  yield { type: 'finish', reason: calls > 0 ? 'tool_calls' : 'stop' };
}

function isTextPart(part: unknown): part is { value: string } {
  return typeof part === 'object' && part !== null && typeof (part as { value?: unknown }).value === 'string';
}

function isToolCallPart(part: unknown): part is { callId: string; name: string; input: object } {
  const candidate = part as { callId?: unknown; name?: unknown };
  return typeof part === 'object' && part !== null && typeof candidate.callId === 'string' && typeof candidate.name === 'string';
}
