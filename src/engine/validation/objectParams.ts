/** Parsers for the create/modify bodies of assistants, threads and messages (docs/assistants-v2.md §2–3). */
import { invalid } from '../errors.ts';
import type { AssistantCreateParams, AssistantUpdateParams } from '../types/assistant.ts';
import type { Attachment, MessageContentInput, MessageCreateParams } from '../types/message.ts';
import type { ThreadCreateParams, ThreadUpdateParams } from '../types/thread.ts';
import { BodyReader, checkArray, checkString } from './bodyReader.ts';
import { parseMetadata, parseResponseFormat, parseToolResources, parseTools } from './commonParams.ts';

export const ASSISTANT_LIMITS = { name: 256, description: 512, instructions: 256_000, tools: 128 } as const;
const REASONING_EFFORTS = ['none', 'minimal', 'low', 'medium', 'high', 'xhigh', 'max'] as const;

function assign<T extends object, K extends keyof T>(target: T, key: K, value: T[K] | undefined): void {
  if (value !== undefined) target[key] = value;
}

function readAssistantFields(reader: BodyReader, target: AssistantUpdateParams): void {
  assign(target, 'name', reader.nullableString('name', { max: ASSISTANT_LIMITS.name }));
  assign(target, 'description', reader.nullableString('description', { max: ASSISTANT_LIMITS.description }));
  assign(target, 'instructions', reader.nullableString('instructions', { max: ASSISTANT_LIMITS.instructions }));
  if (reader.has('tools')) assign(target, 'tools', parseTools(reader.raw('tools'), 'tools', ASSISTANT_LIMITS.tools));
  else reader.raw('tools');
  assign(target, 'tool_resources', parseToolResources(reader.raw('tool_resources')));
  assign(target, 'metadata', parseMetadata(reader.raw('metadata')));
  assign(target, 'temperature', reader.nullableNumber('temperature', { min: 0, max: 2 }));
  assign(target, 'top_p', reader.nullableNumber('top_p', { min: 0, max: 1 }));
  assign(target, 'response_format', parseResponseFormat(reader.raw('response_format')));
  assign(target, 'reasoning_effort', reader.nullableString('reasoning_effort', { enum: REASONING_EFFORTS }));
}

export function parseAssistantCreate(body: unknown): AssistantCreateParams {
  const reader = new BodyReader(body);
  const model = reader.required('model', (r, k) => r.string(k, { min: 1, max: 256 }));
  const params: AssistantCreateParams = { model };
  readAssistantFields(reader, params);
  reader.done();
  return params;
}

export function parseAssistantUpdate(body: unknown): AssistantUpdateParams {
  const reader = new BodyReader(body);
  const params: AssistantUpdateParams = {};
  assign(params, 'model', reader.string('model', { min: 1, max: 256 }));
  readAssistantFields(reader, params);
  reader.done();
  return params;
}

function parseContent(value: unknown, param: string): string | MessageContentInput[] {
  if (typeof value === 'string') return value;
  const parts = checkArray(value, param, { min: 1 });
  return parts.map((part, index): MessageContentInput => {
    const reader = new BodyReader(part, `${param}[${index}]`);
    const type = reader.required('type', (r, k) => r.string(k, { enum: ['text', 'image_file', 'image_url'] }));
    if (type === 'text') {
      const text = reader.required('text', (r, k) => r.string(k));
      reader.done();
      return { type, text };
    }
    const inner = reader.required(type, (r, k) => r.object(k));
    reader.done();
    const detail = inner.string('detail', { enum: ['auto', 'low', 'high'] }) as 'auto' | 'low' | 'high' | undefined;
    if (type === 'image_file') {
      const fileId = inner.required('file_id', (r, k) => r.string(k));
      inner.done();
      return { type, image_file: { file_id: fileId, ...(detail ? { detail } : {}) } };
    }
    const url = inner.required('url', (r, k) => r.string(k));
    inner.done();
    return { type: 'image_url', image_url: { url, ...(detail ? { detail } : {}) } };
  });
}

function parseAttachments(value: unknown, param: string): Attachment[] | null | undefined {
  if (value === undefined || value === null) return value as null | undefined;
  return checkArray(value, param).map((item, index) => {
    const reader = new BodyReader(item, `${param}[${index}]`);
    const fileId = reader.required('file_id', (r, k) => r.string(k));
    const tools = (reader.array('tools') ?? []).map((tool, toolIndex) => {
      const toolReader = new BodyReader(tool, `${reader.param('tools')}[${toolIndex}]`);
      const type = toolReader.required('type', (r, k) => r.string(k, { enum: ['code_interpreter', 'file_search'] })) as 'code_interpreter' | 'file_search';
      toolReader.done();
      return { type };
    });
    reader.done();
    return { file_id: fileId, tools };
  });
}

export function parseMessageCreate(body: unknown, param = ''): MessageCreateParams {
  const reader = new BodyReader(body, param);
  const role = reader.required('role', (r, k) => r.string(k, { enum: ['user', 'assistant'] })) as 'user' | 'assistant';
  const content = reader.required('content', (r, k) => parseContent(r.raw(k), r.param(k)));
  const params: MessageCreateParams = { role, content };
  assign(params, 'attachments', parseAttachments(reader.raw('attachments'), reader.param('attachments')));
  const metadata = parseMetadata(reader.raw('metadata'), reader.param('metadata'));
  if (metadata !== undefined) params.metadata = metadata;
  reader.done();
  return params;
}

export function parseMessageUpdate(body: unknown): { metadata?: Record<string, string> } {
  const reader = new BodyReader(body);
  const metadata = parseMetadata(reader.raw('metadata'));
  reader.done();
  return metadata === undefined ? {} : { metadata };
}

export function parseMessageList(value: unknown, param: string): MessageCreateParams[] {
  return checkArray(value, param, { max: 32 }).map((item, index) => parseMessageCreate(item, `${param}[${index}]`));
}

export function parseThreadCreate(body: unknown, param = ''): ThreadCreateParams {
  const reader = new BodyReader(body ?? {}, param);
  const params: ThreadCreateParams = {};
  if (reader.has('messages')) params.messages = parseMessageList(reader.raw('messages'), reader.param('messages'));
  else reader.raw('messages');
  assign(params, 'tool_resources', parseToolResources(reader.raw('tool_resources'), reader.param('tool_resources')));
  const metadata = parseMetadata(reader.raw('metadata'), reader.param('metadata'));
  if (metadata !== undefined) params.metadata = metadata;
  reader.done();
  return params;
}

export function parseThreadUpdate(body: unknown): ThreadUpdateParams {
  const reader = new BodyReader(body);
  const params: ThreadUpdateParams = {};
  assign(params, 'tool_resources', parseToolResources(reader.raw('tool_resources')));
  const metadata = parseMetadata(reader.raw('metadata'));
  if (metadata !== undefined) params.metadata = metadata;
  reader.done();
  return params;
}

/** `include[]` for run steps: v2 defined exactly one value. */
export function parseStepInclude(value: unknown): string[] {
  if (value === undefined) return [];
  const values = Array.isArray(value) ? value : [value];
  return values.map((item, index) => {
    const include = checkString(item, `include[${index}]`);
    if (include !== 'step_details.tool_calls[*].file_search.results[*].content') {
      throw invalid(`Invalid value: '${include}'. Supported values are: 'step_details.tool_calls[*].file_search.results[*].content'.`, `include[${index}]`, 'invalid_value');
    }
    return include;
  });
}
