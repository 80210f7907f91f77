/** The run object as created: the assistant's settings with the run's overrides applied (docs/assistants-v2.md §2.5, §4.3). */
import { invalid } from '../errors.ts';
import { newId } from '../ids.ts';
import type { Assistant } from '../types/assistant.ts';
import type { Run, RunCreateParams } from '../types/run.ts';

export function newRun(params: RunCreateParams, assistant: Assistant, threadId: string, now: number, expirySeconds: number): Run {
  const tools = params.tools ?? assistant.tools;
  const choice = params.tool_choice ?? 'auto';
  if (typeof choice === 'object') {
    const exists = choice.type === 'function' ? tools.some((tool) => tool.type === 'function' && tool.function.name === choice.function.name) : tools.some((tool) => tool.type === choice.type);
    if (!exists) {
      const name = choice.type === 'function' ? choice.function.name : choice.type;
      throw invalid(`Invalid 'tool_choice': the tool '${name}' is not among the run's tools.`, 'tool_choice', 'invalid_value');
    }
  }
  const baseInstructions = params.instructions ?? assistant.instructions ?? '';
  const instructions = params.additional_instructions ? [baseInstructions, params.additional_instructions].filter((part) => part.length > 0).join('\n\n') : baseInstructions;
  return {
    id: newId('run'),
    object: 'thread.run',
    created_at: now,
    thread_id: threadId,
    assistant_id: assistant.id,
    status: 'queued',
    required_action: null,
    last_error: null,
    expires_at: now + expirySeconds,
    started_at: null,
    cancelled_at: null,
    failed_at: null,
    completed_at: null,
    incomplete_details: null,
    model: params.model ?? assistant.model,
    instructions,
    tools,
    metadata: params.metadata ?? {},
    usage: null,
    temperature: params.temperature ?? assistant.temperature ?? 1,
    top_p: params.top_p ?? assistant.top_p ?? 1,
    max_prompt_tokens: params.max_prompt_tokens ?? null,
    max_completion_tokens: params.max_completion_tokens ?? null,
    truncation_strategy: params.truncation_strategy ?? { type: 'auto', last_messages: null },
    tool_choice: choice,
    parallel_tool_calls: params.parallel_tool_calls ?? true,
    response_format: params.response_format ?? assistant.response_format ?? 'auto',
    ...(params.reasoning_effort !== undefined || assistant.reasoning_effort !== undefined ? { reasoning_effort: params.reasoning_effort ?? assistant.reasoning_effort ?? null } : {}),
  };
}
