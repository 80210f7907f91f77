/**
 * `/threads` and `/threads/{thread_id}/messages` (docs/assistants-v2.md §3). Plain writes share
 * commits with concurrent requests (`engine.inSharedCommit`); thread deletes cancel runs, so not those.
 */
import type { MessageCreateParams, MessageListParams } from '../../engine/types/message.ts';
import type { ThreadCreateParams, ThreadUpdateParams } from '../../engine/types/thread.ts';
import { checkString } from '../../engine/validation/bodyReader.ts';
import { parseListParams } from '../../engine/validation/commonParams.ts';
import { ok, okText, type Route } from '../routeContext.ts';
import type { QueryValues } from '../query.ts';

function messageListParams(query: QueryValues): MessageListParams {
  const params: MessageListParams = parseListParams(query);
  if (query['run_id'] !== undefined) params.run_id = checkString(query['run_id'], 'run_id');
  return params;
}

export const threadRoutes: Route[] = [
  {
    method: 'POST',
    path: '/threads',
    beta: true,
    handler: async ({ engine, body }) => {
      const input = ((await body()) ?? {}) as ThreadCreateParams;
      return ok(await engine.inSharedCommit(() => engine.threads.create(input)));
    },
  },
  { method: 'GET', path: '/threads/{thread_id}', beta: true, handler: ({ engine, params }) => ok(engine.threads.retrieve(params['thread_id']!)) },
  {
    method: 'POST',
    path: '/threads/{thread_id}',
    beta: true,
    handler: async ({ engine, params, body }) => {
      const input = (await body()) as ThreadUpdateParams;
      return ok(await engine.inSharedCommit(() => engine.threads.update(params['thread_id']!, input)));
    },
  },
  { method: 'DELETE', path: '/threads/{thread_id}', beta: true, handler: ({ engine, params }) => ok(engine.threads.delete(params['thread_id']!)) },

  {
    method: 'GET',
    path: '/threads/{thread_id}/messages',
    beta: true,
    handler: ({ engine, params, query }) => okText(engine.messages.listJson(params['thread_id']!, messageListParams(query))),
  },
  {
    method: 'POST',
    path: '/threads/{thread_id}/messages',
    beta: true,
    handler: async ({ engine, params, body }) => {
      const input = (await body()) as MessageCreateParams;
      return ok(await engine.inSharedCommit(() => engine.messages.create(params['thread_id']!, input)));
    },
  },
  {
    method: 'GET',
    path: '/threads/{thread_id}/messages/{message_id}',
    beta: true,
    handler: ({ engine, params }) => ok(engine.messages.retrieve(params['thread_id']!, params['message_id']!)),
  },
  {
    method: 'POST',
    path: '/threads/{thread_id}/messages/{message_id}',
    beta: true,
    handler: async ({ engine, params, body }) => {
      const input = (await body()) as { metadata?: Record<string, string> };
      return ok(await engine.inSharedCommit(() => engine.messages.update(params['thread_id']!, params['message_id']!, input)));
    },
  },
  {
    method: 'DELETE',
    path: '/threads/{thread_id}/messages/{message_id}',
    beta: true,
    handler: async ({ engine, params }) => ok(await engine.inSharedCommit(() => engine.messages.delete(params['thread_id']!, params['message_id']!))),
  },
];
