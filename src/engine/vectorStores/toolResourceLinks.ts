/**
 * Where files meet tool resources (docs/assistants-v2.md §2.4, §2.10, §6.4):
 * - message attachments push files into the thread's resources — `file_search` into the
 *   thread's vector store (made on demand, expiring 7 days after last use), `code_interpreter`
 *   into its code file ids;
 * - `tool_resources.file_search.vector_stores` on assistant/thread create makes a store on the fly;
 * - a deleted file leaves every code_interpreter resource that listed it.
 */
import type { EngineContext } from '../engineContext.ts';
import { checkIdPrefix } from '../ids.ts';
import { notFound } from '../errors.ts';
import type { AttachmentSink } from '../messages/messageService.ts';
import type { ToolResources } from '../types/common.ts';
import type { Message } from '../types/message.ts';
import type { Thread } from '../types/thread.ts';
import type { ExpiresAfter } from '../types/vectorStore.ts';
import type { VectorStoreService } from './vectorStoreService.ts';

/** Stores made for threads by helpers and attachments expire after a week without use. */
export const THREAD_STORE_EXPIRY: ExpiresAfter = { anchor: 'last_active_at', days: 7 };

export type ToolResourceOwner = 'assistant' | 'thread';

export class ToolResourceLinks implements AttachmentSink {
  private readonly context: EngineContext;
  private readonly vectorStores: VectorStoreService;

  constructor(context: EngineContext, vectorStores: VectorStoreService) {
    this.context = context;
    this.vectorStores = vectorStores;
  }

  /** Inside the message insert's transaction: a missing file rolls the message back. */
  attach(threadId: string, message: Message): void {
    const store = this.context.store;
    const thread = store.threads.get(threadId);
    if (!thread || !message.attachments?.length) return;
    const resources: ToolResources = structuredClone(thread.tool_resources ?? {});
    for (const [index, attachment] of message.attachments.entries()) {
      checkIdPrefix(attachment.file_id, 'file', `attachments[${index}].file_id`);
      if (!store.files.get(attachment.file_id)) throw notFound('file', attachment.file_id);
      for (const tool of attachment.tools) {
        if (tool.type === 'code_interpreter') {
          const ids = (resources.code_interpreter ??= { file_ids: [] }).file_ids;
          if (!ids.includes(attachment.file_id)) ids.push(attachment.file_id);
        } else {
          this.addToThreadStore(thread, resources, attachment.file_id);
        }
      }
    }
    store.threads.update(threadId, { ...thread, tool_resources: resources });
  }

  private addToThreadStore(thread: Thread, resources: ToolResources, fileId: string): void {
    const existingId = resources.file_search?.vector_store_ids[0];
    const existing = existingId ? this.context.store.vectorStores.get(existingId) : undefined;
    // An expired store cannot take files: the thread gets a fresh one, as v2 advised clients to do.
    if (existing && this.vectorStores.retrieve(existing.id).status !== 'expired') {
      if (!this.context.store.vectorStoreFiles.get(`${existing.id}/${fileId}`)) this.vectorStores.createFile(existing.id, { file_id: fileId });
      return;
    }
    const created = this.vectorStores.insertStore({ expires_after: THREAD_STORE_EXPIRY, metadata: {}, files: [{ file_id: fileId }], name: `Files for ${thread.id}` });
    resources.file_search = { vector_store_ids: [created.id] };
  }

  /**
   * Replaces the `vector_stores` helper with the id of a store made from it (inside the caller's
   * transaction). Thread stores expire after 7 idle days; assistant stores do not expire.
   */
  expand<T extends ToolResources | null | undefined>(resources: T, owner: ToolResourceOwner): T {
    const helper = resources?.file_search?.vector_stores?.[0];
    if (!resources?.file_search || !helper) {
      if (resources?.file_search?.vector_stores) delete resources.file_search.vector_stores;
      return resources;
    }
    const store = this.vectorStores.insertStore({
      ...(owner === 'thread' ? { expires_after: THREAD_STORE_EXPIRY } : {}),
      ...(helper.metadata ? { metadata: helper.metadata } : {}),
      files: helper.file_ids.map((fileId) => ({ file_id: fileId, ...(helper.chunking ? { chunking: helper.chunking } : {}) })),
    });
    return { ...resources, file_search: { vector_store_ids: [store.id] } };
  }

  /** Inside FileService's delete transaction: the file leaves every code_interpreter resource. */
  onFileDeleted(fileId: string): void {
    const store = this.context.store;
    const pattern = `%${fileId}%`;
    for (const table of ['threads', 'assistants'] as const) {
      const rows = store.db.prepare(`SELECT id FROM ${table} WHERE data LIKE ?`).all(pattern) as Array<{ id: string }>;
      for (const { id } of rows) {
        const owner = store[table].get(id);
        const ids = owner?.tool_resources?.code_interpreter?.file_ids;
        if (!owner || !ids?.includes(fileId)) continue;
        const resources: ToolResources = { ...owner.tool_resources, code_interpreter: { file_ids: ids.filter((candidate) => candidate !== fileId) } };
        (store[table] as { update(key: string, value: typeof owner): void }).update(id, { ...owner, tool_resources: resources });
      }
    }
  }

  /** The stores a run searches: the assistant's and the thread's. */
  storesFor(assistantResources: ToolResources | null | undefined, threadResources: ToolResources | null | undefined): string[] {
    return [...new Set([...(assistantResources?.file_search?.vector_store_ids ?? []), ...(threadResources?.file_search?.vector_store_ids ?? [])])];
  }
}
