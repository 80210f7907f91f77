import type { Metadata, UnixSeconds, Usage } from './common.ts';
import type { FileSearchRankingOptions } from './tools.ts';

export type RunStepStatus = 'in_progress' | 'cancelled' | 'failed' | 'completed' | 'expired';

export interface FunctionToolCall {
  id: string;
  type: 'function';
  function: { name: string; arguments: string; output: string | null };
}

export type CodeInterpreterOutput = { type: 'logs'; logs: string } | { type: 'image'; image: { file_id: string } };

export interface CodeInterpreterToolCall {
  id: string;
  type: 'code_interpreter';
  code_interpreter: { input: string; outputs: CodeInterpreterOutput[] };
}

export interface FileSearchResult {
  file_id: string;
  file_name: string;
  score: number;
  content?: Array<{ type: 'text'; text: string }>;
}

export interface FileSearchToolCall {
  id: string;
  type: 'file_search';
  file_search: { ranking_options?: FileSearchRankingOptions & { ranker: string }; results?: FileSearchResult[] };
}

export type ToolCall = FunctionToolCall | CodeInterpreterToolCall | FileSearchToolCall;

export type StepDetails =
  | { type: 'message_creation'; message_creation: { message_id: string } }
  | { type: 'tool_calls'; tool_calls: ToolCall[] };

/** `object: "thread.run.step"`: one model turn of a run, either writing a message or calling tools. */
export interface RunStep {
  id: string;
  object: 'thread.run.step';
  created_at: UnixSeconds;
  assistant_id: string;
  thread_id: string;
  run_id: string;
  type: 'message_creation' | 'tool_calls';
  status: RunStepStatus;
  step_details: StepDetails;
  last_error: { code: 'server_error' | 'rate_limit_exceeded'; message: string } | null;
  expired_at: UnixSeconds | null;
  cancelled_at: UnixSeconds | null;
  failed_at: UnixSeconds | null;
  completed_at: UnixSeconds | null;
  metadata: Metadata;
  usage: Usage | null;
}

/** The one `include[]` value v2 defines for run steps. */
export const FILE_SEARCH_CONTENT_INCLUDE = 'step_details.tool_calls[*].file_search.results[*].content';
