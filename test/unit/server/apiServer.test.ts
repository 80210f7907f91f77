/** startServer at the socket level: what raw clients can do to it, and how it stops. */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { Engine } from '../../../src/engine/engine.ts';
import { startServer, type RunningServer } from '../../../src/server/apiServer.ts';

const TOKEN = 'unit-token';
const HEADERS = `Host: localhost\r\nAuthorization: Bearer ${TOKEN}\r\nOpenAI-Beta: assistants=v2\r\nContent-Type: application/json\r\n`;

function rawSocket(port: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => resolve(socket));
    socket.once('error', reject);
  });
}

function readResponse(socket: Socket): Promise<string> {
  return new Promise((resolve) => {
    let text = '';
    socket.on('data', (chunk: Buffer) => {
      text += chunk.toString();
      const headerEnd = text.indexOf('\r\n\r\n');
      const length = /content-length: (\d+)/i.exec(text)?.[1];
      if (headerEnd >= 0 && length !== undefined && text.length >= headerEnd + 4 + Number(length)) resolve(text);
    });
    socket.once('close', () => resolve(text));
  });
}

describe('startServer', () => {
  let dir: string;
  let engine: Engine;
  let server: RunningServer;
  const logs: string[] = [];
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'threadwork-api-'));
    engine = new Engine({ databasePath: join(dir, 'db.sqlite'), modelBackend: null });
    server = await startServer({ engine, token: TOKEN, limits: { jsonBytes: 1024 }, log: (message) => logs.push(message) });
  });
  after(async () => {
    await server.close();
    await engine.close();
    rmSync(dir, { recursive: true, force: true });
  });

  test('listens on 127.0.0.1 with a /v1 base URL', () => {
    assert.match(server.url, /^http:\/\/127\.0\.0\.1:\d+\/v1$/);
    assert.equal(new URL(server.url).port, String(server.port));
  });

  test('a declared body over the limit is answered 413 before the body is sent, and the connection closes', async () => {
    const socket = await rawSocket(server.port);
    const response = readResponse(socket);
    socket.write(`POST /v1/threads HTTP/1.1\r\n${HEADERS}Content-Length: 5000\r\n\r\n`);
    const text = await response;
    socket.destroy();
    assert.match(text, /^HTTP\/1\.1 413/);
    assert.match(text, /connection: close/i);
    assert.match(text, /"code":"request_too_large"/);
  });

  test('a client that leaves in the middle of its body is not logged as a failure, and the server goes on', async () => {
    const socket = await rawSocket(server.port);
    socket.write(`POST /v1/threads HTTP/1.1\r\n${HEADERS}Content-Length: 500\r\n\r\n{"metadata":`);
    await new Promise((resolve) => setTimeout(resolve, 30));
    socket.destroy();
    await new Promise((resolve) => setTimeout(resolve, 30));
    const response = await fetch(`${server.url}/threads`, { method: 'POST', headers: { authorization: `Bearer ${TOKEN}`, 'openai-beta': 'assistants=v2' }, body: '{}' });
    assert.equal(response.status, 200);
    assert.deepEqual(logs, []);
  });

  test('a handler bug becomes a 500 in the v2 shape and a log line, not a crash', async () => {
    const broken = new Engine({ databasePath: join(dir, 'broken.sqlite'), modelBackend: null });
    const brokenServer = await startServer({ engine: broken, token: TOKEN, log: (message) => logs.push(message) });
    await broken.close();
    try {
      const response = await fetch(`${brokenServer.url}/assistants`, { headers: { authorization: `Bearer ${TOKEN}`, 'openai-beta': 'assistants=v2' } });
      assert.equal(response.status, 500);
      const body = (await response.json()) as { error: { type: string; message: string } };
      assert.equal(body.error.type, 'server_error');
      assert.ok(logs.some((line) => line.startsWith('GET /v1/assistants failed')), logs.join('\n'));
    } finally {
      logs.length = 0;
      await brokenServer.close();
    }
  });

  test('stopAccepting stops listening and waits for the requests in flight', async () => {
    const other = new Engine({ databasePath: join(dir, 'stopping.sqlite'), modelBackend: null });
    const stopping = await startServer({ engine: other, token: TOKEN });
    const socket = await rawSocket(stopping.port);
    const slow = readResponse(socket);
    socket.write(`POST /v1/threads HTTP/1.1\r\n${HEADERS}Content-Length: 2\r\n\r\n{`);
    await new Promise((resolve) => setTimeout(resolve, 20));
    const stopped = stopping.stopAccepting(2_000);
    socket.write('}');
    await stopped;
    assert.match(await slow, /^HTTP\/1\.1 200/, 'the request in flight finished');
    const late = await rawSocket(stopping.port).then(
      () => 'connected',
      () => 'refused',
    );
    assert.equal(late, 'refused');
    socket.destroy();
    await stopping.close();
    await other.close();
  });

  test('concurrent writes share commits, yet each request gets its own answer', async () => {
    const thread = engine.threads.create();
    const post = (body: unknown): Promise<Response> =>
      fetch(`${server.url}/threads/${thread.id}/messages`, {
        method: 'POST',
        headers: { authorization: `Bearer ${TOKEN}`, 'openai-beta': 'assistants=v2', 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
    const bodies = Array.from({ length: 12 }, (_, i) => (i === 5 ? { role: 'user', content: 42 } : { role: 'user', content: `message ${i}` }));
    const responses = await Promise.all(bodies.map(post));
    assert.deepEqual(
      responses.map((response) => response.status),
      bodies.map((_, i) => (i === 5 ? 400 : 200)),
    );
    const created = (await Promise.all(responses.map((response) => response.json()))) as Array<{ id?: string; error?: { param?: string } }>;
    assert.equal(created[5]!.error?.param, 'content');
    // Requests race over separate connections, so arrival order (and list order) is theirs to pick.
    const listed = engine.messages.list(thread.id, { limit: 100 }).data.map((message) => message.id);
    assert.deepEqual(listed.sort(), created.filter((_, i) => i !== 5).map((message) => message.id!).sort());
  });
});
