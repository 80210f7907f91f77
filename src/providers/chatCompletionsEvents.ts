/**
 * Chat Completions chunks → model events. Tool calls get our own per-turn index: the wire's
 * `index` is trusted to group fragments, but some compatible servers put every call at index 0,
 * so a new id at a known index starts a new call. Usage and the finish reason are held back and
 * emitted last, once the stream has really ended.
 */
import type { ChatCompletionChunk } from 'openai/resources/chat/completions';
import type { FinishReason, ModelEvent } from '../engine/ports/modelBackend.ts';
import { ModelError } from '../engine/ports/modelBackend.ts';
import type { ChunkMapper } from './streamAttempt.ts';

const FINISH_REASONS: Record<string, FinishReason> = {
  stop: 'stop',
  length: 'length',
  tool_calls: 'tool_calls',
  function_call: 'tool_calls',
  content_filter: 'content_filter',
};

type ToolCallDelta = NonNullable<ChatCompletionChunk.Choice.Delta['tool_calls']>[number];

export class ChatCompletionsEventMapper implements ChunkMapper<ChatCompletionChunk> {
  /** Wire index → (our index, provider id) of the call currently open at that wire index. */
  private readonly openCalls = new Map<number, { index: number; id: string }>();
  private toolCallCount = 0;
  private finishReason: string | undefined;
  private usage: { promptTokens: number; completionTokens: number } | undefined;

  map(chunk: ChatCompletionChunk): ModelEvent[] {
    const events: ModelEvent[] = [];
    if (chunk.usage) this.usage = { promptTokens: chunk.usage.prompt_tokens ?? 0, completionTokens: chunk.usage.completion_tokens ?? 0 };
    const choice = chunk.choices?.find((candidate) => (candidate.index ?? 0) === 0);
    if (!choice) return events;
    const delta = choice.delta ?? {};
    if (typeof delta.content === 'string' && delta.content !== '') events.push({ type: 'text', delta: delta.content });
    // A refusal is what the model said instead of an answer; the user should read it.
    if (typeof delta.refusal === 'string' && delta.refusal !== '') events.push({ type: 'text', delta: delta.refusal });
    for (const call of delta.tool_calls ?? []) this.mapToolCall(call, events);
    if (choice.finish_reason) this.finishReason = choice.finish_reason;
    return events;
  }

  private mapToolCall(call: ToolCallDelta, events: ModelEvent[]): void {
    const wireIndex = call.index ?? 0;
    let open = this.openCalls.get(wireIndex);
    if (!open || (call.id && call.id !== open.id)) {
      const index = this.toolCallCount++;
      open = { index, id: call.id || `call_${index}` };
      this.openCalls.set(wireIndex, open);
      events.push({ type: 'toolCallStart', index, id: open.id, name: call.function?.name ?? '' });
    }
    const fragment = call.function?.arguments;
    if (fragment) events.push({ type: 'toolCallArguments', index: open.index, delta: fragment });
  }

  finish(): ModelEvent[] {
    if (this.finishReason === undefined) {
      throw new ModelError('server_error', 'The model server ended the response before it was complete (no finish reason was sent).');
    }
    let reason = FINISH_REASONS[this.finishReason] ?? 'stop';
    // Some compatible servers answer tool calls with finish_reason "stop"; the calls are what matter.
    if (reason === 'stop' && this.toolCallCount > 0) reason = 'tool_calls';
    const events: ModelEvent[] = [];
    if (this.usage) events.push({ type: 'usage', ...this.usage });
    events.push({ type: 'finish', reason });
    return events;
  }
}
