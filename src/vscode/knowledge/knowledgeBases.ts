/**
 * Knowledge bases: vector stores the user curates (as opposed to the workspace index, which follows
 * the folders). Each file is an engine File (the bytes as they were when added) in a v2 vector store,
 * so file_search, `threadwork serve` clients and the store's status roll-up all treat it as v2 did;
 * KnowledgeLinks remembers the URI it came from, so it can be read again (re-index) and a citation
 * can open it. Attaching puts the store in the assistant's `tool_resources` (v2 allows one store
 * per assistant, so attaching replaces the one it had). No `vscode` import.
 */
import { createHash } from 'node:crypto';
import type { Engine } from '../../engine/engine.ts';
import type { Assistant } from '../../engine/types/assistant.ts';
import type { VectorStore, VectorStoreFile } from '../../engine/types/vectorStore.ts';
import type { KnowledgeLinks } from './knowledgeLinks.ts';

export const KIND_KEY = 'threadwork_kind';
export const KNOWLEDGE_BASE_KIND = 'knowledge_base';
export const WORKSPACE_KIND = 'workspace';

export interface SourceFile {
  uri: string;
  /** Shown in results and citations: the workspace-relative path where there is one. */
  filename: string;
  bytes: Uint8Array;
}

export interface AddOutcome {
  added: string[];
  /** Same bytes as the copy already in the store: left as it is. */
  unchanged: string[];
}

export function isKnowledgeBase(store: VectorStore): boolean {
  return store.metadata[KIND_KEY] === KNOWLEDGE_BASE_KIND;
}

/** The user's knowledge bases, newest first. */
export function listKnowledgeBases(engine: Engine): VectorStore[] {
  const stores: VectorStore[] = [];
  let after: string | undefined;
  for (;;) {
    const page = engine.vectorStores.list({ limit: 100, ...(after ? { after } : {}) });
    stores.push(...page.data.filter(isKnowledgeBase));
    if (!page.has_more || page.data.length === 0) return stores;
    after = page.data.at(-1)!.id;
  }
}

export function createKnowledgeBase(engine: Engine, name: string): VectorStore {
  return engine.vectorStores.create({ name: name.trim().slice(0, 256) || 'Knowledge base', metadata: { [KIND_KEY]: KNOWLEDGE_BASE_KIND } });
}

export function storeFiles(engine: Engine, vectorStoreId: string): VectorStoreFile[] {
  const files: VectorStoreFile[] = [];
  let after: string | undefined;
  for (;;) {
    const page = engine.vectorStores.listFiles(vectorStoreId, { limit: 100, order: 'asc', ...(after ? { after } : {}) });
    files.push(...page.data);
    if (!page.has_more || page.data.length === 0) return files;
    after = page.data.at(-1)!.id;
  }
}

function sameBytes(engine: Engine, fileId: string, bytes: Uint8Array): boolean {
  const stored = engine.store.fileContent(fileId);
  if (!stored || stored.byteLength !== bytes.byteLength) return false;
  const hash = (data: Uint8Array) => createHash('sha256').update(data).digest('hex');
  return hash(stored) === hash(bytes);
}

/**
 * Adds files to a store in one v2 file batch. A file added before from the same URI is replaced
 * (its old File deleted) unless its bytes are the same; ingestion then runs in the background.
 */
export function addFiles(engine: Engine, links: KnowledgeLinks, vectorStoreId: string, sources: readonly SourceFile[]): AddOutcome {
  engine.vectorStores.retrieve(vectorStoreId);
  const outcome: AddOutcome = { added: [], unchanged: [] };
  const replaced: string[] = [];
  for (const source of sources) {
    const earlier = links.sourcesOf(vectorStoreId, source.uri).filter((record) => engine.store.files.get(record.fileId));
    const current = earlier.find((record) => isInStore(engine, vectorStoreId, record.fileId));
    if (current && sameBytes(engine, current.fileId, source.bytes) && fileStatus(engine, vectorStoreId, current.fileId) !== 'failed') {
      outcome.unchanged.push(current.fileId);
      continue;
    }
    const file = engine.files.create({ filename: source.filename, purpose: 'assistants', bytes: source.bytes });
    links.setSource({ fileId: file.id, vectorStoreId, uri: source.uri });
    outcome.added.push(file.id);
    replaced.push(...earlier.map((record) => record.fileId));
  }
  if (outcome.added.length > 0) engine.vectorStores.createBatch(vectorStoreId, { file_ids: outcome.added });
  for (const fileId of replaced) removeFile(engine, links, vectorStoreId, fileId);
  return outcome;
}

function isInStore(engine: Engine, vectorStoreId: string, fileId: string): boolean {
  try {
    engine.vectorStores.retrieveFile(vectorStoreId, fileId);
    return true;
  } catch {
    return false;
  }
}

function fileStatus(engine: Engine, vectorStoreId: string, fileId: string): VectorStoreFile['status'] | undefined {
  try {
    return engine.vectorStores.retrieveFile(vectorStoreId, fileId).status;
  } catch {
    return undefined;
  }
}

/** Takes a file out of a knowledge base; its File goes too unless another store still uses it. */
export function removeFile(engine: Engine, links: KnowledgeLinks, vectorStoreId: string, fileId: string): void {
  if (isInStore(engine, vectorStoreId, fileId)) engine.vectorStores.deleteFile(vectorStoreId, fileId);
  const stillUsed = engine.store.vectorStoreFiles.all({ file_id: fileId }).length > 0;
  if (!stillUsed && engine.store.files.get(fileId)) engine.files.delete(fileId);
  links.forgetSource(fileId);
}

/** Deletes a knowledge base, its files, and its place on any assistant. */
export function removeKnowledgeBase(engine: Engine, links: KnowledgeLinks, vectorStoreId: string): void {
  const fileIds = storeFiles(engine, vectorStoreId).map((file) => file.id);
  for (const assistant of assistantsUsing(engine, vectorStoreId)) detach(engine, assistant.id, vectorStoreId);
  engine.vectorStores.delete(vectorStoreId);
  for (const fileId of fileIds) {
    if (engine.store.vectorStoreFiles.all({ file_id: fileId }).length === 0 && engine.store.files.get(fileId)) engine.files.delete(fileId);
  }
  links.forgetStore(vectorStoreId);
}

export function assistantsUsing(engine: Engine, vectorStoreId: string): Assistant[] {
  return engine.assistants.list({ limit: 100 }).data.filter((assistant) => assistant.tool_resources?.file_search?.vector_store_ids.includes(vectorStoreId));
}

/** The store the assistant searches besides the workspace (v2: at most one), if any. */
export function attachedStore(assistant: Assistant): string | undefined {
  return assistant.tool_resources?.file_search?.vector_store_ids[0];
}

/**
 * Makes the assistant search the store: file_search among its tools, the store in its
 * tool_resources. Returns the store it replaced, if it had another.
 */
export function attach(engine: Engine, assistantId: string, vectorStoreId: string): { replaced?: string } {
  const assistant = engine.assistants.retrieve(assistantId);
  const previous = attachedStore(assistant);
  const tools = assistant.tools.some((tool) => tool.type === 'file_search') ? assistant.tools : [{ type: 'file_search' as const }, ...assistant.tools];
  engine.assistants.update(assistantId, {
    tools,
    tool_resources: { ...(assistant.tool_resources ?? {}), file_search: { vector_store_ids: [vectorStoreId] } },
  });
  return previous && previous !== vectorStoreId ? { replaced: previous } : {};
}

export function detach(engine: Engine, assistantId: string, vectorStoreId: string): boolean {
  const assistant = engine.assistants.retrieve(assistantId);
  const ids = assistant.tool_resources?.file_search?.vector_store_ids ?? [];
  if (!ids.includes(vectorStoreId)) return false;
  engine.assistants.update(assistantId, { tool_resources: { ...(assistant.tool_resources ?? {}), file_search: { vector_store_ids: ids.filter((id) => id !== vectorStoreId) } } });
  return true;
}
