// Files in the chat, host side, without VS Code: the real ChatController with its file requests on
// a protocol channel, over a real engine (scripted model) with the code interpreter registered the
// way the extension does it (SettingsFollowingHost over the real Pyodide sandbox). A CSV attached
// in the panel reaches /mnt/data, the chart comes back as an image part the panel can load, and the
// CSV the code wrote is a file_path link that opens or saves through the port.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, beforeEach, describe, test } from 'node:test';
import type { CodeInterpreterHost } from '../../../src/engine/ports/codeInterpreter.ts';
import type { MessageContent, RunEventParams } from '../../../src/protocol/chatModel.ts';
import { ProtocolError } from '../../../src/protocol/envelope.ts';
import * as protocol from '../../../src/protocol/messages.ts';
import { ApprovalBroker } from '../../../src/vscode/approvalBroker.ts';
import { ChatController } from '../../../src/vscode/chatController.ts';
import type { ChatFilesPort, PickedFile, StoredFile } from '../../../src/vscode/interpreter/chatFileRequests.ts';
import { imageSize, imageType } from '../../../src/vscode/interpreter/chatFileRequests.ts';
import { createCodeInterpreterTool } from '../../../src/engine/builtinTools/engineCodeInterpreter.ts';
import { codeInterpreterAddOn, SettingsFollowingHost, TURNED_OFF_MESSAGE } from '../../../src/vscode/interpreter/codeInterpreterAddOn.ts';
import type { InterpreterSettings } from '../../../src/vscode/interpreter/interpreterSettings.ts';
import { withCodeInterpreter } from '../../../src/vscode/interpreter/interpreterTools.ts';
import { describeHostError } from '../../../src/vscode/protocolErrors.ts';
import { ANSWER, CHART_FILE, expectedLogLines, SALES_CSV, SALES_FILENAME, SUM_AND_CHART_CODE, TOTALS_FILE } from '../../fixtures/interpreter/monthlySales.ts';
import { createEngineHarness, type EngineHarness } from '../../support/engineHarness.ts';
import { channelPair, type ChannelPair } from '../protocol/channelPair.ts';

class FakeFilesPort implements ChatFilesPort {
  picks: Array<{ files: PickedFile[]; skipped: string[] }> = [];
  opened: StoredFile[] = [];
  saved: StoredFile[] = [];
  enabled = true;
  pickFiles(): Promise<{ files: PickedFile[]; skipped: string[] }> {
    return Promise.resolve(this.picks.shift() ?? { files: [], skipped: [] });
  }
  openFile(file: StoredFile): Promise<boolean> {
    this.opened.push(file);
    return Promise.resolve(true);
  }
  saveFile(file: StoredFile): Promise<boolean> {
    this.saved.push(file);
    return Promise.resolve(true);
  }
  codeInterpreterEnabled(): boolean {
    return this.enabled;
  }
}

describe('chat files and the code interpreter (host side)', () => {
  let h: EngineHarness;
  let sandbox: SettingsFollowingHost;
  let settings: InterpreterSettings;
  let pair: ChannelPair;
  let controller: ChatController;
  let port: FakeFilesPort;
  let events: RunEventParams[];
  const logs: string[] = [];

  before(async () => {
    h = await createEngineHarness();
    settings = { enabled: true, runner: 'pyodide', timeoutSeconds: 60, allowPackageDownloads: false };
    sandbox = new SettingsFollowingHost({ settings: () => settings, log: (message) => logs.push(message) }, h.dir);
    h.engine.registerBuiltinTool(createCodeInterpreterTool(h.engine, sandbox));
  });
  after(async () => {
    controller?.dispose();
    pair?.host.dispose();
    await sandbox.dispose();
    await h.close();
  });
  beforeEach(async () => {
    controller?.dispose();
    pair?.host.dispose();
    port = new FakeFilesPort();
    pair = channelPair({ describeError: describeHostError });
    const memory = new Map<string, string>();
    controller = new ChatController(pair.host, {
      engine: () => h.engine,
      provider: { status: () => ({ isConfigured: true, kind: 'chat-completions', baseUrl: h.model.url, model: 'scripted-model', hasApiKey: false, problem: null }), whenReady: async () => undefined, onDidChange: () => () => undefined },
      approvals: new ApprovalBroker(),
      editor: { insertCode: async () => ({ inserted: true }), openLink: async () => true, configureProvider: async () => undefined },
      memory: { get: (key) => memory.get(key), set: async (key, value) => void (value === undefined ? memory.delete(key) : memory.set(key, value)) },
      tools: { runTools: () => withCodeInterpreter([], settings.enabled), viewDiff: async () => false },
      files: port,
    });
    events = [];
    pair.webview.onNotification(protocol.RunEvent, (params) => events.push(params));
    await pair.webview.request(protocol.WebviewReady, { threadId: null });
  });

  async function runEnded(runId: string): Promise<void> {
    for (let attempt = 0; attempt < 2400; attempt++) {
      if (events.some((event) => event.runId === runId && event.event.event === 'done')) return;
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    assert.fail(`run ${runId} did not end`);
  }

  test('the sandbox is not started before the first code cell', () => {
    assert.equal(sandbox.isStarted, false);
  });

  test('a CSV attached in the panel is summed and charted; the answer carries the chart and a link to the totals', async () => {
    port.picks.push({ files: [{ name: SALES_FILENAME, bytes: readFileSync(SALES_CSV) }], skipped: [] });
    const attached = await pair.webview.request(protocol.AttachFiles, {});
    assert.deepEqual(attached.skipped, []);
    assert.equal(attached.files.length, 1);
    const file = attached.files[0]!;
    assert.equal(file.filename, SALES_FILENAME);
    assert.deepEqual(file.tools, ['code_interpreter']);
    assert.equal(h.engine.store.files.get(file.fileId)?.purpose, 'assistants');

    h.model.enqueue({ toolCalls: [{ name: 'code_interpreter', arguments: { code: SUM_AND_CHART_CODE } }] });
    h.model.enqueue({ text: ANSWER });
    const sent = await pair.webview.request(protocol.SendMessage, {
      threadId: null, text: 'Sum the sales per month and chart them.', assistantId: null,
      attachments: [{ file_id: file.fileId, tools: [{ type: 'code_interpreter' }] }],
    });
    assert.deepEqual(sent.message.attachments, [{ file_id: file.fileId, tools: [{ type: 'code_interpreter' }] }]);
    assert.deepEqual(h.engine.threads.retrieve(sent.thread.id).tool_resources?.code_interpreter?.file_ids, [file.fileId]);
    await runEnded(sent.runId);
    assert.equal(h.engine.runs.retrieve(sent.thread.id, sent.runId).status, 'completed');

    // The model was offered the tool and saw the file's name; its output came back to it.
    const firstRequest = h.model.chatRequests()[h.model.chatRequests().length - 2] as unknown as { tools?: Array<{ function: { name: string; description: string } }> };
    const tool = firstRequest.tools?.find((candidate) => candidate.function.name === 'code_interpreter');
    assert.ok(tool, 'the run offered code_interpreter');
    assert.match(tool.function.description, new RegExp(SALES_FILENAME));

    const step = h.engine.store.steps.all({ run_id: sent.runId }).find((candidate) => candidate.step_details.type === 'tool_calls');
    assert.ok(step && step.step_details.type === 'tool_calls');
    const call = step.step_details.tool_calls[0]!;
    assert.equal(call.type, 'code_interpreter');
    assert.ok(call.type === 'code_interpreter');
    assert.equal(call.code_interpreter.input, SUM_AND_CHART_CODE);
    const printed = call.code_interpreter.outputs.flatMap((output) => (output.type === 'logs' ? [output.logs] : [])).join('');
    for (const line of expectedLogLines()) assert.ok(printed.includes(line), `logs have ${line}: ${printed}`);

    const answer = h.engine.messages.list(sent.thread.id, { order: 'desc', limit: 1 }).data[0]!;
    assert.equal(answer.role, 'assistant');
    const image = answer.content.find((part): part is Extract<MessageContent, { type: 'image_file' }> => part.type === 'image_file');
    assert.ok(image, 'the chart is an image part of the answer');
    const text = answer.content.find((part) => part.type === 'text');
    assert.ok(text && text.type === 'text');
    const link = text.text.annotations.find((annotation) => annotation.type === 'file_path');
    assert.ok(link && link.type === 'file_path', 'the totals link is a file_path annotation');
    assert.equal(link.text, `sandbox:/mnt/data/${TOTALS_FILE}`);

    // The panel loads the chart as a data: URI with its size.
    const loaded = await pair.webview.request(protocol.GetImage, { fileId: image.image_file.file_id });
    assert.match(loaded.dataUri, /^data:image\/png;base64,iVBORw0KGgo/);
    assert.equal(loaded.width, 640);
    assert.equal(loaded.height, 400);
    assert.equal(h.engine.store.files.get(image.image_file.file_id)?.filename, CHART_FILE);

    // The generated CSV opens in the editor, or is saved, with the bytes the code wrote.
    assert.deepEqual(await pair.webview.request(protocol.OpenGeneratedFile, { fileId: link.file_path.file_id, action: 'open' }), { done: true });
    assert.equal(port.opened[0]?.filename, TOTALS_FILE);
    assert.equal(Buffer.from(port.opened[0]!.bytes).toString(), 'month,total\n2024-01,505.75\n2024-02,480.00\n2024-03,800.25\n2024-04,500.00\n');
    await pair.webview.request(protocol.OpenGeneratedFile, { fileId: link.file_path.file_id, action: 'save' });
    assert.equal(port.saved[0]?.fileId, link.file_path.file_id);

    // Only generated files: the user's own upload cannot be opened through an answer's link.
    await assert.rejects(pair.webview.request(protocol.OpenGeneratedFile, { fileId: file.fileId, action: 'open' }), (error) => ProtocolError.is(error, 'invalid_request'));
    assert.deepEqual((await pair.webview.request(protocol.DescribeFiles, { fileIds: [file.fileId, 'file-missing'] })).files, [{ fileId: file.fileId, filename: SALES_FILENAME, bytes: readFileSync(SALES_CSV).byteLength }]);
    assert.equal(sandbox.isStarted, true);
  });

  test('a discarded attachment is deleted; a sent one never is', async () => {
    port.picks.push({ files: [{ name: 'a.csv', bytes: Buffer.from('x\n1\n') }, { name: 'b.csv', bytes: Buffer.from('y\n2\n') }], skipped: ['big.bin: larger than 50 MB.'] });
    const { files, skipped } = await pair.webview.request(protocol.AttachFiles, {});
    assert.deepEqual(skipped, ['big.bin: larger than 50 MB.']);
    const [first, second] = files;
    assert.ok(first && second);
    assert.deepEqual(await pair.webview.request(protocol.DiscardAttachment, { fileId: first.fileId }), { deleted: true });
    assert.equal(h.engine.store.files.get(first.fileId), undefined);

    h.model.enqueue({ text: 'Noted.' });
    const sent = await pair.webview.request(protocol.SendMessage, { threadId: null, text: 'Here is b.', assistantId: null, attachments: [{ file_id: second.fileId, tools: [{ type: 'code_interpreter' }] }] });
    await runEnded(sent.runId);
    assert.deepEqual(await pair.webview.request(protocol.DiscardAttachment, { fileId: second.fileId }), { deleted: false });
    assert.ok(h.engine.store.files.get(second.fileId), 'the sent attachment stays');
    // A file this panel never uploaded cannot be deleted through it either.
    const other = h.engine.files.create({ filename: 'other.txt', purpose: 'assistants', bytes: Buffer.from('keep') });
    assert.deepEqual(await pair.webview.request(protocol.DiscardAttachment, { fileId: other.id }), { deleted: false });
    assert.ok(h.engine.store.files.get(other.id));
  });

  test('turned off: data files are not attached, and a call the model still makes runs nothing and says why', async () => {
    port.enabled = false;
    port.picks.push({ files: [{ name: 'data.csv', bytes: Buffer.from('a\n1\n') }, { name: 'notes.md', bytes: Buffer.from('# Notes\n') }], skipped: [] });
    const { files, skipped } = await pair.webview.request(protocol.AttachFiles, {});
    assert.deepEqual(files.map((file) => [file.filename, file.tools]), [['notes.md', ['file_search']]]);
    assert.match(skipped[0] ?? '', /^data\.csv: .*turned off/);

    settings = { ...settings, enabled: false };
    try {
      // The assistant below declares the tool itself, as a user's own assistant might.
      const assistant = h.engine.assistants.create({ model: 'scripted-model', tools: [{ type: 'code_interpreter' }] });
      const thread = h.engine.threads.create({});
      h.engine.messages.create(thread.id, { role: 'user', content: 'Compute 6*7 with code.' });
      h.model.enqueue({ toolCalls: [{ name: 'code_interpreter', arguments: { code: 'print(6*7)' } }] });
      h.model.enqueue({ text: 'It is 42.' });
      const run = h.engine.runs.create(thread.id, { assistant_id: assistant.id });
      assert.equal((await h.settle(thread.id, run.id)).status, 'completed');
      const step = h.engine.store.steps.all({ run_id: run.id }).find((candidate) => candidate.step_details.type === 'tool_calls');
      assert.ok(step && step.step_details.type === 'tool_calls');
      const call = step.step_details.tool_calls[0];
      assert.ok(call?.type === 'code_interpreter');
      const output = call.code_interpreter.outputs.find((candidate) => candidate.type === 'logs');
      assert.equal(output?.type === 'logs' ? output.logs : '', TURNED_OFF_MESSAGE);
    } finally {
      settings = { ...settings, enabled: true };
    }
  });

  test('a settings change starts a new sandbox host; closing the add-on disposes the host it built', async () => {
    const built: Array<{ timeoutMs: number | undefined; disposed: boolean }> = [];
    let current: InterpreterSettings = { enabled: true, runner: 'pyodide', timeoutSeconds: 30, allowPackageDownloads: false };
    const createHost = (options: { limits?: { timeoutMs?: number } }): CodeInterpreterHost => {
      const record = { timeoutMs: options.limits?.timeoutMs, disposed: false };
      built.push(record);
      return {
        sessionFor: () => ({ run: async () => ({ logs: `ran with ${record.timeoutMs}`, images: [], files: [] }), dispose: async () => undefined }),
        dispose: async () => void (record.disposed = true),
      };
    };
    const addOn = codeInterpreterAddOn({ settings: () => current, log: () => undefined, createHost })(h.dir);
    const registered: unknown[] = [];
    addOn.attach?.({ registerBuiltinTool: (tool: unknown) => registered.push(tool), store: h.engine.store, files: h.engine.files } as never);
    assert.equal(registered.length, 1);
    assert.equal(built.length, 0, 'registering builds no sandbox');
    const tool = registered[0] as { deps: { host: CodeInterpreterHost } };
    const session = tool.deps.host.sessionFor('thread_x');
    const signal = new AbortController().signal;
    assert.equal((await session.run({ language: 'python', code: '1', files: [] }, signal)).logs, 'ran with 30000');
    assert.equal((await session.run({ language: 'python', code: '1', files: [] }, signal)).logs, 'ran with 30000');
    current = { ...current, timeoutSeconds: 90 };
    assert.equal((await session.run({ language: 'python', code: '1', files: [] }, signal)).logs, 'ran with 90000');
    assert.deepEqual(built.map((record) => record.disposed), [true, false]);
    await addOn.close?.();
    assert.deepEqual(built.map((record) => record.disposed), [true, true]);
    assert.equal((await session.run({ language: 'python', code: '1', files: [] }, signal)).error?.kind, 'unavailable');
  });
});

describe('image bytes for the panel', () => {
  const png = Buffer.from('89504e470d0a1a0a0000000d4948445200000280000001900806000000', 'hex');

  test('types come from the first bytes, sizes from PNG and GIF headers', () => {
    assert.equal(imageType(png, 'chart.bin'), 'image/png');
    assert.equal(imageType(Buffer.from([0xff, 0xd8, 0xff, 0xe0]), 'x.jpg'), 'image/jpeg');
    assert.equal(imageType(Buffer.from('GIF89a\x02\x00\x03\x00'), 'x'), 'image/gif');
    assert.equal(imageType(Buffer.from('RIFF\0\0\0\0WEBPVP8 '), 'x'), 'image/webp');
    assert.equal(imageType(Buffer.from('<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"/>'), 'chart.svg'), 'image/svg+xml');
    assert.equal(imageType(Buffer.from('<svg/>'), 'chart.txt'), null, 'SVG only by its name as well');
    assert.equal(imageType(Buffer.from('month,total\n'), 'totals.png'), null, 'a name alone does not make an image');
    assert.deepEqual(imageSize(png), { width: 640, height: 400 });
    assert.deepEqual(imageSize(Buffer.from('GIF89a\x02\x00\x03\x00')), { width: 2, height: 3 });
    assert.deepEqual(imageSize(Buffer.from([0xff, 0xd8, 0xff, 0xe0])), { width: null, height: null });
  });
});
