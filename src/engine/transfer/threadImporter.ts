/**
 * Writes an ImportPlan into the engine in one transaction: every thread and message gets a new id
 * (importing the same file twice gives two copies, never a clash), keeps its original time, role,
 * text and metadata, and remembers where it came from in metadata. Images whose file is not in
 * this database become a note instead of a broken reference.
 */
import type { Engine } from '../engine.ts';
import { newId } from '../ids.ts';
import type { Metadata } from '../types/common.ts';
import type { Message, MessageContent } from '../types/message.ts';
import type { Thread } from '../types/thread.ts';
import type { ImportPlan } from './importedThread.ts';

/** Metadata key naming the id a thread or message had in the file it was imported from. */
export const IMPORTED_FROM_KEY = 'imported_from';

export interface ImportReport {
  /** The new threads, in the order of the plan (oldest first). */
  threadIds: string[];
  messages: number;
  notes: string[];
}

export function importThreads(engine: Engine, plan: ImportPlan): ImportReport {
  const notes = new Set(plan.notes);
  const threadIds: string[] = [];
  let messages = 0;
  engine.store.transaction(() => {
    for (const imported of plan.threads) {
      const thread: Thread = {
        id: newId('thread'),
        object: 'thread',
        created_at: imported.created_at,
        tool_resources: {},
        metadata: withOrigin(imported.metadata, imported.sourceId),
      };
      engine.store.threads.insert(thread.id, thread);
      threadIds.push(thread.id);
      for (const source of imported.messages) {
        const message: Message = {
          id: newId('message'),
          object: 'thread.message',
          created_at: source.created_at,
          thread_id: thread.id,
          status: source.status,
          incomplete_details: source.incompleteReason ? { reason: source.incompleteReason } : null,
          completed_at: source.status === 'completed' ? source.created_at : null,
          incomplete_at: source.status === 'incomplete' ? source.created_at : null,
          role: source.role,
          content: source.content.map((part) => presentPart(engine, part, notes)),
          assistant_id: null,
          run_id: null,
          attachments: null,
          metadata: withOrigin(source.metadata, source.sourceId),
        };
        engine.store.messages.insert(message.id, message);
        messages++;
      }
    }
  });
  return { threadIds, messages, notes: [...notes] };
}

function withOrigin(metadata: Metadata, sourceId: string | null): Metadata {
  if (sourceId === null || IMPORTED_FROM_KEY in metadata || Object.keys(metadata).length >= 16) return { ...metadata };
  return { ...metadata, [IMPORTED_FROM_KEY]: sourceId.slice(0, 512) };
}

function presentPart(engine: Engine, part: MessageContent, notes: Set<string>): MessageContent {
  if (part.type !== 'image_file' || engine.store.files.get(part.image_file.file_id)) return part;
  notes.add('Images stored as files were not in the export; a note marks where each one was.');
  return { type: 'text', text: { value: `[image ${part.image_file.file_id} was not included in the export]`, annotations: [] } };
}
