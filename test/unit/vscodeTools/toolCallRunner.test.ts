// The host-side tool loop against a real engine, the real provider and SDK, the scripted model
// server, a real workspace folder and the chat panel's real ApprovalBroker (answered as the panel would).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, afterEach, before, describe, test } from 'node:test';
import { CheckpointStore } from '../../../src/engine/tools/checkpoints.ts';
import { MemoryPolicyStore } from '../../../src/engine/tools/policy/memoryPolicyStore.ts';
import { ToolPolicy } from '../../../src/engine/tools/policy/toolPolicy.ts';
import { ToolExecutor } from '../../../src/engine/tools/toolExecutor.ts';
import type { Run } from '../../../src/engine/types/run.ts';
import { ApprovalBroker } from '../../../src/vscode/approvalBroker.ts';
import type { ApprovalRequest } from '../../../src/protocol/chatModel.ts';
import { PanelApprovalPrompt, ProposalRegistry } from '../../../src/vscode/tools/panelApprovalPrompt.ts';
import { ToolCallRunner } from '../../../src/vscode/tools/toolCallRunner.ts';
import { extensionToolRegistry, workspaceToolDefinitions } from '../../../src/vscode/tools/workspaceToolDefinitions.ts';
import { createEngineHarness, type EngineHarness } from '../../support/engineHarness.ts';
import { createFixture, type Fixture } from '../tools/workspaceFixture.ts';

const BUGGY = 'export function last(items) {\n  return items[items.length];\n}\n';
const FIXED = 'export function last(items) {\n  return items[items.length - 1];\n}\n';

type ChatMessage = { role: string; content?: unknown; tool_call_id?: string };

describe('the extension host executes function calls of its runs', () => {
  let h: EngineHarness;
  let fixture: Fixture;
  let broker: ApprovalBroker;
  let proposals: ProposalRegistry;
  let checkpoints: CheckpointStore;
  let runner: ToolCallRunner;
  let detach: () => void;
  const logged: string[] = [];

  before(async () => {
    h = await createEngineHarness();
    fixture = createFixture({ 'src/list.js': BUGGY, 'package.json': '{"scripts":{"test":"node -e \\"process.exit(0)\\""}}\n' });
    broker = new ApprovalBroker();
    proposals = new ProposalRegistry();
    checkpoints = new CheckpointStore(h.engine.store.db, fixture.files, fixture.paths);
    const policy = new ToolPolicy(new MemoryPolicyStore(), { isTrusted: () => true });
    runner = new ToolCallRunner({
      executorFor: (run) => new ToolExecutor({
        registry: extensionToolRegistry(),
        context: fixture.context,
        policy,
        approvals: new PanelApprovalPrompt(broker, run.thread_id, proposals),
        checkpoints,
      }),
      governorLimits: () => ({ maxIdenticalCalls: 3 }),
      log: { info: (message) => logged.push(message), warn: (message) => logged.push(`WARN ${message}`) },
      onRunEnded: (runId) => broker.withdrawRun(runId),
    });
    detach = runner.attach(h.engine);
  });
  afterEach(() => h.model.setHandler(undefined));
  after(async () => {
    detach();
    await h.close();
    fixture.cleanup();
  });

  function start(text: string): { threadId: string; run: Run } {
    const assistant = h.assistant({ tools: workspaceToolDefinitions() });
    const thread = h.engine.threads.create({ messages: [{ role: 'user', content: text }] });
    return { threadId: thread.id, run: h.engine.runs.create(thread.id, { assistant_id: assistant.id }) };
  }

  async function ended(threadId: string, runId: string): Promise<Run> {
    for (let attempt = 0; attempt < 1000; attempt++) {
      const run = h.engine.runs.retrieve(threadId, runId);
      if (['completed', 'failed', 'cancelled', 'expired', 'incomplete'].includes(run.status)) return run;
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    throw new Error(`run ${runId} did not end`);
  }

  function nextApproval(): Promise<ApprovalRequest> {
    return new Promise((resolve) => {
      const stop = broker.onDidChange((change) => {
        if (change.type !== 'requested') return;
        stop();
        resolve(change.request);
      });
    });
  }

  function toolMessages(requestIndex: number): ChatMessage[] {
    const body = h.model.chatRequests()[requestIndex] as unknown as { messages: ChatMessage[] };
    return body.messages.filter((message) => message.role === 'tool');
  }

  test('read, then an edit the user approves in the panel, then the answer; the checkpoint restores the file', async () => {
    const before = h.model.chatRequests().length;
    h.model.enqueue(
      { toolCalls: [{ name: 'read_file', arguments: { path: 'src/list.js' } }] },
      { toolCalls: [{ name: 'apply_edit', arguments: { path: 'src/list.js', edits: [{ search: 'items[items.length]', replace: 'items[items.length - 1]' }] } }] },
      { text: 'Fixed the off-by-one.' },
    );
    const approval = nextApproval();
    const { threadId, run } = start('fix last()');
    const request = await approval;
    assert.equal(request.threadId, threadId);
    assert.equal(request.toolName, 'apply_edit');
    assert.match(request.diff ?? '', /-  return items\[items\.length\];\n\+  return items\[items\.length - 1\];/);
    assert.deepEqual(proposals.get(request.approvalId), { path: join(fixture.root, 'src/list.js'), content: FIXED });
    assert.equal(readFileSync(join(fixture.root, 'src/list.js'), 'utf8'), BUGGY, 'nothing is written before the answer');
    assert.equal(broker.answer(request.approvalId, 'allow'), true);

    const final = await ended(threadId, run.id);
    assert.equal(final.status, 'completed');
    assert.equal(readFileSync(join(fixture.root, 'src/list.js'), 'utf8'), FIXED);
    assert.equal(proposals.get(request.approvalId), undefined);
    const [readOutput] = toolMessages(before + 1);
    assert.match(String(readOutput?.content), /items\[items\.length\]/);
    const editOutput = toolMessages(before + 2).at(-1);
    assert.match(String(editOutput?.content), /^Edited src\/list\.js/);
    assert.ok(logged.some((line) => line.startsWith('tool apply_edit') && line.includes(run.id) && line.includes(' ok in ')), logged.join('\n'));

    const report = await checkpoints.restore(run.id);
    assert.deepEqual(report.restored, ['src/list.js']);
    assert.equal(readFileSync(join(fixture.root, 'src/list.js'), 'utf8'), BUGGY);
  });

  test('a denied edit reaches the model as a refusal, and nothing is written', async () => {
    const before = h.model.chatRequests().length;
    h.model.enqueue(
      { toolCalls: [{ name: 'apply_edit', arguments: { path: 'src/list.js', edits: [{ search: 'items.length]', replace: 'items.length - 1]' }] } }] },
      { text: 'Understood.' },
    );
    const approval = nextApproval();
    const { threadId, run } = start('fix it');
    broker.answer((await approval).approvalId, 'deny');
    assert.equal((await ended(threadId, run.id)).status, 'completed');
    assert.match(String(toolMessages(before + 1).at(-1)?.content), /The user declined this apply_edit call/);
    assert.equal(readFileSync(join(fixture.root, 'src/list.js'), 'utf8'), BUGGY);
  });

  test('stopping the run withdraws its prompt and kills the command in flight', async () => {
    h.model.enqueue({ toolCalls: [{ name: 'apply_edit', arguments: { path: 'src/list.js', edits: [{ search: 'items.length]', replace: 'items.length - 1]' }] } }] });
    const approval = nextApproval();
    const first = start('edit');
    const pending = await approval;
    const settled = new Promise<string>((resolve) => {
      const stop = broker.onDidChange((change) => {
        if (change.type === 'settled' && change.approvalId === pending.approvalId) {
          stop();
          resolve(change.decision);
        }
      });
    });
    h.engine.runs.cancel(first.threadId, first.run.id);
    assert.equal(await settled, 'withdrawn');
    assert.equal((await ended(first.threadId, first.run.id)).status, 'cancelled');
    assert.deepEqual(broker.pending(), []);
    assert.equal(readFileSync(join(fixture.root, 'src/list.js'), 'utf8'), BUGGY);

    const requestsBefore = h.model.chatRequests().length;
    h.model.enqueue({ toolCalls: [{ name: 'run_command', arguments: { command: 'sleep 30' } }] });
    const commandApproval = nextApproval();
    const second = start('sleep');
    const commandRequest = await commandApproval;
    assert.equal(commandRequest.command, 'sleep 30');
    broker.answer(commandRequest.approvalId, 'allow');
    await new Promise((resolve) => setTimeout(resolve, 300));
    const stoppedAt = performance.now();
    h.engine.runs.cancel(second.threadId, second.run.id);
    await runner.idle();
    assert.ok(performance.now() - stoppedAt < 5_000, 'the command was not killed');
    assert.equal((await ended(second.threadId, second.run.id)).status, 'cancelled');
    assert.equal(h.model.chatRequests().length, requestsBefore + 1, 'a cancelled run asks the model nothing more');
  });

  test('the same call answered the same way three times ends the run failed with the governor sentence', async () => {
    h.model.setHandler(() => ({ toolCalls: [{ name: 'read_file', arguments: { path: 'src/list.js' } }] }));
    const { threadId, run } = start('loop');
    const final = await ended(threadId, run.id);
    assert.equal(final.status, 'failed');
    assert.match(final.last_error?.message ?? '', /read_file was called 3 times with the same arguments/);
    // The model saw the warning on the second identical result before the run was stopped.
    const requests = h.model.chatRequests();
    assert.match(String((requests.at(-1) as unknown as { messages: ChatMessage[] }).messages.filter((m) => m.role === 'tool').at(-1)?.content), /Calling it again unchanged will end the run/);
  });

  test('paths outside the workspace are refused in the output the model receives', async () => {
    const before = h.model.chatRequests().length;
    h.model.enqueue(
      { toolCalls: [{ name: 'read_file', arguments: { path: '../outside/secret.txt' } }, { name: 'read_file', arguments: { path: '/etc/passwd' } }] },
      { text: 'I cannot read those.' },
    );
    const { threadId, run } = start('read outside');
    assert.equal((await ended(threadId, run.id)).status, 'completed');
    const outputs = toolMessages(before + 1).map((message) => String(message.content));
    assert.equal(outputs.length, 2, 'both outputs go back in one submission');
    for (const output of outputs) assert.match(output, /outside the workspace/);
  });
});
