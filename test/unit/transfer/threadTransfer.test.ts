// Threads are the user's: export to Markdown and JSON, import our JSON and what the hosted
// Assistants API v2 listed, all against real engines on real SQLite files.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { Engine } from '../../../src/engine/engine.ts';
import type { Message } from '../../../src/engine/types/message.ts';
import { ImportFormatError } from '../../../src/engine/transfer/importedThread.ts';
import { readImportFile } from '../../../src/engine/transfer/importReader.ts';
import { archiveToMarkdown } from '../../../src/engine/transfer/markdownExport.ts';
import { allMessagesOf, archiveThreads, serializeArchive } from '../../../src/engine/transfer/threadArchive.ts';
import { IMPORTED_FROM_KEY, importThreads } from '../../../src/engine/transfer/threadImporter.ts';
import { createEngineHarness, type EngineHarness } from '../../support/engineHarness.ts';

function freshEngine(): { engine: Engine; close: () => Promise<void> } {
  const dir = mkdtempSync(join(tmpdir(), 'threadwork-import-'));
  const engine = new Engine({ databasePath: join(dir, 'threadwork.sqlite'), modelBackend: null });
  return { engine, close: async () => { await engine.close(); rmSync(dir, { recursive: true, force: true }); } };
}

function comparable(message: Message): unknown {
  return { role: message.role, created_at: message.created_at, status: message.status, content: message.content };
}

function v2Message(id: string, threadId: string | undefined, createdAt: number, roleName: 'user' | 'assistant', text: string): Record<string, unknown> {
  return {
    id, object: 'thread.message', created_at: createdAt, assistant_id: roleName === 'assistant' ? 'asst_old' : null,
    ...(threadId ? { thread_id: threadId } : {}), run_id: roleName === 'assistant' ? 'run_old' : null, role: roleName,
    content: [{ type: 'text', text: { value: text, annotations: [] } }], attachments: [], metadata: {},
  };
}

function texts(engine: Engine, threadId: string): string[] {
  return allMessagesOf(engine, threadId).map((m) => `${m.role}:${m.content.map((p) => (p.type === 'text' ? p.text.value : p.type)).join('')}`);
}

describe('thread export and import', () => {
  let h: EngineHarness;
  let threadId: string;

  before(async () => {
    h = await createEngineHarness();
    const assistant = h.assistant({ model: 'scripted-chat-model' });
    const thread = h.engine.threads.create({ metadata: { title: 'Sorting in place' } });
    threadId = thread.id;
    for (const [question, answer] of [['How do I sort an array in place?', 'Use `array.sort()`; it sorts in place.'], ['And numbers?', 'Pass a comparator: `(a, b) => a - b`.']] as const) {
      h.engine.messages.create(threadId, { role: 'user', content: question });
      h.model.enqueue({ text: answer, usage: { promptTokens: 40, completionTokens: 12 } });
      const run = h.engine.runs.create(threadId, { assistant_id: assistant.id });
      const settled = await h.settle(threadId, run.id);
      assert.equal(settled.status, 'completed');
    }
  });
  after(async () => h.close());

  test('the JSON archive holds every message oldest first, and each run with its model and usage', () => {
    const archive = archiveThreads(h.engine, [threadId], 1_800_000_000);
    assert.equal(archive.format, 'threadwork.threads');
    assert.equal(archive.exported_at, 1_800_000_000);
    const [entry] = archive.threads;
    assert.ok(entry);
    assert.deepEqual(entry.messages.map((m) => m.role), ['user', 'assistant', 'user', 'assistant']);
    assert.equal(entry.messages[3]?.content[0]?.type === 'text' && entry.messages[3].content[0].text.value, 'Pass a comparator: `(a, b) => a - b`.');
    assert.equal(entry.runs.length, 2);
    assert.deepEqual(entry.runs.map((run) => run.usage), [
      { prompt_tokens: 40, completion_tokens: 12, total_tokens: 52 },
      { prompt_tokens: 40, completion_tokens: 12, total_tokens: 52 },
    ]);
    assert.equal(entry.runs[0]?.model, 'scripted-chat-model');
  });

  test('Markdown names the thread, each speaker with the model that answered, and the text as written', () => {
    const markdown = archiveToMarkdown(archiveThreads(h.engine, [threadId]));
    assert.match(markdown, /^# Sorting in place\n/);
    assert.match(markdown, /104 tokens over 2 runs/);
    const headings = [...markdown.matchAll(/^## (.+?) ·/gm)].map((match) => match[1]);
    assert.deepEqual(headings, ['User', 'Assistant (scripted-chat-model)', 'User', 'Assistant (scripted-chat-model)']);
    assert.ok(markdown.includes('Use `array.sort()`; it sorts in place.'));
    assert.ok(markdown.indexOf('How do I sort') < markdown.indexOf('And numbers?'));
  });

  test('a JSON export imported into a fresh database gives the same messages, one by one, under new ids', async () => {
    const text = serializeArchive(archiveThreads(h.engine, [threadId]));
    const fresh = freshEngine();
    try {
      const report = importThreads(fresh.engine, readImportFile(text));
      assert.equal(report.threadIds.length, 1);
      assert.equal(report.messages, 4);
      const original = allMessagesOf(h.engine, threadId);
      const imported = allMessagesOf(fresh.engine, report.threadIds[0]!);
      assert.equal(imported.length, original.length);
      for (const [index, message] of imported.entries()) {
        assert.deepEqual(comparable(message), comparable(original[index]!), `message ${index}`);
        assert.notEqual(message.id, original[index]!.id);
        assert.equal(message.metadata[IMPORTED_FROM_KEY], original[index]!.id);
      }
      const thread = fresh.engine.threads.retrieve(report.threadIds[0]!);
      assert.equal(thread.metadata['title'], 'Sorting in place');
      assert.equal(thread.created_at, h.engine.threads.retrieve(threadId).created_at);
      // Importing the same file again makes a second copy rather than clashing.
      const again = importThreads(fresh.engine, readImportFile(text));
      assert.notEqual(again.threadIds[0], report.threadIds[0]);
      assert.equal(fresh.engine.threads.list({ limit: 10 }).data.length, 2);
    } finally {
      await fresh.close();
    }
  });

  test('a newest-first v2 page with its thread object comes back in conversation order, ties included', async () => {
    const page = {
      object: 'list',
      data: [
        v2Message('msg_4', 'thread_old', 200, 'assistant', 'four'),
        v2Message('msg_3', 'thread_old', 200, 'user', 'three'),
        v2Message('msg_2', 'thread_old', 100, 'assistant', 'two'),
        v2Message('msg_1', 'thread_old', 90, 'user', 'one'),
      ],
      first_id: 'msg_4', last_id: 'msg_1', has_more: false,
    };
    const file = { thread: { id: 'thread_old', object: 'thread', created_at: 80, metadata: { project: 'x' }, tool_resources: {} }, messages: page };
    const fresh = freshEngine();
    try {
      const plan = readImportFile(JSON.stringify(file));
      assert.equal(plan.source, 'openai-assistants-v2');
      const report = importThreads(fresh.engine, plan);
      const id = report.threadIds[0]!;
      assert.deepEqual(texts(fresh.engine, id), ['user:one', 'assistant:two', 'user:three', 'assistant:four']);
      const thread = fresh.engine.threads.retrieve(id);
      assert.equal(thread.created_at, 80);
      assert.deepEqual(thread.metadata, { project: 'x', [IMPORTED_FROM_KEY]: 'thread_old' });
      assert.ok(allMessagesOf(fresh.engine, id).every((m) => m.assistant_id === null && m.run_id === null));
    } finally {
      await fresh.close();
    }
  });

  test('several saved pages (overlapping, ascending or not, several threads, JSON Lines) merge without duplicates', async () => {
    const pageA = { object: 'list', data: [v2Message('msg_b2', 'thread_b', 20, 'assistant', 'b2'), v2Message('msg_b1', 'thread_b', 10, 'user', 'b1')], has_more: true };
    const pageB = { object: 'list', data: [v2Message('msg_b1', 'thread_b', 10, 'user', 'b1'), v2Message('msg_b0', 'thread_b', 5, 'user', 'b0')], has_more: false };
    const ascending = { object: 'list', data: [v2Message('msg_c1', 'thread_c', 7, 'user', 'c1'), v2Message('msg_c2', 'thread_c', 8, 'assistant', 'c2')] };
    const lines = [pageA, pageB, ascending].map((page) => JSON.stringify(page)).join('\n');
    const fresh = freshEngine();
    try {
      const report = importThreads(fresh.engine, readImportFile(lines));
      assert.equal(report.threadIds.length, 2);
      assert.equal(report.messages, 5);
      const byOrigin = new Map(report.threadIds.map((id) => [fresh.engine.threads.retrieve(id).metadata[IMPORTED_FROM_KEY], id]));
      assert.deepEqual(texts(fresh.engine, byOrigin.get('thread_b')!), ['user:b0', 'user:b1', 'assistant:b2']);
      assert.deepEqual(texts(fresh.engine, byOrigin.get('thread_c')!), ['user:c1', 'assistant:c2']);
    } finally {
      await fresh.close();
    }
  });

  test('messages saved without thread_id belong to the thread they were saved with', async () => {
    const file = [
      { thread: { id: 'thread_x', object: 'thread', created_at: 1, metadata: {} }, messages: [v2Message('msg_x', undefined, 2, 'user', 'x')] },
      { thread: { id: 'thread_y', object: 'thread', created_at: 3, metadata: {} }, messages: { object: 'list', data: [v2Message('msg_y', undefined, 4, 'user', 'y')] } },
    ];
    const plan = readImportFile(JSON.stringify(file));
    assert.deepEqual(plan.threads.map((thread) => [thread.sourceId, thread.messages.map((m) => m.sourceId)]), [['thread_x', ['msg_x']], ['thread_y', ['msg_y']]]);
  });

  test('image files missing from this database become a note; unknown parts are named', async () => {
    const message = { ...v2Message('msg_i', 'thread_i', 1, 'user', ''), content: [
      { type: 'image_file', image_file: { file_id: 'file-gone' } },
      { type: 'audio', audio: {} },
      { type: 'text', text: 'bare string text' },
    ] };
    const fresh = freshEngine();
    try {
      const plan = readImportFile(JSON.stringify({ object: 'list', data: [message] }));
      const report = importThreads(fresh.engine, plan);
      const [stored] = allMessagesOf(fresh.engine, report.threadIds[0]!);
      assert.deepEqual(stored?.content.map((p) => (p.type === 'text' ? p.text.value : p.type)), [
        '[image file-gone was not included in the export]', '[audio content not imported]', 'bare string text',
      ]);
      assert.equal(report.notes.length, 2);
    } finally {
      await fresh.close();
    }
  });

  test('files that are not exports are refused with a sentence saying what was expected, and nothing is written', async () => {
    const cases: Array<[string, RegExp]> = [
      ['', /empty/],
      ['{not json', /not JSON/],
      [JSON.stringify({ hello: 'world' }), /not a message list, a thread or a Threadwork export \(it has "hello"\)/],
      [JSON.stringify({ object: 'list', data: [{ object: 'assistant', id: 'asst_1' }] }), /expected "object": "thread.message"/],
      [JSON.stringify({ object: 'list', data: [] }), /No messages found/],
      [JSON.stringify({ format: 'threadwork.threads', version: 9, threads: [] }), /version 9/],
      [JSON.stringify({ format: 'other.tool', threads: [] }), /Unknown export format "other.tool"/],
      [JSON.stringify({ object: 'list', data: [{ ...v2Message('msg_r', 't', 1, 'user', 'r'), role: 'system' }] }), /role must be "user" or "assistant"/],
    ];
    for (const [text, expected] of cases) {
      assert.throws(() => readImportFile(text), (error: unknown) => error instanceof ImportFormatError && expected.test(error.message), text);
    }
    const fresh = freshEngine();
    try {
      // A plan that fails half-way (a message in the second thread is bad at write time) leaves no thread behind.
      const plan = readImportFile(JSON.stringify({ object: 'list', data: [v2Message('msg_ok', 'thread_ok', 1, 'user', 'ok')] }));
      plan.threads.push({ sourceId: 'thread_bad', created_at: 2, metadata: {}, messages: [{ ...plan.threads[0]!.messages[0]!, role: 'bogus' as 'user' }] });
      const before = fresh.engine.threads.list({ limit: 10 }).data.length;
      // The store accepts any role string, so force a failure the transaction must roll back.
      const originalInsert = fresh.engine.store.messages.insert.bind(fresh.engine.store.messages);
      fresh.engine.store.messages.insert = (key, object) => {
        if (object.role !== 'user' && object.role !== 'assistant') throw new Error('bad role');
        originalInsert(key, object);
      };
      assert.throws(() => importThreads(fresh.engine, plan), /bad role/);
      assert.equal(fresh.engine.threads.list({ limit: 10 }).data.length, before);
    } finally {
      await fresh.close();
    }
  });
});
