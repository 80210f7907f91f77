/** Threads: create (with initial messages), retrieve, modify, delete (with everything on them), list. */
import type { EngineContext } from '../engineContext.ts';
import { notFound } from '../errors.ts';
import { checkIdPrefix, newId } from '../ids.ts';
import type { ToolResourceExpander } from '../assistants/assistantService.ts';
import type { MessageService } from '../messages/messageService.ts';
import type { DeletedObject, ListPage, ListParams } from '../types/common.ts';
import type { Thread, ThreadCreateParams, ThreadUpdateParams } from '../types/thread.ts';
import { parseThreadCreate, parseThreadUpdate } from '../validation/objectParams.ts';

export class ThreadService {
  private readonly context: EngineContext;
  private readonly messages: MessageService;
  /** Called before a thread is deleted so an executing run can be stopped first. */
  onBeforeDelete: ((threadId: string) => void) | null = null;
  private expandResources: ToolResourceExpander = (resources) => resources;

  constructor(context: EngineContext, messages: MessageService) {
    this.context = context;
    this.messages = messages;
  }

  setToolResourceExpander(expander: ToolResourceExpander): void {
    this.expandResources = expander;
  }

  create(input: ThreadCreateParams = {}): Thread {
    const params = parseThreadCreate(input);
    return this.context.store.transaction(() => this.insert(params));
  }

  /** Inside the caller's transaction (create-thread-and-run uses it too). */
  insert(params: ThreadCreateParams): Thread {
    const thread: Thread = {
      id: newId('thread'),
      object: 'thread',
      created_at: this.context.clock.nowSeconds(),
      tool_resources: this.expandResources(params.tool_resources, 'thread') ?? {},
      metadata: params.metadata ?? {},
    };
    this.context.store.threads.insert(thread.id, thread);
    for (const message of params.messages ?? []) this.messages.insert(thread.id, message, { runId: null, assistantId: null });
    return this.context.store.threads.get(thread.id)!;
  }

  retrieve(threadId: string): Thread {
    checkIdPrefix(threadId, 'thread', 'thread_id');
    const thread = this.context.store.threads.get(threadId);
    if (!thread) throw notFound('thread', threadId);
    return thread;
  }

  update(threadId: string, input: ThreadUpdateParams): Thread {
    const params = parseThreadUpdate(input);
    return this.context.store.transaction(() => {
      const thread = this.retrieve(threadId);
      const updated: Thread = { ...thread };
      if (params.tool_resources !== undefined) updated.tool_resources = this.expandResources(params.tool_resources, 'thread') ?? {};
      if (params.metadata !== undefined) updated.metadata = params.metadata ?? {};
      this.context.store.threads.update(threadId, updated);
      return updated;
    });
  }

  /** Replaces a thread's record as a whole (attachments grow its tool resources). */
  save(thread: Thread): void {
    this.context.store.threads.update(thread.id, thread);
  }

  delete(threadId: string): DeletedObject {
    this.retrieve(threadId);
    this.onBeforeDelete?.(threadId);
    this.context.store.transaction(() => {
      const db = this.context.store.db;
      this.context.store.deleteThreadRunData(threadId);
      db.prepare('DELETE FROM run_steps WHERE thread_id = ?').run(threadId);
      db.prepare('DELETE FROM runs WHERE thread_id = ?').run(threadId);
      db.prepare('DELETE FROM messages WHERE thread_id = ?').run(threadId);
      this.context.store.threads.delete(threadId);
    });
    return { id: threadId, object: 'thread.deleted', deleted: true };
  }

  /** Not in v2 (threads were never listable); the chat panel's history needs it. */
  list(params: ListParams = {}): ListPage<Thread> {
    return this.context.store.threads.list({}, params);
  }
}
