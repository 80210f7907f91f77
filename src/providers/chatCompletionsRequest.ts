/**
 * ModelRequest → Chat Completions parameters. Written for the widest range of compatible servers:
 * instructions go in as a `system` message (OpenAI maps it to `developer` for reasoning models),
 * and tool settings are only sent when there are tools, since some servers reject them otherwise.
 */
import type {
  ChatCompletionContentPart,
  ChatCompletionCreateParamsStreaming,
  ChatCompletionMessageParam,
  ChatCompletionTool,
  ChatCompletionToolChoiceOption,
} from 'openai/resources/chat/completions';
import type { ReasoningEffort, ResponseFormatJSONSchema } from 'openai/resources/shared';
import type { ModelContentPart, ModelMessage, ModelRequest, ModelResponseFormat, ModelToolChoice } from '../engine/ports/modelBackend.ts';

/**
 * OpenAI itself wants `max_completion_tokens` (reasoning models refuse `max_tokens`); most other
 * compatible servers only know `max_tokens`.
 */
export type MaxTokensField = 'max_tokens' | 'max_completion_tokens';

export function defaultMaxTokensField(baseURL: string): MaxTokensField {
  let host = '';
  try {
    host = new URL(baseURL).hostname;
  } catch {
    return 'max_tokens';
  }
  return host === 'api.openai.com' || host.endsWith('.openai.azure.com') ? 'max_completion_tokens' : 'max_tokens';
}

function contentPart(part: ModelContentPart): ChatCompletionContentPart {
  return part.type === 'text' ? { type: 'text', text: part.text } : { type: 'image_url', image_url: { url: part.url } };
}

const MESSAGE_MAPPERS: { [Role in ModelMessage['role']]: (message: Extract<ModelMessage, { role: Role }>) => ChatCompletionMessageParam } = {
  user: (message) => ({ role: 'user', content: typeof message.content === 'string' ? message.content : message.content.map(contentPart) }),
  assistant: (message) => {
    const calls = message.toolCalls ?? [];
    if (calls.length === 0) return { role: 'assistant', content: message.content };
    return {
      role: 'assistant',
      // Servers differ on '' next to tool calls; null is what OpenAI itself sends back.
      content: message.content === '' ? null : message.content,
      tool_calls: calls.map((call) => ({ id: call.id, type: 'function', function: { name: call.name, arguments: call.arguments } })),
    };
  },
  tool: (message) => ({ role: 'tool', tool_call_id: message.toolCallId, content: message.content }),
};

export function toChatMessages(instructions: string, messages: ModelMessage[]): ChatCompletionMessageParam[] {
  const mapped: ChatCompletionMessageParam[] = instructions !== '' ? [{ role: 'system', content: instructions }] : [];
  for (const message of messages) {
    const mapper = MESSAGE_MAPPERS[message.role] as (message: ModelMessage) => ChatCompletionMessageParam;
    mapped.push(mapper(message));
  }
  return mapped;
}

function toolChoice(choice: ModelToolChoice): ChatCompletionToolChoiceOption {
  return typeof choice === 'string' ? choice : { type: 'function', function: { name: choice.name } };
}

function responseFormat(format: ModelResponseFormat): ChatCompletionCreateParamsStreaming['response_format'] {
  if (format.type !== 'json_schema') return { type: format.type };
  const jsonSchema: ResponseFormatJSONSchema.JSONSchema = { name: format.name };
  if (format.description !== undefined) jsonSchema.description = format.description;
  if (format.schema !== undefined) jsonSchema.schema = format.schema;
  if (format.strict !== undefined) jsonSchema.strict = format.strict;
  return { type: 'json_schema', json_schema: jsonSchema };
}

export function toChatCompletionParams(request: ModelRequest, maxTokensField: MaxTokensField): ChatCompletionCreateParamsStreaming {
  const params: ChatCompletionCreateParamsStreaming = {
    model: request.model,
    messages: toChatMessages(request.instructions, request.messages),
    stream: true,
    stream_options: { include_usage: true },
  };
  if (request.tools.length > 0) {
    params.tools = request.tools.map(
      (tool): ChatCompletionTool => ({
        type: 'function',
        function: {
          name: tool.name,
          parameters: tool.parameters,
          ...(tool.description !== undefined ? { description: tool.description } : {}),
          ...(tool.strict !== undefined ? { strict: tool.strict } : {}),
        },
      }),
    );
    params.tool_choice = toolChoice(request.toolChoice);
    params.parallel_tool_calls = request.parallelToolCalls;
  }
  // "text" is every server's default; leaving it out keeps servers without response_format happy.
  if (request.responseFormat && request.responseFormat.type !== 'text') params.response_format = responseFormat(request.responseFormat);
  if (request.temperature !== undefined) params.temperature = request.temperature;
  if (request.topP !== undefined) params.top_p = request.topP;
  if (request.maxOutputTokens !== undefined) params[maxTokensField] = request.maxOutputTokens;
  if (request.reasoningEffort !== undefined) params.reasoning_effort = request.reasoningEffort as ReasoningEffort;
  return params;
}
