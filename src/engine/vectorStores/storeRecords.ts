/**
 * Reading and rolling up vector-store records: lookups with v2's errors, expiry as of now, and
 * the file_counts / usage_bytes / status roll-up of stores and batches. Callers hold the transaction.
 */
import type { EngineContext } from '../engineContext.ts';
import { invalid, notFound } from '../errors.ts';
import { checkIdPrefix } from '../ids.ts';
import type { VectorStore, VectorStoreFileBatch } from '../types/vectorStore.ts';
import { batchCounts, storeRollup } from './storeQueries.ts';

export const DAY_SECONDS = 86_400;

export function requireStore(context: EngineContext, vectorStoreId: string): VectorStore {
  checkIdPrefix(vectorStoreId, 'vectorStore', 'vector_store_id');
  const store = context.store.vectorStores.get(vectorStoreId);
  if (!store) throw notFound('vector store', vectorStoreId);
  return store;
}

export function isExpired(store: VectorStore, now: number): boolean {
  return store.status === 'expired' || (store.expires_at !== null && store.expires_at <= now);
}

/** A store that can take files and answer searches: it exists and has not expired. */
export function requireUsable(context: EngineContext, vectorStoreId: string): VectorStore {
  const store = requireStore(context, vectorStoreId);
  if (isExpired(store, context.clock.nowSeconds())) {
    throw invalid(`Vector store ${vectorStoreId} has expired. Create a new vector store and attach it instead.`, 'vector_store_id', 'vector_store_expired');
  }
  return store;
}

export function requireFile(context: EngineContext, fileId: string, param: string): void {
  checkIdPrefix(fileId, 'file', param);
  if (!context.store.files.get(fileId)) throw notFound('file', fileId);
}

/** A store as the API shows it now: `expired` once its expiry has passed, whatever was stored. */
export function present(context: EngineContext, store: VectorStore): VectorStore {
  return isExpired(store, context.clock.nowSeconds()) && store.status !== 'expired' ? { ...store, status: 'expired' } : store;
}

/** Recomputes a store's file_counts, usage_bytes and status from its files. */
export function refreshStore(context: EngineContext, vectorStoreId: string): VectorStore {
  const store = context.store.vectorStores.get(vectorStoreId);
  if (!store) throw notFound('vector store', vectorStoreId);
  const { counts, usageBytes } = storeRollup(context.store.db, vectorStoreId);
  const status: VectorStore['status'] = store.status === 'expired' ? 'expired' : counts.in_progress > 0 ? 'in_progress' : 'completed';
  const updated: VectorStore = { ...store, file_counts: counts, usage_bytes: usageBytes, status };
  context.store.vectorStores.update(vectorStoreId, updated);
  return present(context, updated);
}

/** A batch is in_progress while any file is, failed if every file failed, cancelled once cancelled, else completed. */
export function refreshBatch(context: EngineContext, vectorStoreId: string, batchId: string): VectorStoreFileBatch {
  const batch = context.store.fileBatches.get(batchId)!;
  const counts = batchCounts(context.store.db, vectorStoreId, batchId);
  let status = batch.status;
  if (status !== 'cancelled') status = counts.in_progress > 0 ? 'in_progress' : counts.total > 0 && counts.failed === counts.total ? 'failed' : 'completed';
  const updated: VectorStoreFileBatch = { ...batch, file_counts: counts, status };
  context.store.fileBatches.update(batchId, updated);
  return updated;
}
