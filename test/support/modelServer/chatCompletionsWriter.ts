/**
 * The Chat Completions wire format: `chat.completion.chunk` objects for streaming (ending with the
 * usage-only chunk when `stream_options.include_usage` was asked for) and the `chat.completion` body.
 */
import type { ReplyPlan } from './replyPlan.ts';
import type { SseEvent } from './sseStream.ts';

function usageOf(plan: ReplyPlan): Record<string, unknown> {
  return {
    prompt_tokens: plan.promptTokens,
    completion_tokens: plan.completionTokens,
    total_tokens: plan.promptTokens + plan.completionTokens,
    prompt_tokens_details: { cached_tokens: 0, audio_tokens: 0 },
    completion_tokens_details: { reasoning_tokens: 0, audio_tokens: 0, accepted_prediction_tokens: 0, rejected_prediction_tokens: 0 },
  };
}

export function chatCompletionChunks(plan: ReplyPlan, id: string, includeUsage: boolean): SseEvent[] {
  const chunk = (delta: Record<string, unknown>, finishReason: string | null = null): SseEvent => ({
    data: JSON.stringify({
      id,
      object: 'chat.completion.chunk',
      created: plan.createdAt,
      model: plan.model,
      system_fingerprint: 'fp_scripted',
      choices: [{ index: 0, delta, logprobs: null, finish_reason: finishReason }],
      ...(includeUsage ? { usage: null } : {}),
    }),
  });

  const events: SseEvent[] = [chunk({ role: 'assistant', content: '', refusal: null })];
  for (const piece of plan.textPieces) events.push(chunk({ content: piece }));
  for (const call of plan.toolCalls) {
    events.push(chunk({ tool_calls: [{ index: call.index, id: call.callId, type: 'function', function: { name: call.name, arguments: '' } }] }));
    for (const piece of call.argumentPieces) {
      events.push(chunk({ tool_calls: [{ index: call.index, function: { arguments: piece } }] }));
    }
  }
  events.push(chunk({}, plan.finishReason));
  if (includeUsage) {
    events.push({
      data: JSON.stringify({
        id,
        object: 'chat.completion.chunk',
        created: plan.createdAt,
        model: plan.model,
        system_fingerprint: 'fp_scripted',
        choices: [],
        usage: usageOf(plan),
      }),
    });
  }
  events.push({ data: '[DONE]' });
  return events;
}

export function chatCompletionBody(plan: ReplyPlan, id: string): Record<string, unknown> {
  const toolCalls = plan.toolCalls.map((call) => ({
    id: call.callId,
    type: 'function',
    function: { name: call.name, arguments: call.arguments },
  }));
  return {
    id,
    object: 'chat.completion',
    created: plan.createdAt,
    model: plan.model,
    system_fingerprint: 'fp_scripted',
    choices: [
      {
        index: 0,
        message: {
          role: 'assistant',
          content: plan.text === '' && toolCalls.length > 0 ? null : plan.text,
          refusal: null,
          ...(toolCalls.length > 0 ? { tool_calls: toolCalls } : {}),
        },
        logprobs: null,
        finish_reason: plan.finishReason,
      },
    ],
    usage: usageOf(plan),
  };
}
