/**
 * Responses API stream events → model events. Function calls are numbered in the order their
 * output items appear; the id handed on is the `call_id` that a `function_call_output` answers.
 * Servers that skip argument deltas (sending only `.done` or the finished item) are covered too.
 * Finished reasoning items with encrypted content are handed on whole, to be sent back next call.
 */
import type { Response, ResponseFunctionToolCall, ResponseStreamEvent } from 'openai/resources/responses/responses';
import type { FinishReason, ModelErrorCode, ModelEvent } from '../engine/ports/modelBackend.ts';
import { ModelError } from '../engine/ports/modelBackend.ts';
import type { ChunkMapper } from './streamAttempt.ts';

interface OpenCall {
  index: number;
  /** Argument characters already handed on, so a closing event adds only what is missing. */
  sent: number;
}

type EventOf<Type extends ResponseStreamEvent['type']> = Extract<ResponseStreamEvent, { type: Type }>;
type Handlers = { [Type in ResponseStreamEvent['type']]?: (event: EventOf<Type>, events: ModelEvent[]) => void };

const INCOMPLETE_REASONS: Record<string, FinishReason> = {
  max_output_tokens: 'length',
  content_filter: 'content_filter',
};

const FAILURE_CODES: Record<string, ModelErrorCode> = {
  rate_limit_exceeded: 'rate_limit_exceeded',
  invalid_prompt: 'invalid_prompt',
};

export class ResponsesEventMapper implements ChunkMapper<ResponseStreamEvent> {
  private readonly calls = new Map<string, OpenCall>();
  private callCount = 0;
  private ending: { reason: FinishReason; response: Response } | undefined;

  private readonly handlers: Handlers = {
    'response.output_text.delta': (event, events) => {
      if (event.delta !== '') events.push({ type: 'text', delta: event.delta });
    },
    // A refusal is what the model said instead of an answer; the user should read it.
    'response.refusal.delta': (event, events) => {
      if (event.delta !== '') events.push({ type: 'text', delta: event.delta });
    },
    'response.output_item.added': (event, events) => {
      if (event.item.type === 'function_call') this.startCall(event.item, event.output_index, events);
    },
    'response.function_call_arguments.delta': (event, events) => {
      const call = this.callFor(event.item_id, event.output_index);
      if (call && event.delta !== '') {
        call.sent += event.delta.length;
        events.push({ type: 'toolCallArguments', index: call.index, delta: event.delta });
      }
    },
    'response.function_call_arguments.done': (event, events) => {
      const call = this.callFor(event.item_id, event.output_index);
      if (call) this.catchUp(call, event.arguments, events);
    },
    'response.output_item.done': (event, events) => {
      // Only a reasoning item that carries its encrypted content can be sent back with store: false.
      if (event.item.type === 'reasoning' && event.item.encrypted_content) events.push({ type: 'providerItem', item: { ...event.item } });
      if (event.item.type !== 'function_call') return;
      const call = this.callFor(event.item.id, event.output_index) ?? this.startCall(event.item, event.output_index, events);
      this.catchUp(call, event.item.arguments, events);
    },
    'response.completed': (event) => {
      const hasCalls = this.callCount > 0 || event.response.output.some((item) => item.type === 'function_call');
      this.ending = { reason: hasCalls ? 'tool_calls' : 'stop', response: event.response };
    },
    'response.incomplete': (event) => {
      const reason = INCOMPLETE_REASONS[event.response.incomplete_details?.reason ?? ''] ?? 'length';
      this.ending = { reason, response: event.response };
    },
    'response.failed': (event) => {
      const failure = event.response.error;
      const code = FAILURE_CODES[failure?.code ?? ''] ?? 'server_error';
      throw new ModelError(code, `The model failed to produce a response: ${failure?.message ?? 'no reason was given'}`);
    },
  };

  private keyOf(itemId: string | undefined, outputIndex: number): string {
    return itemId ?? `output-${outputIndex}`;
  }

  private startCall(item: ResponseFunctionToolCall, outputIndex: number, events: ModelEvent[]): OpenCall {
    const call: OpenCall = { index: this.callCount++, sent: 0 };
    this.calls.set(this.keyOf(item.id, outputIndex), call);
    this.calls.set(this.keyOf(undefined, outputIndex), call);
    events.push({ type: 'toolCallStart', index: call.index, id: item.call_id, name: item.name });
    this.catchUp(call, item.arguments, events);
    return call;
  }

  private callFor(itemId: string | undefined, outputIndex: number): OpenCall | undefined {
    return this.calls.get(this.keyOf(itemId, outputIndex)) ?? this.calls.get(this.keyOf(undefined, outputIndex));
  }

  private catchUp(call: OpenCall, fullArguments: string | undefined, events: ModelEvent[]): void {
    if (!fullArguments || fullArguments.length <= call.sent) return;
    events.push({ type: 'toolCallArguments', index: call.index, delta: fullArguments.slice(call.sent) });
    call.sent = fullArguments.length;
  }

  map(event: ResponseStreamEvent): ModelEvent[] {
    const events: ModelEvent[] = [];
    const handler = this.handlers[event.type] as ((event: ResponseStreamEvent, events: ModelEvent[]) => void) | undefined;
    handler?.(event, events);
    return events;
  }

  finish(): ModelEvent[] {
    if (!this.ending) {
      throw new ModelError('server_error', 'The model server ended the response before it was complete (no response.completed event was sent).');
    }
    const events: ModelEvent[] = [];
    const usage = this.ending.response.usage;
    if (usage) events.push({ type: 'usage', promptTokens: usage.input_tokens ?? 0, completionTokens: usage.output_tokens ?? 0 });
    events.push({ type: 'finish', reason: this.ending.reason });
    return events;
  }
}
