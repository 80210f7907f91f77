/** Messages on a thread: create (refused while a run holds the thread), retrieve, modify, delete, list. */
import type { EngineContext } from '../engineContext.ts';
import { EngineError, notFound } from '../errors.ts';
import { checkIdPrefix, newId } from '../ids.ts';
import type { DeletedObject, ListPage } from '../types/common.ts';
import type { Message, MessageCreateParams, MessageListParams } from '../types/message.ts';
import { parseMessageCreate, parseMessageUpdate } from '../validation/objectParams.ts';
import { toMessageContent } from './messageContent.ts';

/** Hooks into other services that a message's attachments reach (thread tool resources). */
export interface AttachmentSink {
  attach(threadId: string, message: Message): void;
}

export class MessageService {
  private readonly context: EngineContext;
  private attachmentSink: AttachmentSink | null = null;

  constructor(context: EngineContext) {
    this.context = context;
  }

  setAttachmentSink(sink: AttachmentSink): void {
    this.attachmentSink = sink;
  }

  private requireThread(threadId: string): void {
    checkIdPrefix(threadId, 'thread', 'thread_id');
    if (!this.context.store.threads.has(threadId)) throw notFound('thread', threadId);
  }

  create(threadId: string, input: MessageCreateParams): Message {
    const params = parseMessageCreate(input);
    return this.context.store.transaction(() => {
      this.requireThread(threadId);
      const active = this.context.store.activeRunOf(threadId);
      if (active) {
        throw new EngineError('conflict_active_run', `Can't add messages to ${threadId} while a run ${active.id} is active.`);
      }
      return this.insert(threadId, params, { runId: null, assistantId: null });
    });
  }

  /** Inserts without the lock check: for thread creation and a run's own additional messages. */
  insert(threadId: string, params: MessageCreateParams, origin: { runId: string | null; assistantId: string | null }): Message {
    const now = this.context.clock.nowSeconds();
    const message: Message = {
      id: newId('message'),
      object: 'thread.message',
      created_at: now,
      thread_id: threadId,
      status: 'completed',
      incomplete_details: null,
      completed_at: now,
      incomplete_at: null,
      role: params.role,
      content: toMessageContent(params.content),
      assistant_id: origin.assistantId,
      run_id: origin.runId,
      attachments: params.attachments ?? null,
      metadata: params.metadata ?? {},
    };
    this.context.store.messages.insert(message.id, message);
    if (message.attachments?.length) this.attachmentSink?.attach(threadId, message);
    return message;
  }

  retrieve(threadId: string, messageId: string): Message {
    checkIdPrefix(threadId, 'thread', 'thread_id');
    checkIdPrefix(messageId, 'message', 'message_id');
    const message = this.context.store.messages.get(messageId);
    if (!message || message.thread_id !== threadId) throw notFound('message', messageId);
    return message;
  }

  update(threadId: string, messageId: string, input: { metadata?: Record<string, string> | null }): Message {
    const params = parseMessageUpdate(input);
    return this.context.store.transaction(() => {
      const message = this.retrieve(threadId, messageId);
      const updated = { ...message, metadata: params.metadata ?? message.metadata };
      this.context.store.messages.update(messageId, updated);
      return updated;
    });
  }

  delete(threadId: string, messageId: string): DeletedObject {
    this.context.store.transaction(() => {
      this.retrieve(threadId, messageId);
      this.context.store.messages.delete(messageId);
    });
    return { id: messageId, object: 'thread.message.deleted', deleted: true };
  }

  list(threadId: string, params: MessageListParams = {}): ListPage<Message> {
    this.requireThread(threadId);
    return this.context.store.messages.list(this.listWhere(threadId, params), params);
  }

  /** The same page as `list`, already serialized (the HTTP server's hot path). */
  listJson(threadId: string, params: MessageListParams = {}): string {
    this.requireThread(threadId);
    return this.context.store.messages.listJson(this.listWhere(threadId, params), params);
  }

  private listWhere(threadId: string, params: MessageListParams): Record<string, string> {
    const where: Record<string, string> = { thread_id: threadId };
    if (params.run_id !== undefined) where['run_id'] = params.run_id;
    return where;
  }
}
