// The chat panel's host side without VS Code: the real ChatController on a protocol channel, over
// a real engine whose model is the scripted server.
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, test } from 'node:test';
import type { ApprovalRequest, ProviderStatus, RunEventParams } from '../../../src/protocol/chatModel.ts';
import { ProtocolError } from '../../../src/protocol/envelope.ts';
import * as protocol from '../../../src/protocol/messages.ts';
import { ApprovalBroker } from '../../../src/vscode/approvalBroker.ts';
import { ChatController } from '../../../src/vscode/chatController.ts';
import type { ChatMemory } from '../../../src/vscode/chatPorts.ts';
import { describeHostError } from '../../../src/vscode/protocolErrors.ts';
import { createEngineHarness, type EngineHarness } from '../../support/engineHarness.ts';
import { channelPair, type ChannelPair } from '../protocol/channelPair.ts';

describe('chat controller', () => {
  let h: EngineHarness;
  let pair: ChannelPair;
  let controller: ChatController;
  let provider: ProviderStatus;
  let approvals: ApprovalBroker;
  let events: RunEventParams[];
  let notifications: Array<{ method: string; params: unknown }>;

  before(async () => (h = await createEngineHarness()));
  after(async () => h.close());
  beforeEach(async () => {
    controller?.dispose();
    pair?.host.dispose();
    provider = { isConfigured: true, kind: 'chat-completions', baseUrl: h.model.url, model: 'scripted-model', hasApiKey: false, problem: null };
    approvals = new ApprovalBroker();
    pair = channelPair({ describeError: describeHostError });
    const memory = new Map<string, string>();
    const chatMemory: ChatMemory = { get: (key) => memory.get(key), set: async (key, value) => void (value === undefined ? memory.delete(key) : memory.set(key, value)) };
    controller = new ChatController(pair.host, {
      engine: () => h.engine,
      provider: { status: () => provider, whenReady: async () => undefined, onDidChange: () => () => undefined },
      approvals,
      editor: { insertCode: async () => ({ inserted: true }), openLink: async () => true, configureProvider: async () => undefined },
      memory: chatMemory,
    });
    events = [];
    notifications = [];
    pair.webview.onNotification(protocol.RunEvent, (params) => events.push(params));
    for (const type of [protocol.ThreadsChanged, protocol.ApprovalRequested, protocol.ApprovalSettled]) {
      pair.webview.onNotification(type, (params: unknown) => notifications.push({ method: type.method, params }));
    }
    await pair.webview.request(protocol.WebviewReady, { threadId: null });
  });

  async function until(condition: () => boolean, what: string): Promise<void> {
    for (let attempt = 0; attempt < 1000 && !condition(); attempt++) await new Promise((resolve) => setTimeout(resolve, 5));
    assert.ok(condition(), `timed out waiting for ${what}`);
  }

  test('the ready snapshot creates the default assistant and reports the provider', async () => {
    const snapshot = await pair.webview.request(protocol.WebviewReady, { threadId: null });
    assert.equal(snapshot.assistants.length, 1);
    assert.equal(snapshot.assistants[0]?.name, 'Threadwork');
    assert.equal(snapshot.selectedAssistantId, snapshot.assistants[0]?.id);
    assert.equal(snapshot.provider.isConfigured, true);
    assert.equal(snapshot.current, null);
  });

  test('sending starts a run whose v2 events arrive numbered from 0 without gaps, on the new thread', async () => {
    h.model.enqueue({ text: 'Hello there, friend.', chunkSize: 4 });
    const sent = await pair.webview.request(protocol.SendMessage, { threadId: null, text: 'Say hello\nplease', assistantId: null });
    assert.equal(sent.thread.title, 'Say hello');
    assert.equal(sent.message.role, 'user');
    await until(() => events.some((event) => event.event.event === 'done'), 'done');
    const own = events.filter((event) => event.runId === sent.runId);
    assert.deepEqual(own.map((event) => event.seq), own.map((_, index) => index));
    assert.ok(own.every((event) => event.threadId === sent.thread.id));
    assert.equal(own[0]?.event.event, 'thread.run.created');
    const text = own.flatMap((event) => (event.event.event === 'thread.message.delta' ? event.event.data.delta.content : []))
      .map((part) => (part.type === 'text' ? part.text.value ?? '' : '')).join('');
    assert.equal(text, 'Hello there, friend.');
    assert.ok(notifications.some((n) => n.method === 'threads/changed'));
    assert.equal(h.engine.runs.retrieve(sent.thread.id, sent.runId).metadata['threadwork_after'], sent.message.id);
  });

  test('a snapshot taken mid-run holds the events so far; the live ones continue from nextSeq', async () => {
    h.model.enqueue({ text: 'x'.repeat(200), chunkSize: 2, delayMs: 5 });
    const sent = await pair.webview.request(protocol.SendMessage, { threadId: null, text: 'Stream slowly', assistantId: null });
    await until(() => events.filter((event) => event.event.event === 'thread.message.delta').length >= 5, 'some deltas');
    const snapshot = await pair.webview.request(protocol.GetThreadSnapshot, { threadId: sent.thread.id });
    const active = snapshot.activeRun!;
    assert.equal(active.runId, sent.runId);
    assert.deepEqual(active.events.map((event) => event.seq), active.events.map((_, index) => index));
    assert.equal(active.nextSeq, active.events.length);
    assert.deepEqual(snapshot.messages.map((message) => message.role), ['user'], 'the streaming message comes from the events, not twice');
    assert.equal(snapshot.runs.length, 0);
    await until(() => events.some((event) => event.runId === sent.runId && event.event.event === 'done'), 'done');
    const later = events.filter((event) => event.runId === sent.runId && event.seq >= active.nextSeq);
    assert.equal(later[0]?.seq, active.nextSeq, 'live events pick up exactly where the snapshot ends');
  });

  test('events of runs on other threads are not sent to the panel', async () => {
    h.model.enqueue({ text: 'mine' }, { text: 'elsewhere' });
    const sent = await pair.webview.request(protocol.SendMessage, { threadId: null, text: 'Mine', assistantId: null });
    const other = h.engine.threads.create({ messages: [{ role: 'user', content: 'other' }] });
    const assistant = h.engine.assistants.list().data[0]!;
    const run = h.engine.runs.create(other.id, { assistant_id: assistant.id });
    await h.settle(other.id, run.id);
    await until(() => events.some((event) => event.runId === sent.runId && event.event.event === 'done'), 'done');
    await pair.settle();
    assert.equal(events.filter((event) => event.runId === run.id).length, 0);
  });

  test('Stop cancels the run in the engine', async () => {
    h.model.enqueue({ text: 'y'.repeat(400), chunkSize: 2, delayMs: 10 });
    const sent = await pair.webview.request(protocol.SendMessage, { threadId: null, text: 'Long one', assistantId: null });
    await until(() => events.some((event) => event.event.event === 'thread.message.delta'), 'a delta');
    const { run } = await pair.webview.request(protocol.CancelRun, { threadId: sent.thread.id, runId: sent.runId });
    assert.equal(run.status, 'cancelling');
    const ended = await h.settle(sent.thread.id, sent.runId);
    assert.equal(ended.status, 'cancelled');
    await until(() => events.some((event) => event.event.event === 'thread.run.cancelled'), 'cancelled event');
  });

  test('with no provider configured, sending is refused with the reason and nothing is stored', async () => {
    provider = { ...provider, isConfigured: false, problem: 'Choose a model: set threadwork.provider.model.' };
    const before = h.engine.threads.list({ limit: 100 }).data.length;
    await assert.rejects(pair.webview.request(protocol.SendMessage, { threadId: null, text: 'hi', assistantId: null }),
      (error: unknown) => ProtocolError.is(error, 'invalid_request') && /Choose a model/.test(error.message));
    assert.equal(h.engine.threads.list({ limit: 100 }).data.length, before);
  });

  test('rename, search and delete threads', async () => {
    const thread = h.engine.threads.create({ metadata: { title: 'Old title' }, messages: [{ role: 'user', content: 'about the zebra parser' }] });
    const renamed = await pair.webview.request(protocol.RenameThread, { threadId: thread.id, title: '  New   title ' });
    assert.equal(renamed.title, 'New title');
    assert.deepEqual((await pair.webview.request(protocol.ListThreads, { query: 'zebra' })).map((t) => t.id), [thread.id]);
    await assert.rejects(pair.webview.request(protocol.RenameThread, { threadId: thread.id, title: '   ' }), (error: unknown) => ProtocolError.is(error, 'invalid_request'));
    await pair.webview.request(protocol.DeleteThread, { threadId: thread.id });
    await assert.rejects(pair.webview.request(protocol.GetThreadSnapshot, { threadId: thread.id }), (error: unknown) => ProtocolError.is(error, 'not_found'));
  });

  test('approvals reach the panel and its answer reaches the waiting tool', async () => {
    const prompt: Omit<ApprovalRequest, 'approvalId'> = { threadId: 'thread_x', runId: 'run_x', toolCallId: 'call_1', toolName: 'apply_edit', title: 'Edit a.ts', reasons: [], rememberOptions: [{ id: 'tool', label: 'Always' }] };
    const answer = approvals.request(prompt);
    await until(() => notifications.some((n) => n.method === 'tool/approvalRequested'), 'the prompt');
    const shown = notifications.find((n) => n.method === 'tool/approvalRequested')!.params as ApprovalRequest;
    assert.equal(shown.title, 'Edit a.ts');
    const reply = await pair.webview.request(protocol.ApproveTool, { approvalId: shown.approvalId, decision: 'allow', rememberOptionId: 'tool' });
    assert.deepEqual(reply, { accepted: true });
    assert.deepEqual(await answer, { decision: 'allow', rememberOptionId: 'tool' });
    await until(() => notifications.some((n) => n.method === 'tool/approvalSettled'), 'settled');
    assert.deepEqual(await pair.webview.request(protocol.ApproveTool, { approvalId: shown.approvalId, decision: 'deny' }), { accepted: false });
  });

  test('after dispose the controller forwards nothing', async () => {
    controller.dispose();
    h.model.enqueue({ text: 'quiet' });
    const thread = h.engine.threads.create({ messages: [{ role: 'user', content: 'x' }] });
    const run = h.engine.runs.create(thread.id, { assistant_id: h.engine.assistants.list().data[0]!.id });
    await h.settle(thread.id, run.id);
    void approvals.request({ threadId: thread.id, runId: run.id, toolCallId: 'c', toolName: 't', title: 't', reasons: [], rememberOptions: [] });
    await pair.settle();
    assert.deepEqual(events, []);
    assert.deepEqual(notifications, []);
    approvals.withdrawRun(run.id);
  });
});
