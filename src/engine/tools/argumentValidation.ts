/**
 * Checks a tool call's JSON arguments against the tool's parameter schema (the subset of JSON
 * Schema the tools use) and explains problems in words the model can act on. Runtime dependencies
 * stay small: ajv is only a dev dependency.
 */
import { ToolError } from './tool.ts';

export interface JsonSchema {
  type?: 'object' | 'string' | 'integer' | 'number' | 'boolean' | 'array';
  description?: string;
  properties?: Record<string, JsonSchema>;
  required?: readonly string[];
  additionalProperties?: boolean;
  items?: JsonSchema;
  enum?: readonly (string | number)[];
  minimum?: number;
  maximum?: number;
  minLength?: number;
  maxLength?: number;
  minItems?: number;
  maxItems?: number;
}

/** Parses and validates; throws ToolError listing every problem and the expected shape. */
export function parseToolArguments(toolName: string, schema: JsonSchema, raw: string): unknown {
  let value: unknown;
  const text = raw.trim() === '' ? '{}' : raw;
  try {
    value = JSON.parse(text);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new ToolError(`The arguments for ${toolName} are not valid JSON (${reason}). Send one JSON object: ${shapeOf(schema)}.`);
  }
  const problems = validateValue(schema, value, '');
  if (problems.length > 0) {
    throw new ToolError(`Invalid arguments for ${toolName}: ${problems.slice(0, 5).join('; ')}. Expected: ${shapeOf(schema)}.`);
  }
  return value;
}

export function validateValue(schema: JsonSchema, value: unknown, at: string): string[] {
  const name = at === '' ? 'the arguments' : `'${at}'`;
  if (schema.type && !hasType(schema.type, value)) return [`${name} must be ${article(schema.type)} (got ${describe(value)})`];
  if (schema.enum && !schema.enum.includes(value as string | number)) return [`${name} must be one of ${schema.enum.map((item) => JSON.stringify(item)).join(', ')}`];
  const problems: string[] = [];
  if (typeof value === 'string') {
    if (schema.minLength !== undefined && value.length < schema.minLength) problems.push(`${name} must not be empty`);
    if (schema.maxLength !== undefined && value.length > schema.maxLength) problems.push(`${name} is longer than ${schema.maxLength} characters`);
  }
  if (typeof value === 'number') {
    if (schema.minimum !== undefined && value < schema.minimum) problems.push(`${name} must be at least ${schema.minimum}`);
    if (schema.maximum !== undefined && value > schema.maximum) problems.push(`${name} must be at most ${schema.maximum}`);
  }
  if (Array.isArray(value)) {
    if (schema.minItems !== undefined && value.length < schema.minItems) problems.push(`${name} needs at least ${schema.minItems} item(s)`);
    if (schema.maxItems !== undefined && value.length > schema.maxItems) problems.push(`${name} allows at most ${schema.maxItems} items`);
    if (schema.items) value.forEach((item, index) => problems.push(...validateValue(schema.items!, item, `${at}[${index}]`)));
  }
  if (schema.type === 'object' && isPlainObject(value)) {
    for (const key of schema.required ?? []) {
      if (value[key] === undefined) problems.push(`'${join(at, key)}' is required (${schema.properties?.[key]?.type ?? 'value'})`);
    }
    for (const [key, item] of Object.entries(value)) {
      const property = schema.properties?.[key];
      if (!property) {
        if (schema.additionalProperties === false) problems.push(`'${join(at, key)}' is not a parameter`);
        continue;
      }
      // Models often send null for "not given"; treat it as absent for optional parameters.
      if (item === null && !(schema.required ?? []).includes(key)) continue;
      problems.push(...validateValue(property, item, join(at, key)));
    }
  }
  return problems;
}

/** "{path: string, start_line?: integer}" — the shape repeated back to the model in errors. */
export function shapeOf(schema: JsonSchema): string {
  if (schema.type === 'array') return `[${schema.items ? shapeOf(schema.items) : 'value'}, …]`;
  if (schema.type !== 'object' || !schema.properties) return schema.enum ? schema.enum.map((item) => JSON.stringify(item)).join(' | ') : (schema.type ?? 'value');
  const required = new Set(schema.required ?? []);
  const fields = Object.entries(schema.properties).map(([key, property]) => `${key}${required.has(key) ? '' : '?'}: ${shapeOf(property)}`);
  return `{${fields.join(', ')}}`;
}

/** Drops null values the model used for "not given" so tools see undefined. */
export function withoutNulls<T>(value: T): T {
  if (Array.isArray(value)) return value.map(withoutNulls) as T;
  if (!isPlainObject(value)) return value;
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) if (item !== null) out[key] = withoutNulls(item);
  return out as T;
}

function hasType(type: NonNullable<JsonSchema['type']>, value: unknown): boolean {
  if (type === 'object') return isPlainObject(value);
  if (type === 'array') return Array.isArray(value);
  if (type === 'integer') return typeof value === 'number' && Number.isInteger(value);
  if (type === 'number') return typeof value === 'number' && Number.isFinite(value);
  return typeof value === type;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function join(at: string, key: string): string {
  return at === '' ? key : `${at}.${key}`;
}

function article(type: string): string {
  return type === 'integer' || type === 'object' || type === 'array' ? `an ${type}` : `a ${type}`;
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value;
}
