/** A run step as the API returns it: file_search result texts only when `include[]` asks for them. */
import type { RunStep } from '../types/runStep.ts';

export function presentStep(step: RunStep, contexts?: Map<string, { resultContents: unknown }>): RunStep {
  if (!contexts || step.step_details.type !== 'tool_calls') return step;
  const calls = step.step_details.tool_calls.map((call) => {
    if (call.type !== 'file_search') return call;
    const contents = contexts.get(call.id)?.resultContents as string[] | undefined;
    if (!contents || !call.file_search.results) return call;
    return {
      ...call,
      file_search: {
        ...call.file_search,
        results: call.file_search.results.map((result, index) => ({ ...result, content: [{ type: 'text' as const, text: contents[index] ?? '' }] })),
      },
    };
  });
  return { ...step, step_details: { type: 'tool_calls', tool_calls: calls } };
}
