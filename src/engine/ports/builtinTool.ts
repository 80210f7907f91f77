/**
 * Tools the engine runs itself inside a run (v2's `file_search` and `code_interpreter`), as
 * opposed to function tools, which the client executes through requires_action. The knowledge
 * base and the code interpreter plug in here.
 */
import type { Assistant } from '../types/assistant.ts';
import type { Run } from '../types/run.ts';
import type { ToolCall } from '../types/runStep.ts';
import type { ToolCallDelta } from '../types/streamEvent.ts';
import type { Thread } from '../types/thread.ts';
import type { ToolDefinition } from '../types/tools.ts';
import type { MessageContent, Annotation } from '../types/message.ts';
import type { ModelTool } from './modelBackend.ts';

export interface BuiltinToolContext {
  run: Run;
  thread: Thread;
  assistant: Assistant | undefined;
  /** The tool's definition on the run (max_num_results, ranking options…). */
  definition: ToolDefinition;
  callId: string;
  /** Position of the call in its step, for step deltas. */
  index: number;
  /** How many calls of this tool the run made before this one (file_search numbers its citations by it). */
  ordinal: number;
  signal: AbortSignal;
  /** Streams progress of this call as `thread.run.step.delta` (code_interpreter outputs). */
  publishDelta(delta: ToolCallDelta): void;
}

export interface BuiltinToolResult {
  /** The call as the run step records it (results, outputs). */
  call: ToolCall;
  /** What the model reads as the tool's output. */
  modelOutput: string;
  /** file_search: the text of each result, returned by the API only when `include[]` asks for it. */
  resultContents?: unknown;
}

/** What a built-in tool adds to the answer that follows it (images, links to generated files). */
export interface AnswerDecoration {
  parts: MessageContent[];
  annotations: Annotation[];
  text: string;
}

/** What a tool may describe to the model: the thread and assistant the run is on. */
export interface ToolScope {
  thread: Thread | undefined;
  assistant: Assistant | undefined;
}

export interface BuiltinTool {
  readonly type: 'file_search' | 'code_interpreter';
  /** The function the model sees for this tool. */
  modelTool(definition: ToolDefinition, scope: ToolScope): ModelTool;
  /** Guidance appended to the run's instructions when the tool is on (citation markers, /mnt/data). */
  instructions(definition: ToolDefinition, scope: ToolScope): string;
  /** The call's first delta: `{ index, id, type, … }` with empty fields. */
  initialDelta(callId: string, index: number): ToolCallDelta;
  /** Turns the streamed arguments so far into new input to stream (code_interpreter.input), if any. */
  argumentsDelta?(argumentsSoFar: string, previous: string): ToolCallDelta | null;
  execute(argumentsJson: string, context: BuiltinToolContext): Promise<BuiltinToolResult>;
  /** Rewrites the final answer text: file_search markers → citations, sandbox paths → file_path annotations. */
  decorateAnswer?(text: string, run: Run, stepCalls: ToolCall[]): AnswerDecoration;
}

/**
 * Thrown by a built-in tool when the run itself cannot go on (v2 failed a run whose vector store
 * had expired), rather than a failure the model can read and work around.
 */
export class ToolFailsRunError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ToolFailsRunError';
  }
}
