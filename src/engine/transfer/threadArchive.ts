/**
 * Threadwork's own export format: threads with their messages exactly as the v2 API returns them,
 * plus the runs' model and token usage. It is the format Import Threads reads back without loss,
 * and plain enough JSON that a script can read it too.
 */
import type { Engine } from '../engine.ts';
import type { Usage } from '../types/common.ts';
import type { Message } from '../types/message.ts';
import type { Thread } from '../types/thread.ts';

export const ARCHIVE_FORMAT = 'threadwork.threads';
export const ARCHIVE_VERSION = 1;

/** What a run contributed to the conversation, without its instructions or tool definitions. */
export interface ArchivedRun {
  id: string;
  created_at: number;
  status: string;
  model: string;
  usage: Usage | null;
}

export interface ArchivedThread {
  thread: Thread;
  /** Oldest first. */
  messages: Message[];
  /** Oldest first. */
  runs: ArchivedRun[];
}

export interface ThreadArchive {
  format: typeof ARCHIVE_FORMAT;
  version: typeof ARCHIVE_VERSION;
  /** Unix seconds. */
  exported_at: number;
  threads: ArchivedThread[];
}

const PAGE = 100;

/** Every message of a thread, oldest first, read page by page. */
export function allMessagesOf(engine: Engine, threadId: string): Message[] {
  const messages: Message[] = [];
  let after: string | undefined;
  for (;;) {
    const page = engine.messages.list(threadId, { order: 'asc', limit: PAGE, ...(after ? { after } : {}) });
    messages.push(...page.data);
    if (!page.has_more || page.data.length === 0) return messages;
    after = page.data[page.data.length - 1]!.id;
  }
}

function allRunsOf(engine: Engine, threadId: string): ArchivedRun[] {
  const runs: ArchivedRun[] = [];
  let after: string | undefined;
  for (;;) {
    const page = engine.runs.list(threadId, { order: 'asc', limit: PAGE, ...(after ? { after } : {}) });
    runs.push(...page.data.map((run) => ({ id: run.id, created_at: run.created_at, status: run.status, model: run.model, usage: run.usage })));
    if (!page.has_more || page.data.length === 0) return runs;
    after = page.data[page.data.length - 1]!.id;
  }
}

/** Reads the given threads out of the engine (throws not_found for an unknown id). */
export function archiveThreads(engine: Engine, threadIds: readonly string[], nowSeconds = Math.floor(Date.now() / 1000)): ThreadArchive {
  return {
    format: ARCHIVE_FORMAT,
    version: ARCHIVE_VERSION,
    exported_at: nowSeconds,
    threads: threadIds.map((threadId) => ({
      thread: engine.threads.retrieve(threadId),
      messages: allMessagesOf(engine, threadId),
      runs: allRunsOf(engine, threadId),
    })),
  };
}

export function serializeArchive(archive: ThreadArchive): string {
  return `${JSON.stringify(archive, null, 2)}\n`;
}
