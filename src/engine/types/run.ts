import type { Metadata, ResponseFormat, UnixSeconds, Usage } from './common.ts';
import type { MessageCreateParams } from './message.ts';
import type { ThreadCreateParams } from './thread.ts';
import type { ToolChoice, ToolDefinition } from './tools.ts';
import type { ToolResources } from './common.ts';

export type RunStatus =
  | 'queued'
  | 'in_progress'
  | 'requires_action'
  | 'cancelling'
  | 'cancelled'
  | 'failed'
  | 'completed'
  | 'incomplete'
  | 'expired';

export type RunErrorCode = 'server_error' | 'rate_limit_exceeded' | 'invalid_prompt';

export interface RequiredToolCall {
  id: string;
  type: 'function';
  function: { name: string; arguments: string };
}

export interface TruncationStrategy {
  type: 'auto' | 'last_messages';
  last_messages: number | null;
}

/** `object: "thread.run"`: one execution of an assistant on a thread. */
export interface Run {
  id: string;
  object: 'thread.run';
  created_at: UnixSeconds;
  thread_id: string;
  assistant_id: string;
  status: RunStatus;
  required_action: { type: 'submit_tool_outputs'; submit_tool_outputs: { tool_calls: RequiredToolCall[] } } | null;
  last_error: { code: RunErrorCode; message: string } | null;
  expires_at: UnixSeconds | null;
  started_at: UnixSeconds | null;
  cancelled_at: UnixSeconds | null;
  failed_at: UnixSeconds | null;
  completed_at: UnixSeconds | null;
  incomplete_details: { reason: 'max_completion_tokens' | 'max_prompt_tokens' } | null;
  model: string;
  instructions: string;
  tools: ToolDefinition[];
  metadata: Metadata;
  usage: Usage | null;
  temperature: number | null;
  top_p: number | null;
  max_prompt_tokens: number | null;
  max_completion_tokens: number | null;
  truncation_strategy: TruncationStrategy;
  tool_choice: ToolChoice;
  parallel_tool_calls: boolean;
  response_format: ResponseFormat;
  reasoning_effort?: string | null;
}

export interface RunCreateParams {
  assistant_id: string;
  model?: string | null;
  instructions?: string | null;
  additional_instructions?: string | null;
  additional_messages?: MessageCreateParams[] | null;
  tools?: ToolDefinition[] | null;
  metadata?: Metadata | null;
  temperature?: number | null;
  top_p?: number | null;
  max_prompt_tokens?: number | null;
  max_completion_tokens?: number | null;
  truncation_strategy?: TruncationStrategy | null;
  tool_choice?: ToolChoice | null;
  parallel_tool_calls?: boolean | null;
  response_format?: ResponseFormat | null;
  reasoning_effort?: string | null;
}

export interface ThreadAndRunCreateParams extends Omit<RunCreateParams, 'additional_instructions' | 'additional_messages'> {
  thread?: ThreadCreateParams | null;
  tool_resources?: ToolResources | null;
}

export interface ToolOutput {
  tool_call_id: string;
  output: string;
}

export const TERMINAL_RUN_STATUSES: ReadonlySet<RunStatus> = new Set(['cancelled', 'failed', 'completed', 'incomplete', 'expired']);

/** A run holds its thread's lock while in one of these. */
export const ACTIVE_RUN_STATUSES: ReadonlySet<RunStatus> = new Set(['queued', 'in_progress', 'requires_action', 'cancelling']);
