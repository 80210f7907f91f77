/**
 * Reads an untyped request body field by field, failing with v2's wording and a dotted `param`
 * path on the first problem. The server and the extension both pass what they receive through
 * the parsers built on this, so bad input is refused the same way everywhere.
 */
import { invalid } from '../errors.ts';

type Json = unknown;

function describe(value: Json): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object') return 'an object';
  if (typeof value === 'string') return 'a string';
  if (typeof value === 'number') return Number.isInteger(value) ? 'an integer' : 'a decimal';
  if (typeof value === 'boolean') return 'a boolean';
  return typeof value;
}

export function typeError(param: string, expected: string, value: Json): Error {
  return invalid(`Invalid type for '${param}': expected ${expected}, but got ${describe(value)} instead.`, param, 'invalid_type');
}

export function isPlainObject(value: Json): value is Record<string, Json> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export interface NumberLimits {
  min?: number;
  max?: number;
  integer?: boolean;
}

export class BodyReader {
  private readonly seen = new Set<string>();
  readonly body: Record<string, Json>;
  readonly path: string;

  constructor(body: Json, path = '') {
    if (!isPlainObject(body)) {
      throw path
        ? typeError(path, 'an object', body)
        : invalid('The request body must be a JSON object.', null, 'invalid_type');
    }
    this.body = body;
    this.path = path;
  }

  param(key: string): string {
    return this.path ? `${this.path}.${key}` : key;
  }

  has(key: string): boolean {
    return this.body[key] !== undefined;
  }

  raw(key: string): Json {
    this.seen.add(key);
    return this.body[key];
  }

  /** Refuses keys that were never read: v2 rejected unknown parameters rather than ignoring them. */
  done(): void {
    for (const key of Object.keys(this.body)) {
      if (!this.seen.has(key)) throw invalid(`Unknown parameter: '${this.param(key)}'.`, this.param(key), 'unknown_parameter');
    }
  }

  required<T>(key: string, read: (reader: this, key: string) => T | undefined): T {
    if (this.body[key] === undefined || this.body[key] === null) {
      this.seen.add(key);
      throw invalid(`Missing required parameter: '${this.param(key)}'.`, this.param(key), 'missing_required_parameter');
    }
    return read(this, key) as T;
  }

  string(key: string, options: { max?: number; min?: number; enum?: readonly string[] } = {}): string | undefined {
    const value = this.raw(key);
    if (value === undefined) return undefined;
    return checkString(value, this.param(key), options);
  }

  nullableString(key: string, options: { max?: number; min?: number; enum?: readonly string[] } = {}): string | null | undefined {
    const value = this.raw(key);
    if (value === null) return null;
    return this.string(key, options);
  }

  number(key: string, limits: NumberLimits = {}): number | undefined {
    const value = this.raw(key);
    if (value === undefined) return undefined;
    return checkNumber(value, this.param(key), limits);
  }

  nullableNumber(key: string, limits: NumberLimits = {}): number | null | undefined {
    const value = this.raw(key);
    if (value === null) return null;
    return this.number(key, limits);
  }

  boolean(key: string): boolean | undefined {
    const value = this.raw(key);
    if (value === undefined) return undefined;
    if (typeof value !== 'boolean') throw typeError(this.param(key), 'a boolean', value);
    return value;
  }

  nullableBoolean(key: string): boolean | null | undefined {
    const value = this.raw(key);
    if (value === null) return null;
    return this.boolean(key);
  }

  array(key: string, options: { max?: number; min?: number } = {}): Json[] | undefined {
    const value = this.raw(key);
    if (value === undefined) return undefined;
    return checkArray(value, this.param(key), options);
  }

  object(key: string): BodyReader | undefined {
    const value = this.raw(key);
    if (value === undefined) return undefined;
    return new BodyReader(value, this.param(key));
  }
}

export function checkString(value: Json, param: string, options: { max?: number; min?: number; enum?: readonly string[] } = {}): string {
  if (typeof value !== 'string') throw typeError(param, 'a string', value);
  if (options.max !== undefined && value.length > options.max) {
    throw invalid(
      `Invalid '${param}': string too long. Expected a string with maximum length ${options.max}, but got a string with length ${value.length} instead.`,
      param,
      'string_above_max_length',
    );
  }
  if (options.min !== undefined && value.length < options.min) {
    throw invalid(
      `Invalid '${param}': string too short. Expected a string with minimum length ${options.min}, but got an empty string instead.`,
      param,
      'string_below_min_length',
    );
  }
  if (options.enum && !options.enum.includes(value)) {
    throw invalid(
      `Invalid value: '${value}'. Supported values are: ${options.enum.map((item) => `'${item}'`).join(', ')}.`,
      param,
      'invalid_value',
    );
  }
  return value;
}

export function checkNumber(value: Json, param: string, limits: NumberLimits = {}): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) throw typeError(param, limits.integer ? 'an integer' : 'a number', value);
  if (limits.integer && !Number.isInteger(value)) throw typeError(param, 'an integer', value);
  const noun = limits.integer ? 'integer' : 'decimal';
  if (limits.max !== undefined && value > limits.max) {
    throw invalid(`Invalid '${param}': ${noun} above maximum value. Expected a value <= ${limits.max}, but got ${value} instead.`, param, `${noun}_above_max_value`);
  }
  if (limits.min !== undefined && value < limits.min) {
    throw invalid(`Invalid '${param}': ${noun} below minimum value. Expected a value >= ${limits.min}, but got ${value} instead.`, param, `${noun}_below_min_value`);
  }
  return value;
}

export function checkArray(value: Json, param: string, options: { max?: number; min?: number } = {}): Json[] {
  if (!Array.isArray(value)) throw typeError(param, 'an array', value);
  if (options.max !== undefined && value.length > options.max) {
    throw invalid(
      `Invalid '${param}': array too long. Expected an array with maximum length ${options.max}, but got an array with length ${value.length} instead.`,
      param,
      'array_above_max_length',
    );
  }
  if (options.min !== undefined && value.length < options.min) {
    throw invalid(
      `Invalid '${param}': array too short. Expected an array with minimum length ${options.min}, but got an array with length ${value.length} instead.`,
      param,
      'array_below_min_length',
    );
  }
  return value;
}
