import type { Metadata, UnixSeconds } from './common.ts';

export interface FileCitationAnnotation {
  type: 'file_citation';
  text: string;
  file_citation: { file_id: string };
  start_index: number;
  end_index: number;
}

export interface FilePathAnnotation {
  type: 'file_path';
  text: string;
  file_path: { file_id: string };
  start_index: number;
  end_index: number;
}

export type Annotation = FileCitationAnnotation | FilePathAnnotation;

/** A content part as the API returns it. */
export type MessageContent =
  | { type: 'text'; text: { value: string; annotations: Annotation[] } }
  | { type: 'image_file'; image_file: { file_id: string; detail?: 'auto' | 'low' | 'high' } }
  | { type: 'image_url'; image_url: { url: string; detail?: 'auto' | 'low' | 'high' } }
  | { type: 'refusal'; refusal: string };

/** A content part as a client sends it: text is a bare string on input. */
export type MessageContentInput =
  | { type: 'text'; text: string }
  | { type: 'image_file'; image_file: { file_id: string; detail?: 'auto' | 'low' | 'high' } }
  | { type: 'image_url'; image_url: { url: string; detail?: 'auto' | 'low' | 'high' } };

export interface Attachment {
  file_id: string;
  tools: Array<{ type: 'code_interpreter' } | { type: 'file_search' }>;
}

export type MessageStatus = 'in_progress' | 'incomplete' | 'completed';
export type MessageIncompleteReason = 'content_filter' | 'max_tokens' | 'run_cancelled' | 'run_expired' | 'run_failed';

/** `object: "thread.message"`. */
export interface Message {
  id: string;
  object: 'thread.message';
  created_at: UnixSeconds;
  thread_id: string;
  status: MessageStatus;
  incomplete_details: { reason: MessageIncompleteReason } | null;
  completed_at: UnixSeconds | null;
  incomplete_at: UnixSeconds | null;
  role: 'user' | 'assistant';
  content: MessageContent[];
  assistant_id: string | null;
  run_id: string | null;
  attachments: Attachment[] | null;
  metadata: Metadata;
}

export interface MessageCreateParams {
  role: 'user' | 'assistant';
  content: string | MessageContentInput[];
  attachments?: Attachment[] | null;
  metadata?: Metadata | null;
}

export interface MessageListParams {
  limit?: number;
  order?: 'asc' | 'desc';
  after?: string;
  before?: string;
  run_id?: string;
}
