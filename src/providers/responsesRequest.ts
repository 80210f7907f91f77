/**
 * ModelRequest → Responses API parameters. `store: false` always: our own store keeps the thread,
 * so every call carries the whole history as input items (messages, function calls and their
 * outputs, and within a run the encrypted reasoning before each call) and nothing is left on the
 * provider's side.
 */
import type {
  FunctionTool,
  ResponseCreateParamsStreaming,
  ResponseFormatTextConfig,
  ResponseInputContent,
  ResponseInputItem,
} from 'openai/resources/responses/responses';
import type { ReasoningEffort } from 'openai/resources/shared';
import type { ModelContentPart, ModelMessage, ModelRequest, ModelResponseFormat, ModelToolChoice } from '../engine/ports/modelBackend.ts';

function inputContent(part: ModelContentPart): ResponseInputContent {
  return part.type === 'text' ? { type: 'input_text', text: part.text } : { type: 'input_image', image_url: part.url, detail: 'auto' };
}

const ITEM_MAPPERS: { [Role in ModelMessage['role']]: (message: Extract<ModelMessage, { role: Role }>) => ResponseInputItem[] } = {
  user: (message) => [
    { type: 'message', role: 'user', content: typeof message.content === 'string' ? message.content : message.content.map(inputContent) },
  ],
  assistant: (message) => {
    // The turn's reasoning goes back first, right before what it led to (the API refuses a
    // reasoning item with nothing after it).
    const items: ResponseInputItem[] = [...((message.providerItems ?? []) as unknown as ResponseInputItem[])];
    if (message.content !== '') items.push({ type: 'message', role: 'assistant', content: message.content });
    for (const call of message.toolCalls ?? []) {
      items.push({ type: 'function_call', call_id: call.id, name: call.name, arguments: call.arguments });
    }
    return items;
  },
  tool: (message) => [{ type: 'function_call_output', call_id: message.toolCallId, output: message.content }],
};

export function toResponsesInput(messages: ModelMessage[]): ResponseInputItem[] {
  return messages.flatMap((message) => (ITEM_MAPPERS[message.role] as (message: ModelMessage) => ResponseInputItem[])(message));
}

function toolChoice(choice: ModelToolChoice): ResponseCreateParamsStreaming['tool_choice'] {
  return typeof choice === 'string' ? choice : { type: 'function', name: choice.name };
}

function textFormat(format: ModelResponseFormat): ResponseFormatTextConfig {
  if (format.type !== 'json_schema') return { type: format.type };
  return {
    type: 'json_schema',
    name: format.name,
    schema: format.schema ?? {},
    ...(format.description !== undefined ? { description: format.description } : {}),
    ...(format.strict !== undefined ? { strict: format.strict } : {}),
  };
}

export function toResponsesParams(request: ModelRequest): ResponseCreateParamsStreaming {
  const params: ResponseCreateParamsStreaming = {
    model: request.model,
    input: toResponsesInput(request.messages),
    store: false,
    stream: true,
  };
  if (request.instructions !== '') params.instructions = request.instructions;
  if (request.tools.length > 0) {
    params.tools = request.tools.map(
      (tool): FunctionTool => ({
        type: 'function',
        name: tool.name,
        parameters: tool.parameters,
        // The Responses API treats a missing `strict` as true; v2 function tools were lax unless asked.
        strict: tool.strict ?? false,
        ...(tool.description !== undefined ? { description: tool.description } : {}),
      }),
    );
    params.tool_choice = toolChoice(request.toolChoice);
    params.parallel_tool_calls = request.parallelToolCalls;
  }
  if (request.responseFormat) params.text = { format: textFormat(request.responseFormat) };
  if (request.temperature !== undefined) params.temperature = request.temperature;
  if (request.topP !== undefined) params.top_p = request.topP;
  if (request.maxOutputTokens !== undefined) params.max_output_tokens = request.maxOutputTokens;
  if (request.reasoningEffort !== undefined) {
    params.reasoning = { effort: request.reasoningEffort as ReasoningEffort };
    // Asked for only when a reasoning effort is set: other models refuse this include with a 400
    // ("Encrypted content is not supported with this model"), and effort is refused by them too.
    params.include = ['reasoning.encrypted_content'];
  }
  return params;
}
