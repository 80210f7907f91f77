/** Object ids as v2 shaped them: a type prefix and an opaque random suffix (docs/assistants-v2.md §1.2). */
import { randomFillSync } from 'node:crypto';
import { invalid } from './errors.ts';

export const ID_PREFIX = {
  assistant: 'asst_',
  thread: 'thread_',
  message: 'msg_',
  run: 'run_',
  step: 'step_',
  call: 'call_',
  file: 'file-',
  vectorStore: 'vs_',
  fileBatch: 'vsfb_',
} as const;

export type IdKind = keyof typeof ID_PREFIX;

const ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

const ID_LENGTH = 24;
// Random bytes for 256 ids at a time: one call into the CSPRNG per id cost more than the insert.
const pool = Buffer.alloc(ID_LENGTH * 256);
let poolOffset = pool.length;

/** 24 base62 characters: about 143 bits, so collisions never need handling. */
export function newId(kind: IdKind): string {
  if (poolOffset === pool.length) {
    randomFillSync(pool);
    poolOffset = 0;
  }
  let suffix = '';
  for (let i = 0; i < ID_LENGTH; i++) suffix += ALPHABET[pool[poolOffset + i]! % 62];
  poolOffset += ID_LENGTH;
  return ID_PREFIX[kind] + suffix;
}

/**
 * v2 checked the prefix of every path id before looking it up:
 * "Invalid 'thread_id': 'x'. Expected an ID that begins with 'thread'."
 */
export function checkIdPrefix(id: string, kind: IdKind, param: string): void {
  const prefix = ID_PREFIX[kind];
  if (typeof id !== 'string' || !id.startsWith(prefix) || id.length <= prefix.length) {
    const bare = prefix.replace(/[_-]$/, '');
    throw invalid(`Invalid '${param}': '${String(id)}'. Expected an ID that begins with '${bare}'.`, param, 'invalid_value');
  }
}
