/**
 * Checks the pieces of a v2 message that import files carry, field by field, so a hand-edited or
 * truncated file gives a clear sentence instead of a crash or a half-written thread.
 */
import type { Metadata } from '../types/common.ts';
import type { Annotation, MessageContent, MessageIncompleteReason } from '../types/message.ts';
import { ImportFormatError } from './importedThread.ts';

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function seconds(value: unknown, where: string): number {
  if (typeof value === 'number' && Number.isFinite(value) && value >= 0) return Math.floor(value);
  throw new ImportFormatError(`${where}: created_at must be Unix seconds (a number), got ${describe(value)}.`);
}

export function role(value: unknown, where: string): 'user' | 'assistant' {
  if (value === 'user' || value === 'assistant') return value;
  throw new ImportFormatError(`${where}: role must be "user" or "assistant", got ${describe(value)}.`);
}

/** v2 metadata: at most 16 string pairs; anything else is dropped rather than refused. */
export function metadata(value: unknown): Metadata {
  if (!isRecord(value)) return {};
  const result: Metadata = {};
  for (const [key, item] of Object.entries(value)) {
    if (Object.keys(result).length >= 16) break;
    if (typeof item === 'string' && key.length <= 64) result[key] = item.slice(0, 512);
  }
  return result;
}

const INCOMPLETE_REASONS: readonly MessageIncompleteReason[] = ['content_filter', 'max_tokens', 'run_cancelled', 'run_expired', 'run_failed'];

export function incompleteReason(status: unknown, details: unknown): MessageIncompleteReason | null {
  if (status !== 'incomplete') return null;
  const reason = isRecord(details) ? details['reason'] : undefined;
  return INCOMPLETE_REASONS.includes(reason as MessageIncompleteReason) ? (reason as MessageIncompleteReason) : 'run_failed';
}

/**
 * Content parts as v2 listed them. Text may also be a bare string (how clients wrote it); a part of
 * a type we do not know becomes a short note in the text, and `notes` says so once.
 */
export function contentParts(value: unknown, where: string, notes: Set<string>): MessageContent[] {
  if (typeof value === 'string') return [textPart(value, [])];
  if (!Array.isArray(value)) throw new ImportFormatError(`${where}: content must be a list of parts, got ${describe(value)}.`);
  return value.map((part, index) => contentPart(part, `${where}.content[${index}]`, notes));
}

function contentPart(part: unknown, where: string, notes: Set<string>): MessageContent {
  if (!isRecord(part) || typeof part['type'] !== 'string') throw new ImportFormatError(`${where}: each content part needs a "type".`);
  const type = part['type'];
  if (type === 'text') {
    const text = part['text'];
    if (typeof text === 'string') return textPart(text, []);
    if (isRecord(text) && typeof text['value'] === 'string') return textPart(text['value'], annotations(text['annotations']));
    throw new ImportFormatError(`${where}: a text part needs text.value (a string).`);
  }
  if (type === 'image_file' && isRecord(part['image_file']) && typeof part['image_file']['file_id'] === 'string') {
    return { type: 'image_file', image_file: { file_id: part['image_file']['file_id'] } };
  }
  if (type === 'image_url' && isRecord(part['image_url']) && typeof part['image_url']['url'] === 'string') {
    return { type: 'image_url', image_url: { url: part['image_url']['url'] } };
  }
  if (type === 'refusal' && typeof part['refusal'] === 'string') return { type: 'refusal', refusal: part['refusal'] };
  notes.add(`Content parts of type "${type}" are not supported; a note stands in their place.`);
  return textPart(`[${type} content not imported]`, []);
}

function textPart(value: string, list: Annotation[]): MessageContent {
  return { type: 'text', text: { value, annotations: list } };
}

function annotations(value: unknown): Annotation[] {
  if (!Array.isArray(value)) return [];
  return value.filter((item): item is Annotation => isRecord(item)
    && (item['type'] === 'file_citation' || item['type'] === 'file_path')
    && typeof item['text'] === 'string' && typeof item['start_index'] === 'number' && typeof item['end_index'] === 'number');
}

export function describe(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'an object';
  const text = JSON.stringify(value);
  return text.length > 40 ? `${text.slice(0, 37)}…` : text;
}
