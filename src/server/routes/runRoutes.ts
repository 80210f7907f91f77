/**
 * Runs and run steps (docs/assistants-v2.md §3–5). The three run-starting endpoints answer with
 * the run, or with its event stream when the body says `stream: true`.
 */
import type { RunCreateParams, ThreadAndRunCreateParams, ToolOutput } from '../../engine/types/run.ts';
import { parseListParams } from '../../engine/validation/commonParams.ts';
import { parseStepInclude } from '../../engine/validation/objectParams.ts';
import { eventStream, ok, wantsStream, type Route } from '../routeContext.ts';

export const runRoutes: Route[] = [
  {
    method: 'POST',
    path: '/threads/runs',
    beta: true,
    handler: async ({ engine, body }) => {
      const input = await body();
      const { run } = engine.runs.createThreadAndRun(input as ThreadAndRunCreateParams);
      // The run's event log opens with thread.created, so the stream starts at its beginning.
      return wantsStream(input) ? eventStream(run.id, 0) : ok(run);
    },
  },
  {
    method: 'GET',
    path: '/threads/{thread_id}/runs',
    beta: true,
    handler: ({ engine, params, query }) => ok(engine.runs.list(params['thread_id']!, parseListParams(query))),
  },
  {
    method: 'POST',
    path: '/threads/{thread_id}/runs',
    beta: true,
    handler: async ({ engine, params, query, body }) => {
      // `include[]` shapes file_search step contents in the stream; it is checked here and the steps endpoints honour it.
      parseStepInclude(query['include']);
      const input = await body();
      const run = engine.runs.create(params['thread_id']!, input as RunCreateParams);
      return wantsStream(input) ? eventStream(run.id, 0) : ok(run);
    },
  },
  {
    method: 'GET',
    path: '/threads/{thread_id}/runs/{run_id}',
    beta: true,
    handler: ({ engine, params }) => ok(engine.runs.retrieve(params['thread_id']!, params['run_id']!)),
  },
  {
    method: 'POST',
    path: '/threads/{thread_id}/runs/{run_id}',
    beta: true,
    handler: async ({ engine, params, body }) => ok(engine.runs.update(params['thread_id']!, params['run_id']!, (await body()) as { metadata?: Record<string, string> })),
  },
  {
    method: 'POST',
    path: '/threads/{thread_id}/runs/{run_id}/cancel',
    beta: true,
    handler: async ({ engine, params, body }) => {
      await body();
      return ok(engine.runs.cancel(params['thread_id']!, params['run_id']!));
    },
  },
  {
    method: 'POST',
    path: '/threads/{thread_id}/runs/{run_id}/submit_tool_outputs',
    beta: true,
    handler: async ({ engine, params, body }) => {
      const input = await body();
      const runId = params['run_id']!;
      // The continuation's events are those published from here on.
      const fromSeq = engine.hub.nextSeq(runId);
      const run = engine.runs.submitToolOutputs(params['thread_id']!, runId, input as { tool_outputs: ToolOutput[] });
      return wantsStream(input) ? eventStream(run.id, fromSeq) : ok(run);
    },
  },
  {
    method: 'GET',
    path: '/threads/{thread_id}/runs/{run_id}/steps',
    beta: true,
    handler: ({ engine, params, query }) =>
      ok(engine.runs.listSteps(params['thread_id']!, params['run_id']!, parseListParams(query), parseStepInclude(query['include']))),
  },
  {
    method: 'GET',
    path: '/threads/{thread_id}/runs/{run_id}/steps/{step_id}',
    beta: true,
    handler: ({ engine, params, query }) =>
      ok(engine.runs.retrieveStep(params['thread_id']!, params['run_id']!, params['step_id']!, parseStepInclude(query['include']))),
  },
];
