/**
 * Reads a thread out of the engine in the shape the chat panel draws from. A thread the panel opens
 * may hold thousands of messages, so everything is read in a few ordered queries, and a run that is
 * still going is sent as its events so far, which the panel replays exactly as if it had been
 * listening all along.
 */
import type { Engine } from '../engine/engine.ts';
import type { Message } from '../engine/types/message.ts';
import type { Run } from '../engine/types/run.ts';
import type { Thread } from '../engine/types/thread.ts';
import type { ActiveRunState, RunSummary, ThreadSnapshot, ThreadSummary } from '../protocol/chatModel.ts';

/** The metadata key that holds a thread's title (v2 metadata: string values up to 512 characters). */
export const TITLE_KEY = 'title';
const TITLE_LENGTH = 80;
const PAGE = 1000;
const ACTIVE = new Set(['queued', 'in_progress', 'requires_action', 'cancelling']);

/** A title from the first line of the first message: what a person would call the conversation. */
export function titleFromText(text: string): string {
  const line = text.trim().split('\n', 1)[0]?.trim() ?? '';
  if (line.length === 0) return 'New conversation';
  return line.length > TITLE_LENGTH ? `${line.slice(0, TITLE_LENGTH - 1)}…` : line;
}

export function summarizeThread(engine: Engine, thread: Thread): ThreadSummary {
  const title = thread.metadata[TITLE_KEY];
  return { id: thread.id, title: title && title.length > 0 ? title : untitled(engine, thread.id), createdAt: thread.created_at };
}

function untitled(engine: Engine, threadId: string): string {
  const first = engine.messages.list(threadId, { order: 'asc', limit: 1 }).data[0];
  return first ? titleFromText(messageText(first)) : 'Empty conversation';
}

export function messageText(message: Message): string {
  return message.content.map((part) => (part.type === 'text' ? part.text.value : '')).join('\n');
}

export function summarizeRun(run: Run): RunSummary {
  const { id, thread_id, assistant_id, status, created_at, model, usage, last_error, incomplete_details, metadata } = run;
  return { id, thread_id, assistant_id, status, created_at, model, usage, last_error, incomplete_details, metadata };
}

/** Newest first, as the history list shows them; `query` matches titles and message text. */
export function listThreads(engine: Engine, query = '', limit = 200): ThreadSummary[] {
  const threads = engine.threads.list({ limit, order: 'desc' }).data.map((thread) => summarizeThread(engine, thread));
  const needle = query.trim().toLowerCase();
  if (needle.length === 0) return threads;
  return threads.filter((thread) => thread.title.toLowerCase().includes(needle) || threadMentions(engine, thread.id, needle));
}

function threadMentions(engine: Engine, threadId: string, needle: string): boolean {
  return allMessages(engine, threadId).some((message) => messageText(message).toLowerCase().includes(needle));
}

function allMessages(engine: Engine, threadId: string): Message[] {
  const messages: Message[] = [];
  let after: string | undefined;
  for (;;) {
    const page = engine.messages.list(threadId, { order: 'asc', limit: PAGE, ...(after ? { after } : {}) });
    messages.push(...page.data);
    if (!page.has_more || page.last_id === null) return messages;
    after = page.last_id;
  }
}

function allRuns(engine: Engine, threadId: string): Run[] {
  const runs: Run[] = [];
  let after: string | undefined;
  for (;;) {
    const page = engine.runs.list(threadId, { order: 'asc', limit: PAGE, ...(after ? { after } : {}) });
    runs.push(...page.data);
    if (!page.has_more || page.last_id === null) return runs;
    after = page.last_id;
  }
}

export function threadSnapshot(engine: Engine, threadId: string): ThreadSnapshot {
  const thread = engine.threads.retrieve(threadId);
  // The stored copy of a running run can lag its executor; the service returns the live one.
  const runs = allRuns(engine, threadId).map((run) => (ACTIVE.has(run.status) ? engine.runs.retrieve(threadId, run.id) : run));
  const active = runs.find((run) => ACTIVE.has(run.status)) ?? null;
  const activeRun = active ? activeRunState(engine, active.id) : null;
  // Replayed events rebuild the active run's messages and steps; sending both would show them twice.
  const replayed = activeRun !== null && activeRun.events.length > 0 ? activeRun.runId : null;
  const messages = allMessages(engine, threadId).filter((message) => replayed === null || message.run_id !== replayed);
  const steps = engine.store.steps.all({ thread_id: threadId }).filter((step) => step.run_id !== replayed);
  return {
    thread: summarizeThread(engine, thread),
    messages,
    runs: runs.filter((run) => run.id !== replayed).map(summarizeRun),
    steps,
    activeRun,
  };
}

function activeRunState(engine: Engine, runId: string): ActiveRunState {
  const events = engine.hub.eventsSince(runId, 0);
  // A log that does not start at 0 cannot rebuild the run; the stored messages are used instead.
  const complete = events.length > 0 && events[0]!.seq === 0;
  return { runId, events: complete ? events : [], nextSeq: engine.hub.nextSeq(runId) };
}
