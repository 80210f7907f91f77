/** Assistants: create, retrieve, modify, delete, list (docs/assistants-v2.md §2.1). */
import type { EngineContext } from '../engineContext.ts';
import { notFound } from '../errors.ts';
import { checkIdPrefix, newId } from '../ids.ts';
import type { Assistant, AssistantCreateParams, AssistantUpdateParams } from '../types/assistant.ts';
import type { DeletedObject, ListPage, ListParams, ToolResources } from '../types/common.ts';
import { parseAssistantCreate, parseAssistantUpdate } from '../validation/objectParams.ts';

/** Turns request-only tool resource helpers (`file_search.vector_stores`) into stored ids, inside the caller's transaction. */
export type ToolResourceExpander = <T extends ToolResources | null | undefined>(resources: T, owner: 'assistant' | 'thread') => T;

export class AssistantService {
  private readonly context: EngineContext;
  private expandResources: ToolResourceExpander = (resources) => resources;

  constructor(context: EngineContext) {
    this.context = context;
  }

  setToolResourceExpander(expander: ToolResourceExpander): void {
    this.expandResources = expander;
  }

  create(input: AssistantCreateParams): Assistant {
    const params = parseAssistantCreate(input);
    return this.context.store.transaction(() => this.insert(params));
  }

  private insert(params: AssistantCreateParams): Assistant {
    const assistant: Assistant = {
      id: newId('assistant'),
      object: 'assistant',
      created_at: this.context.clock.nowSeconds(),
      name: params.name ?? null,
      description: params.description ?? null,
      model: params.model,
      instructions: params.instructions ?? null,
      tools: params.tools ?? [],
      tool_resources: this.expandResources(params.tool_resources, 'assistant') ?? {},
      metadata: params.metadata ?? {},
      temperature: params.temperature ?? 1,
      top_p: params.top_p ?? 1,
      response_format: params.response_format ?? 'auto',
      ...(params.reasoning_effort !== undefined ? { reasoning_effort: params.reasoning_effort } : {}),
    };
    this.context.store.assistants.insert(assistant.id, assistant);
    return assistant;
  }

  retrieve(assistantId: string): Assistant {
    checkIdPrefix(assistantId, 'assistant', 'assistant_id');
    const assistant = this.context.store.assistants.get(assistantId);
    if (!assistant) throw notFound('assistant', assistantId);
    return assistant;
  }

  update(assistantId: string, input: AssistantUpdateParams): Assistant {
    const params = parseAssistantUpdate(input);
    return this.context.store.transaction(() => {
      const assistant = this.retrieve(assistantId);
      const updated: Assistant = { ...assistant };
      if (params.model !== undefined) updated.model = params.model;
      if (params.name !== undefined) updated.name = params.name;
      if (params.description !== undefined) updated.description = params.description;
      if (params.instructions !== undefined) updated.instructions = params.instructions;
      if (params.tools !== undefined) updated.tools = params.tools;
      if (params.tool_resources !== undefined) updated.tool_resources = this.expandResources(params.tool_resources, 'assistant') ?? {};
      if (params.metadata !== undefined) updated.metadata = params.metadata ?? {};
      if (params.temperature !== undefined) updated.temperature = params.temperature;
      if (params.top_p !== undefined) updated.top_p = params.top_p;
      if (params.response_format !== undefined) updated.response_format = params.response_format ?? 'auto';
      if (params.reasoning_effort !== undefined) updated.reasoning_effort = params.reasoning_effort;
      this.context.store.assistants.update(assistantId, updated);
      return updated;
    });
  }

  delete(assistantId: string): DeletedObject {
    checkIdPrefix(assistantId, 'assistant', 'assistant_id');
    const deleted = this.context.store.transaction(() => this.context.store.assistants.delete(assistantId));
    if (!deleted) throw notFound('assistant', assistantId);
    return { id: assistantId, object: 'assistant.deleted', deleted: true };
  }

  list(params: ListParams = {}): ListPage<Assistant> {
    return this.context.store.assistants.list({}, params);
  }
}
