// Tool approvals: the host's ApprovalBroker asks, the panel shows the prompt inline with what the
// tool will do, and the user's answer travels back through `tool/approve`.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { openPanel, type Panel } from './support/panelHarness.ts';

const DIFF = ['--- a/src/app.ts', '+++ b/src/app.ts', '@@ -1,2 +1,2 @@', '-const port = 80;', '+const port = 8080;', ' export { port };'].join('\n');

describe('chat panel: tool approvals', () => {
  let panel: Panel;
  let threadId: string;
  let runId: string;

  before(async () => {
    panel = await openPanel({ host: 'engine' });
    // A slow run keeps the thread busy while the prompts are up, as a real tool call would.
    panel.engine!.model.enqueue({ text: 'thinking '.repeat(300), chunkSize: 9, delayMs: 30 });
    const input = panel.page.locator('.composer-input');
    await input.fill('Change the port, please.');
    await input.press('Enter');
    await panel.page.locator('.run-footer[data-status="in_progress"]').waitFor({ timeout: 10_000 });
    runId = (await panel.page.locator('.run-footer').last().getAttribute('data-run-id'))!;
    threadId = panel.engine!.engine.threads.list({ limit: 1 }).data[0]!.id;
  });
  after(async () => {
    const run = panel.engine!.engine.runs.retrieve(threadId, runId);
    if (['queued', 'in_progress'].includes(run.status)) panel.engine!.engine.runs.cancel(threadId, runId);
    await panel.close();
  });

  test('a prompt shows the diff and reasons; Allow with a remembered choice reaches the broker', async () => {
    const answer = panel.approvals.request({
      threadId, runId, toolCallId: 'call_1', toolName: 'apply_edit', title: 'Edit src/app.ts (+1 −1)',
      reasons: ['apply_edit changes src/app.ts'], diff: DIFF, rememberOptions: [{ id: 'tool', label: 'Always allow apply_edit here' }],
    });
    const prompt = panel.page.locator('.approval');
    await prompt.waitFor();
    assert.match((await prompt.locator('.approval-title').textContent()) ?? '', /Approve apply_edit\?.*Edit src\/app\.ts/);
    assert.equal(await prompt.locator('.approval-reasons li').textContent(), 'apply_edit changes src/app.ts');
    assert.equal(await prompt.locator('.diff-added').textContent(), '+const port = 8080;\n');
    assert.equal(await prompt.locator('.diff-removed').textContent(), '-const port = 80;\n');
    assert.equal(await prompt.getAttribute('role'), 'group');
    await prompt.locator('.approval-remember').selectOption('tool');
    await prompt.locator('.approve-allow').click();
    assert.deepEqual(await answer, { decision: 'allow', rememberOptionId: 'tool' });
    await prompt.waitFor({ state: 'detached' });
    const [sent] = panel.requests('tool/approve') as Array<{ approvalId: string; decision: string; rememberOptionId?: string }>;
    assert.equal(sent?.decision, 'allow');
    assert.equal(sent?.rememberOptionId, 'tool');
    assert.match(sent?.approvalId ?? '', /^approval_/);
  });

  test('Deny is keyboard reachable and answers deny; a remembered choice is never sent with deny', async () => {
    const answer = panel.approvals.request({
      threadId, runId, toolCallId: 'call_2', toolName: 'run_command', title: 'Run npm test',
      reasons: ['runs a command'], command: 'npm test -- --watch=false', rememberOptions: [{ id: 'cmd', label: 'Always allow npm test' }],
    });
    const prompt = panel.page.locator('.approval');
    await prompt.waitFor();
    assert.equal(await prompt.locator('.approval-command').textContent(), 'npm test -- --watch=false');
    await prompt.locator('.approval-remember').selectOption('cmd');
    await prompt.locator('.approve-deny').focus();
    await panel.page.keyboard.press('Enter');
    assert.deepEqual(await answer, { decision: 'deny' });
    await prompt.waitFor({ state: 'detached' });
  });

  test('a prompt withdrawn by the host disappears, and one waiting before a reload is shown again', async () => {
    const controller = new AbortController();
    const withdrawn = panel.approvals.request({ threadId, runId, toolCallId: 'call_3', toolName: 'apply_edit', title: 'Edit a.ts', reasons: [], rememberOptions: [] }, controller.signal);
    await panel.page.locator('.approval').waitFor();
    controller.abort();
    assert.deepEqual(await withdrawn, { decision: 'withdrawn' });
    await panel.page.locator('.approval').waitFor({ state: 'detached' });

    const pending = panel.approvals.request({ threadId, runId, toolCallId: 'call_4', toolName: 'apply_edit', title: 'Edit b.ts', reasons: [], rememberOptions: [] });
    await panel.page.locator('.approval', { hasText: 'Edit b.ts' }).waitFor();
    await panel.reload();
    const again = panel.page.locator('.approval', { hasText: 'Edit b.ts' });
    await again.waitFor();
    await again.locator('.approve-allow').click();
    assert.deepEqual(await pending, { decision: 'allow' });
    assert.deepEqual(await panel.problems(), []);
  });
});
