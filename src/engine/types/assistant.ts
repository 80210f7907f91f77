import type { Metadata, ResponseFormat, ToolResources, UnixSeconds } from './common.ts';
import type { ToolDefinition } from './tools.ts';

/** `object: "assistant"`: a model, its instructions and its tools, configured once and reused. */
export interface Assistant {
  id: string;
  object: 'assistant';
  created_at: UnixSeconds;
  name: string | null;
  description: string | null;
  model: string;
  instructions: string | null;
  tools: ToolDefinition[];
  tool_resources: ToolResources | null;
  metadata: Metadata;
  temperature: number | null;
  top_p: number | null;
  response_format: ResponseFormat;
  reasoning_effort?: string | null;
}

export interface AssistantCreateParams {
  model: string;
  name?: string | null;
  description?: string | null;
  instructions?: string | null;
  tools?: ToolDefinition[];
  tool_resources?: ToolResources | null;
  metadata?: Metadata | null;
  temperature?: number | null;
  top_p?: number | null;
  response_format?: ResponseFormat | null;
  reasoning_effort?: string | null;
}

export type AssistantUpdateParams = Partial<AssistantCreateParams>;
