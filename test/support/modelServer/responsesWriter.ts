/**
 * The Responses API wire format: the named SSE events of a streamed response (created, in_progress,
 * output items with their text and argument deltas, then completed or incomplete) and the
 * non-streamed `response` object. A `length` finish is a `response.incomplete` with
 * `incomplete_details.reason: 'max_output_tokens'`, as the real API reports a token cap.
 */
import type { PlannedToolCall, ReplyPlan } from './replyPlan.ts';
import type { SseEvent } from './sseStream.ts';

type Json = Record<string, unknown>;

const INCOMPLETE_REASON: Partial<Record<ReplyPlan['finishReason'], string>> = {
  length: 'max_output_tokens',
  content_filter: 'content_filter',
};

function echoedRequestFields(request: Json): Json {
  return {
    instructions: request.instructions ?? null,
    max_output_tokens: request.max_output_tokens ?? null,
    parallel_tool_calls: request.parallel_tool_calls ?? true,
    previous_response_id: null,
    reasoning: request.reasoning ?? { effort: null, summary: null },
    store: request.store ?? true,
    temperature: request.temperature ?? 1,
    text: request.text ?? { format: { type: 'text' } },
    tool_choice: request.tool_choice ?? 'auto',
    tools: request.tools ?? [],
    top_p: request.top_p ?? 1,
    truncation: 'disabled',
    metadata: {},
    user: null,
  };
}

function messageItem(id: string, status: string, text: string | undefined): Json {
  return {
    id,
    type: 'message',
    status,
    role: 'assistant',
    content: text === undefined ? [] : [{ type: 'output_text', annotations: [], logprobs: [], text }],
  };
}

function functionCallItem(call: PlannedToolCall, id: string, status: string, args: string): Json {
  return { id, type: 'function_call', status, arguments: args, call_id: call.callId, name: call.name };
}

class ResponseBuilder {
  readonly plan: ReplyPlan;
  readonly responseId: string;
  readonly request: Json;
  readonly messageId: string;
  constructor(plan: ReplyPlan, responseId: string, request: Json) {
    this.plan = plan;
    this.responseId = responseId;
    this.request = request;
    this.messageId = `msg_${responseId.slice(5)}`;
  }

  get hasMessage(): boolean {
    return this.plan.text !== '' || this.plan.toolCalls.length === 0;
  }

  get incompleteReason(): string | undefined {
    return INCOMPLETE_REASON[this.plan.finishReason];
  }

  functionCallId(call: PlannedToolCall): string {
    return `fc_${this.responseId.slice(5)}_${call.index}`;
  }

  finalOutput(): Json[] {
    const itemStatus = this.incompleteReason ? 'incomplete' : 'completed';
    const output: Json[] = this.plan.reasoningItem ? [this.plan.reasoningItem] : [];
    if (this.hasMessage) output.push(messageItem(this.messageId, itemStatus, this.plan.text));
    for (const call of this.plan.toolCalls) output.push(functionCallItem(call, this.functionCallId(call), 'completed', call.arguments));
    return output;
  }

  response(status: 'in_progress' | 'completed' | 'incomplete', output: Json[]): Json {
    const finished = status !== 'in_progress';
    return {
      id: this.responseId,
      object: 'response',
      created_at: this.plan.createdAt,
      status,
      completed_at: status === 'completed' ? Math.floor(Date.now() / 1000) : null,
      error: null,
      incomplete_details: status === 'incomplete' ? { reason: this.incompleteReason } : null,
      model: this.plan.model,
      output,
      ...echoedRequestFields(this.request),
      usage: finished
        ? {
            input_tokens: this.plan.promptTokens,
            input_tokens_details: { cached_tokens: 0 },
            output_tokens: this.plan.completionTokens,
            output_tokens_details: { reasoning_tokens: 0 },
            total_tokens: this.plan.promptTokens + this.plan.completionTokens,
          }
        : null,
    };
  }
}

export function responsesEvents(plan: ReplyPlan, responseId: string, request: Json): SseEvent[] {
  const builder = new ResponseBuilder(plan, responseId, request);
  const events: SseEvent[] = [];
  const emit = (type: string, payload: Json): void => {
    events.push({ event: type, data: JSON.stringify({ type, sequence_number: events.length, ...payload }) });
  };

  emit('response.created', { response: builder.response('in_progress', []) });
  emit('response.in_progress', { response: builder.response('in_progress', []) });

  const finalOutput = builder.finalOutput();
  let outputIndex = 0;
  if (plan.reasoningItem) {
    // Announced empty, finished whole: the encrypted content arrives only with the finished item.
    emit('response.output_item.added', { output_index: outputIndex, item: { id: plan.reasoningItem.id, type: 'reasoning', summary: [] } });
    emit('response.output_item.done', { output_index: outputIndex, item: plan.reasoningItem });
    outputIndex += 1;
  }
  if (builder.hasMessage) {
    const itemId = builder.messageId;
    const at = { item_id: itemId, output_index: outputIndex, content_index: 0 };
    emit('response.output_item.added', { output_index: outputIndex, item: messageItem(itemId, 'in_progress', undefined) });
    emit('response.content_part.added', { ...at, part: { type: 'output_text', annotations: [], logprobs: [], text: '' } });
    for (const piece of plan.textPieces) emit('response.output_text.delta', { ...at, delta: piece, logprobs: [] });
    emit('response.output_text.done', { ...at, text: plan.text, logprobs: [] });
    emit('response.content_part.done', { ...at, part: { type: 'output_text', annotations: [], logprobs: [], text: plan.text } });
    emit('response.output_item.done', { output_index: outputIndex, item: finalOutput[outputIndex] });
    outputIndex += 1;
  }
  for (const call of plan.toolCalls) {
    const itemId = builder.functionCallId(call);
    emit('response.output_item.added', { output_index: outputIndex, item: functionCallItem(call, itemId, 'in_progress', '') });
    for (const piece of call.argumentPieces) {
      emit('response.function_call_arguments.delta', { item_id: itemId, output_index: outputIndex, delta: piece });
    }
    emit('response.function_call_arguments.done', { item_id: itemId, output_index: outputIndex, arguments: call.arguments });
    emit('response.output_item.done', { output_index: outputIndex, item: finalOutput[outputIndex] });
    outputIndex += 1;
  }

  if (builder.incompleteReason) emit('response.incomplete', { response: builder.response('incomplete', finalOutput) });
  else emit('response.completed', { response: builder.response('completed', finalOutput) });
  return events;
}

export function responseBody(plan: ReplyPlan, responseId: string, request: Json): Json {
  const builder = new ResponseBuilder(plan, responseId, request);
  return builder.response(builder.incompleteReason ? 'incomplete' : 'completed', builder.finalOutput());
}
