/**
 * Reads what people saved from the hosted Assistants API v2 before it was shut down: message list
 * pages (`{object:"list", data:[thread.message…]}`) as the API returned them, newest first by
 * default, with or without the thread object, one file or many pages, JSON or one page per line.
 * Messages are grouped by `thread_id`, put in conversation order and de-duplicated (pages saved
 * twice, or overlapping, are fine).
 */
import type { ImportedMessage, ImportedThread, ImportPlan } from './importedThread.ts';
import { ImportFormatError } from './importedThread.ts';
import { contentParts, describe, incompleteReason, isRecord, metadata, role, seconds } from './messageParts.ts';

interface ListedMessage {
  message: ImportedMessage;
  threadId: string;
  /** Orders messages listed within the same second: position in the file, negated for newest-first pages. */
  rank: number;
}

interface ThreadHeader {
  id: string;
  created_at: number;
  metadata: Record<string, string>;
}

export function readAssistantsExport(value: unknown): ImportPlan {
  const pages: ListPageItems[] = [];
  const headers = new Map<string, ThreadHeader>();
  collect(value, pages, headers, 'the file', null);
  if (pages.length === 0) throw new ImportFormatError('No messages found. Expected Assistants API v2 message lists ({"object":"list","data":[{"object":"thread.message",…}]}), optionally with their thread object, or a Threadwork export.');

  const notes = new Set<string>();
  const seen = new Set<string>();
  const listed: ListedMessage[] = [];
  let position = 0;
  for (const page of pages) {
    const newestFirst = isNewestFirst(page.items);
    for (const [index, item] of page.items.entries()) {
      position++;
      const where = `message ${index + 1} of a list`;
      if (!isRecord(item)) throw new ImportFormatError(`${where}: expected a thread.message object, got ${describe(item)}.`);
      if (item['object'] !== undefined && item['object'] !== 'thread.message') {
        throw new ImportFormatError(`${where}: expected "object": "thread.message", got ${describe(item['object'])}.`);
      }
      const id = typeof item['id'] === 'string' ? item['id'] : null;
      if (id !== null && seen.has(id)) continue;
      if (id !== null) seen.add(id);
      const threadId = typeof item['thread_id'] === 'string' ? item['thread_id'] : (page.threadId ?? (headers.size === 1 ? [...headers.keys()][0]! : ''));
      listed.push({ message: toMessage(item, id, where, notes), threadId, rank: newestFirst ? -position : position });
    }
  }

  const byThread = new Map<string, ListedMessage[]>();
  for (const entry of listed) byThread.set(entry.threadId, [...(byThread.get(entry.threadId) ?? []), entry]);
  const threads: ImportedThread[] = [...byThread.entries()].map(([threadId, entries]) => {
    entries.sort((a, b) => a.message.created_at - b.message.created_at || a.rank - b.rank);
    const header = headers.get(threadId);
    const messages = entries.map((entry) => entry.message);
    return {
      sourceId: threadId === '' ? null : threadId,
      created_at: header?.created_at ?? messages[0]?.created_at ?? 0,
      metadata: header?.metadata ?? {},
      messages,
    };
  });
  for (const [id, header] of headers) {
    if (!byThread.has(id)) threads.push({ sourceId: id, created_at: header.created_at, metadata: header.metadata, messages: [] });
  }
  threads.sort((a, b) => a.created_at - b.created_at);
  return { source: 'openai-assistants-v2', threads, notes: [...notes] };
}

/** One list of messages as saved, and the thread it was saved with (for messages without `thread_id`). */
interface ListPageItems {
  items: unknown[];
  threadId: string | null;
}

/** Walks the accepted shapes, gathering message pages and thread objects. */
function collect(value: unknown, pages: ListPageItems[], headers: Map<string, ThreadHeader>, where: string, threadId: string | null): void {
  if (Array.isArray(value)) {
    if (value.length > 0 && value.every((item) => isRecord(item) && item['object'] === 'thread.message')) {
      pages.push({ items: value, threadId });
      return;
    }
    value.forEach((item, index) => collect(item, pages, headers, `${where}[${index}]`, threadId));
    return;
  }
  if (!isRecord(value)) throw new ImportFormatError(`${where}: expected a message list or a thread, got ${describe(value)}.`);
  if (value['object'] === 'list') {
    if (!Array.isArray(value['data'])) throw new ImportFormatError(`${where}: a list needs a "data" array.`);
    if (value['data'].length > 0) pages.push({ items: value['data'], threadId });
    return;
  }
  if (value['object'] === 'thread') {
    addHeader(value, headers, where);
    return;
  }
  if (value['object'] === 'thread.message') {
    pages.push({ items: [value], threadId });
    return;
  }
  let recognised = false;
  const thread = value['thread'];
  const enclosing = isRecord(thread) && typeof thread['id'] === 'string' ? thread['id'] : threadId;
  for (const key of ['thread', 'threads', 'messages', 'data'] as const) {
    if (value[key] === undefined) continue;
    recognised = true;
    collect(value[key], pages, headers, `${where}.${key}`, enclosing);
  }
  if (!recognised) throw new ImportFormatError(`${where}: not a message list, a thread or a Threadwork export (it has ${Object.keys(value).slice(0, 5).map((k) => `"${k}"`).join(', ') || 'no fields'}).`);
}

function addHeader(value: Record<string, unknown>, headers: Map<string, ThreadHeader>, where: string): void {
  if (typeof value['id'] !== 'string') throw new ImportFormatError(`${where}: a thread object needs an "id".`);
  headers.set(value['id'], { id: value['id'], created_at: seconds(value['created_at'], where), metadata: metadata(value['metadata']) });
}

function toMessage(item: Record<string, unknown>, id: string | null, where: string, notes: Set<string>): ImportedMessage {
  const reason = incompleteReason(item['status'], item['incomplete_details']);
  if (Array.isArray(item['attachments']) && item['attachments'].length > 0) notes.add('Attached files are not part of a message export; messages keep their text.');
  return {
    sourceId: id,
    created_at: seconds(item['created_at'], where),
    role: role(item['role'], where),
    content: contentParts(item['content'], where, notes),
    status: reason === null ? 'completed' : 'incomplete',
    incompleteReason: reason,
    metadata: metadata(item['metadata']),
  };
}

/** The API listed newest first unless asked otherwise; the timestamps say which this page is. */
function isNewestFirst(page: unknown[]): boolean {
  const times = page.map((item) => (isRecord(item) && typeof item['created_at'] === 'number' ? item['created_at'] : NaN)).filter((t) => !Number.isNaN(t));
  for (let i = 1; i < times.length; i++) {
    if (times[i]! > times[i - 1]!) return false;
    if (times[i]! < times[i - 1]!) return true;
  }
  return true;
}
