import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, test } from 'node:test';
import { parse } from 'yaml';
import { Router, type RouteDefinition } from '../../../src/server/router.ts';

const route = (method: 'GET' | 'POST' | 'DELETE', path: string): RouteDefinition<string> => ({ method, path, beta: true, handler: `${method} ${path}` });

describe('Router', () => {
  const router = new Router<string>([
    route('POST', '/threads/{thread_id}'),
    route('POST', '/threads/runs'),
    route('GET', '/threads/{thread_id}/messages/{message_id}'),
    route('GET', '/files/{file_id}/content'),
    route('GET', '/vector_stores/{vector_store_id}/files/{file_id}'),
  ]);

  test('a literal segment wins over a parameter, whatever the declaration order', () => {
    assert.equal(router.match('POST', '/threads/runs')?.route.handler, 'POST /threads/runs');
    assert.deepEqual(router.match('POST', '/threads/thread_1')?.params, { thread_id: 'thread_1' });
  });

  test('parameters are named from the pattern and percent-decoded', () => {
    const match = router.match('GET', '/threads/thread_a/messages/msg%5Fb');
    assert.deepEqual(match?.params, { thread_id: 'thread_a', message_id: 'msg_b' });
    assert.deepEqual(router.match('GET', '/vector_stores/vs_1/files/file-2')?.params, { vector_store_id: 'vs_1', file_id: 'file-2' });
  });

  test('wrong method, wrong length, empty segments and trailing slashes do not match', () => {
    assert.equal(router.match('DELETE', '/threads/runs'), null);
    assert.equal(router.match('GET', '/threads/thread_a/messages'), null);
    assert.equal(router.match('GET', '/files//content'), null);
    assert.equal(router.match('GET', '/files/file-1/content/'), null);
    assert.equal(router.match('GET', '/files/file-1/contents'), null);
  });

  test('a malformed percent escape is kept as written rather than throwing', () => {
    assert.deepEqual(router.match('GET', '/files/%E0%A4%A/content')?.params, { file_id: '%E0%A4%A' });
  });

  test('the same route declared twice is refused', () => {
    assert.throws(() => new Router([route('GET', '/a/{x}'), route('GET', '/a/{x}')]), /Duplicate route/);
  });

  test('the server table routes exactly the operations of the spec, each reachable by its own pattern', async () => {
    const { allRoutes } = await import('../../../src/server/routes/index.ts');
    const spec = parse(readFileSync(new URL('../../fixtures/openapi-assistants.yaml', import.meta.url), 'utf8')) as { paths: Record<string, Record<string, unknown>> };
    const operations = Object.entries(spec.paths).flatMap(([path, methods]) => Object.keys(methods).filter((m) => ['get', 'post', 'delete'].includes(m)).map((m) => `${m.toUpperCase()} ${path}`));
    assert.deepEqual(allRoutes.map((r) => `${r.method} ${r.path}`).sort(), operations.sort());
    const all = new Router(allRoutes);
    for (const definition of allRoutes) {
      const path = definition.path.replace(/\{(\w+)\}/g, (_, name: string) => `${name}_value`);
      assert.equal(all.match(definition.method, path)?.route, definition, `${definition.method} ${definition.path}`);
      assert.equal(definition.beta, !definition.path.startsWith('/files') && !definition.path.startsWith('/vector_stores'), `${definition.path}: beta header only for Assistants endpoints`);
    }
  });
});
