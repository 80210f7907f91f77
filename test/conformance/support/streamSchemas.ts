/**
 * Validates SSE payloads against the spec's stream-event schemas (checklist #73) with ajv set up
 * as Prism sets it up (@stoplight/prism-http validator/utils.js: allErrors, allowUnionTypes,
 * allowMatchingProperties, strict off, no coercion, ajv-formats, unknown formats ignored), so a
 * frame passes here exactly when Prism would pass the same object in a JSON response.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import type { Ajv as AjvClass, ValidateFunction } from 'ajv';
import { parse } from 'yaml';

// ajv and ajv-formats are CommonJS with a `default` export; Prism loads them the same way.
const require = createRequire(import.meta.url);
const Ajv = (require('ajv') as { Ajv: typeof AjvClass }).Ajv;
const addFormats = (require('ajv-formats') as { default: (ajv: AjvClass) => void }).default;

const fixture = (name: string): string => fileURLToPath(new URL(`../../fixtures/${name}`, import.meta.url));

/** The stream-event member that describes an event name (docs/assistants-v2.md §5.2). */
export function memberFor(event: string): string {
  if (event === 'done') return 'DoneEvent';
  if (event === 'error') return 'ErrorEvent';
  if (event === 'thread.created') return 'ThreadStreamEvent';
  if (event.startsWith('thread.run.step.')) return 'RunStepStreamEvent';
  if (event.startsWith('thread.run.')) return 'RunStreamEvent';
  if (event.startsWith('thread.message.')) return 'MessageStreamEvent';
  return 'AssistantStreamEvent';
}

let validators: Map<string, ValidateFunction> | undefined;

function load(): Map<string, ValidateFunction> {
  const subset = parse(readFileSync(fixture('openapi-assistants.yaml'), 'utf8')) as { components: { schemas: Record<string, unknown> } };
  const events = parse(readFileSync(fixture('openapi-stream-events.yaml'), 'utf8')) as { components: { schemas: Record<string, unknown> } };
  const ajv = new Ajv({
    allErrors: true,
    allowUnionTypes: true,
    allowMatchingProperties: true,
    strict: false,
    coerceTypes: false,
    logger: { log: () => undefined, warn: () => undefined, error: (...args: unknown[]) => console.error(...args) },
  });
  addFormats(ajv);
  ajv.addSchema({ components: { schemas: { ...subset.components.schemas, ...events.components.schemas } } }, 'spec');
  const names = ['AssistantStreamEvent', 'ThreadStreamEvent', 'RunStreamEvent', 'RunStepStreamEvent', 'MessageStreamEvent', 'ErrorEvent', 'DoneEvent', 'ErrorResponse'];
  return new Map(names.map((name) => [name, ajv.getSchema(`spec#/components/schemas/${name}`)!]));
}

/**
 * Checks one frame; returns the problems (empty when valid). The error frame carries
 * `{"error":{…}}` (what both SDKs raise on, docs §5.1): its inner object is checked as the
 * spec's ErrorEvent data, and the whole as ErrorResponse.
 */
export function validateFrame(event: string, data: unknown): string[] {
  validators ??= load();
  const problems: string[] = [];
  const check = (schema: string, value: unknown): void => {
    const validate = validators!.get(schema)!;
    if (!validate(value)) problems.push(`${schema}: ${JSON.stringify(validate.errors?.slice(0, 5))}`);
  };
  if (event === 'error') {
    check('ErrorResponse', data);
    check('ErrorEvent', { event, data: (data as { error?: unknown } | null)?.error });
  } else {
    check(memberFor(event), { event, data });
  }
  return problems;
}
