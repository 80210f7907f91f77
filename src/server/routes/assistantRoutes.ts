/** `/assistants` (docs/assistants-v2.md §3). */
import type { AssistantCreateParams, AssistantUpdateParams } from '../../engine/types/assistant.ts';
import { parseListParams } from '../../engine/validation/commonParams.ts';
import { ok, type Route } from '../routeContext.ts';

export const assistantRoutes: Route[] = [
  { method: 'GET', path: '/assistants', beta: true, handler: ({ engine, query }) => ok(engine.assistants.list(parseListParams(query))) },
  {
    method: 'POST',
    path: '/assistants',
    beta: true,
    handler: async ({ engine, body }) => {
      const input = (await body()) as AssistantCreateParams;
      return ok(await engine.inSharedCommit(() => engine.assistants.create(input)));
    },
  },
  { method: 'GET', path: '/assistants/{assistant_id}', beta: true, handler: ({ engine, params }) => ok(engine.assistants.retrieve(params['assistant_id']!)) },
  {
    method: 'POST',
    path: '/assistants/{assistant_id}',
    beta: true,
    handler: async ({ engine, params, body }) => {
      const input = (await body()) as AssistantUpdateParams;
      return ok(await engine.inSharedCommit(() => engine.assistants.update(params['assistant_id']!, input)));
    },
  },
  { method: 'DELETE', path: '/assistants/{assistant_id}', beta: true, handler: ({ engine, params }) => ok(engine.assistants.delete(params['assistant_id']!)) },
];
