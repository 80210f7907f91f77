/** `/assistants` (docs/assistants-v2.md §3). */
import type { AssistantCreateParams, AssistantUpdateParams } from '../../engine/types/assistant.ts';
import { parseListParams } from '../../engine/validation/commonParams.ts';
import { ok, type Route } from '../routeContext.ts';

export const assistantRoutes: Route[] = [
  { method: 'GET', path: '/assistants', beta: true, handler: ({ engine, query }) => ok(engine.assistants.list(parseListParams(query))) },
  { method: 'POST', path: '/assistants', beta: true, handler: async ({ engine, body }) => ok(engine.assistants.create((await body()) as AssistantCreateParams)) },
  { method: 'GET', path: '/assistants/{assistant_id}', beta: true, handler: ({ engine, params }) => ok(engine.assistants.retrieve(params['assistant_id']!)) },
  {
    method: 'POST',
    path: '/assistants/{assistant_id}',
    beta: true,
    handler: async ({ engine, params, body }) => ok(engine.assistants.update(params['assistant_id']!, (await body()) as AssistantUpdateParams)),
  },
  { method: 'DELETE', path: '/assistants/{assistant_id}', beta: true, handler: ({ engine, params }) => ok(engine.assistants.delete(params['assistant_id']!)) },
];
