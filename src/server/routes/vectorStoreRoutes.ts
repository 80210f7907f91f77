/** `/vector_stores` with files, file batches and search (docs/assistants-v2.md §3). No beta header. */
import { parseListParams } from '../../engine/validation/commonParams.ts';
import { parseVectorStoreFileList } from '../../engine/validation/vectorStoreParams.ts';
import { ok, type Route } from '../routeContext.ts';

const STORE = '/vector_stores/{vector_store_id}';

export const vectorStoreRoutes: Route[] = [
  { method: 'GET', path: '/vector_stores', beta: false, handler: ({ engine, query }) => ok(engine.vectorStores.list(parseListParams(query))) },
  { method: 'POST', path: '/vector_stores', beta: false, handler: async ({ engine, body }) => ok(engine.vectorStores.create(await body())) },
  { method: 'GET', path: STORE, beta: false, handler: ({ engine, params }) => ok(engine.vectorStores.retrieve(params['vector_store_id']!)) },
  { method: 'POST', path: STORE, beta: false, handler: async ({ engine, params, body }) => ok(engine.vectorStores.update(params['vector_store_id']!, await body())) },
  { method: 'DELETE', path: STORE, beta: false, handler: ({ engine, params }) => ok(engine.vectorStores.delete(params['vector_store_id']!)) },
  {
    method: 'POST',
    path: `${STORE}/search`,
    beta: false,
    handler: async ({ engine, params, body }) => ok(await engine.vectorStores.search(params['vector_store_id']!, await body())),
  },

  {
    method: 'GET',
    path: `${STORE}/files`,
    beta: false,
    handler: ({ engine, params, query }) => ok(engine.vectorStores.listFiles(params['vector_store_id']!, parseVectorStoreFileList(query))),
  },
  { method: 'POST', path: `${STORE}/files`, beta: false, handler: async ({ engine, params, body }) => ok(engine.vectorStores.createFile(params['vector_store_id']!, await body())) },
  {
    method: 'GET',
    path: `${STORE}/files/{file_id}`,
    beta: false,
    handler: ({ engine, params }) => ok(engine.vectorStores.retrieveFile(params['vector_store_id']!, params['file_id']!)),
  },
  {
    method: 'POST',
    path: `${STORE}/files/{file_id}`,
    beta: false,
    handler: async ({ engine, params, body }) => ok(engine.vectorStores.updateFile(params['vector_store_id']!, params['file_id']!, await body())),
  },
  {
    method: 'DELETE',
    path: `${STORE}/files/{file_id}`,
    beta: false,
    handler: ({ engine, params }) => ok(engine.vectorStores.deleteFile(params['vector_store_id']!, params['file_id']!)),
  },
  {
    method: 'GET',
    path: `${STORE}/files/{file_id}/content`,
    beta: false,
    handler: ({ engine, params }) => ok(engine.vectorStores.fileContent(params['vector_store_id']!, params['file_id']!)),
  },

  { method: 'POST', path: `${STORE}/file_batches`, beta: false, handler: async ({ engine, params, body }) => ok(engine.vectorStores.createBatch(params['vector_store_id']!, await body())) },
  {
    method: 'GET',
    path: `${STORE}/file_batches/{batch_id}`,
    beta: false,
    handler: ({ engine, params }) => ok(engine.vectorStores.retrieveBatch(params['vector_store_id']!, params['batch_id']!)),
  },
  {
    method: 'POST',
    path: `${STORE}/file_batches/{batch_id}/cancel`,
    beta: false,
    handler: async ({ engine, params, body }) => {
      await body();
      return ok(engine.vectorStores.cancelBatch(params['vector_store_id']!, params['batch_id']!));
    },
  },
  {
    method: 'GET',
    path: `${STORE}/file_batches/{batch_id}/files`,
    beta: false,
    handler: ({ engine, params, query }) => ok(engine.vectorStores.listBatchFiles(params['vector_store_id']!, params['batch_id']!, parseVectorStoreFileList(query))),
  },
];
