/** Parsers for run bodies: create, create-thread-and-run, modify, submit_tool_outputs. */
import type { RunCreateParams, ThreadAndRunCreateParams, ToolOutput } from '../types/run.ts';
import { BodyReader, checkArray } from './bodyReader.ts';
import {
  parseMetadata,
  parseResponseFormat,
  parseTokenCap,
  parseToolChoice,
  parseToolResources,
  parseTools,
  parseTruncationStrategy,
} from './commonParams.ts';
import { parseMessageList, parseThreadCreate } from './objectParams.ts';

/** Run-level tool overrides were capped at 20, against 128 on an assistant. */
export const RUN_TOOLS_LIMIT = 20;

function readRunFields(reader: BodyReader, params: Omit<RunCreateParams, 'assistant_id'>): void {
  const set = <K extends keyof typeof params>(key: K, value: (typeof params)[K] | undefined): void => {
    if (value !== undefined) params[key] = value;
  };
  set('model', reader.nullableString('model', { min: 1, max: 256 }));
  set('instructions', reader.nullableString('instructions', { max: 256_000 }));
  if (reader.has('tools') && reader.body['tools'] !== null) set('tools', parseTools(reader.raw('tools'), 'tools', RUN_TOOLS_LIMIT));
  else reader.raw('tools');
  set('metadata', parseMetadata(reader.raw('metadata')));
  set('temperature', reader.nullableNumber('temperature', { min: 0, max: 2 }));
  set('top_p', reader.nullableNumber('top_p', { min: 0, max: 1 }));
  set('max_prompt_tokens', parseTokenCap(reader, 'max_prompt_tokens'));
  set('max_completion_tokens', parseTokenCap(reader, 'max_completion_tokens'));
  set('truncation_strategy', parseTruncationStrategy(reader.raw('truncation_strategy')));
  set('tool_choice', parseToolChoice(reader.raw('tool_choice')));
  set('parallel_tool_calls', reader.nullableBoolean('parallel_tool_calls'));
  set('response_format', parseResponseFormat(reader.raw('response_format')));
  set('reasoning_effort', reader.nullableString('reasoning_effort', { enum: ['none', 'minimal', 'low', 'medium', 'high', 'xhigh', 'max'] }));
}

export interface ParsedRunCreate {
  params: RunCreateParams;
  stream: boolean;
}

export function parseRunCreate(body: unknown): ParsedRunCreate {
  const reader = new BodyReader(body);
  const assistantId = reader.required('assistant_id', (r, k) => r.string(k));
  const params: RunCreateParams = { assistant_id: assistantId };
  readRunFields(reader, params);
  const additionalInstructions = reader.nullableString('additional_instructions', { max: 256_000 });
  if (additionalInstructions !== undefined) params.additional_instructions = additionalInstructions;
  if (reader.has('additional_messages') && reader.body['additional_messages'] !== null) {
    params.additional_messages = parseMessageList(reader.raw('additional_messages'), 'additional_messages');
  } else reader.raw('additional_messages');
  const stream = reader.nullableBoolean('stream') ?? false;
  reader.done();
  return { params, stream };
}

export interface ParsedThreadAndRun {
  params: ThreadAndRunCreateParams;
  stream: boolean;
}

export function parseThreadAndRunCreate(body: unknown): ParsedThreadAndRun {
  const reader = new BodyReader(body);
  const assistantId = reader.required('assistant_id', (r, k) => r.string(k));
  const params: ThreadAndRunCreateParams = { assistant_id: assistantId };
  readRunFields(reader, params);
  if (reader.has('thread') && reader.body['thread'] !== null) params.thread = parseThreadCreate(reader.raw('thread'), 'thread');
  else reader.raw('thread');
  const toolResources = parseToolResources(reader.raw('tool_resources'));
  if (toolResources !== undefined) params.tool_resources = toolResources;
  const stream = reader.nullableBoolean('stream') ?? false;
  reader.done();
  return { params, stream };
}

export function parseRunUpdate(body: unknown): { metadata?: Record<string, string> } {
  const reader = new BodyReader(body);
  const metadata = parseMetadata(reader.raw('metadata'));
  reader.done();
  return metadata === undefined ? {} : { metadata };
}

export interface ParsedToolOutputs {
  toolOutputs: ToolOutput[];
  stream: boolean;
}

export function parseSubmitToolOutputs(body: unknown): ParsedToolOutputs {
  const reader = new BodyReader(body);
  const outputs = reader.required('tool_outputs', (r, k) => r.array(k));
  const toolOutputs = checkArray(outputs, 'tool_outputs').map((item, index) => {
    const output = new BodyReader(item, `tool_outputs[${index}]`);
    const toolCallId = output.required('tool_call_id', (r, k) => r.string(k));
    const text = output.string('output') ?? '';
    output.done();
    return { tool_call_id: toolCallId, output: text };
  });
  const stream = reader.nullableBoolean('stream') ?? false;
  reader.done();
  return { toolOutputs, stream };
}
