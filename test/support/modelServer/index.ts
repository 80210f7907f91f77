/**
 * The scripted model server: the only fake in the tests, and only at HTTP level.
 *
 *   const server = await startScriptedModelServer();
 *   server.enqueue({ text: 'Hello', toolCalls: [{ name: 'read_file', arguments: { path: 'a.ts' } }] });
 *   const backend = createModelBackend({ kind: 'responses', baseURL: server.url });
 *   ...
 *   assert.equal(server.responsesRequests()[0]?.store, false);
 *   await server.close();
 */
export { startScriptedModelServer } from './scriptedModelServer.ts';
export type { ScriptedModelServer } from './scriptedModelServer.ts';
export { embedText } from './embeddings.ts';
export type {
  EmbeddingsFault,
  GenerationEndpoint,
  RecordedRequest,
  ReplyHandler,
  ScriptedFault,
  ScriptedFinishReason,
  ScriptedModelServerOptions,
  ScriptedReply,
  ScriptedToolCall,
} from './types.ts';
