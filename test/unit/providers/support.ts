/** Shared helpers for the provider tests: draining a model stream and reading what it said. */
import type { ModelEvent, ModelRequest } from '../../../src/engine/ports/modelBackend.ts';

export const KINDS = ['chat-completions', 'responses'] as const;

/** Small retry delays keep the fault tests fast. */
export const FAST_RETRIES = { maxAttempts: 3, retryBaseDelayMs: 2 };

export function modelRequest(overrides: Partial<ModelRequest> = {}): ModelRequest {
  return {
    model: 'scripted-chat-model',
    instructions: 'You are terse.',
    messages: [{ role: 'user', content: 'Say hello.' }],
    tools: [],
    toolChoice: 'auto',
    parallelToolCalls: true,
    ...overrides,
  };
}

export async function drain(stream: AsyncIterable<ModelEvent>): Promise<{ events: ModelEvent[]; error: unknown }> {
  const events: ModelEvent[] = [];
  try {
    for await (const event of stream) events.push(event);
    return { events, error: undefined };
  } catch (error) {
    return { events, error };
  }
}

export function textOf(events: ModelEvent[]): string {
  return events.map((event) => (event.type === 'text' ? event.delta : '')).join('');
}

export function textDeltaCount(events: ModelEvent[]): number {
  return events.filter((event) => event.type === 'text').length;
}

export interface AssembledCall {
  index: number;
  id: string;
  name: string;
  arguments: string;
}

/** Rebuilds tool calls from start/argument events, checking every fragment refers to a started call. */
export function toolCallsOf(events: ModelEvent[]): AssembledCall[] {
  const calls: AssembledCall[] = [];
  for (const event of events) {
    if (event.type === 'toolCallStart') calls[event.index] = { index: event.index, id: event.id, name: event.name, arguments: '' };
    if (event.type === 'toolCallArguments') {
      const call = calls[event.index];
      if (!call) throw new Error(`arguments for tool call ${event.index} arrived before its start`);
      call.arguments += event.delta;
    }
  }
  return calls;
}

export function finishOf(events: ModelEvent[]): string | undefined {
  const last = events.at(-1);
  return last?.type === 'finish' ? last.reason : undefined;
}

export function usageOf(events: ModelEvent[]): { promptTokens: number; completionTokens: number } | undefined {
  const usage = events.find((event) => event.type === 'usage');
  return usage?.type === 'usage' ? { promptTokens: usage.promptTokens, completionTokens: usage.completionTokens } : undefined;
}
