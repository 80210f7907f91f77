/**
 * What an import file is turned into before anything is written: threads with their messages in
 * conversation order, whatever format they came from. Readers produce it; the importer stores it.
 */
import type { Metadata } from '../types/common.ts';
import type { MessageContent, MessageIncompleteReason } from '../types/message.ts';

export interface ImportedMessage {
  /** The id the message had where it came from (kept in metadata, never reused as our id). */
  sourceId: string | null;
  created_at: number;
  role: 'user' | 'assistant';
  content: MessageContent[];
  status: 'completed' | 'incomplete';
  incompleteReason: MessageIncompleteReason | null;
  metadata: Metadata;
}

export interface ImportedThread {
  sourceId: string | null;
  created_at: number;
  metadata: Metadata;
  /** Oldest first. */
  messages: ImportedMessage[];
}

export type ImportSource = 'threadwork' | 'openai-assistants-v2';

export interface ImportPlan {
  source: ImportSource;
  threads: ImportedThread[];
  /** Things the reader skipped or changed, one sentence each, for the user. */
  notes: string[];
}

/** A file that cannot be imported; the message says what was expected. */
export class ImportFormatError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ImportFormatError';
  }
}
