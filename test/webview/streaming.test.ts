// The panel against the real chat controller and engine, with the scripted model server as the
// only fake: streaming markdown, code actions, Stop, Retry and the composer's keys.
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { screenshotDir } from '../e2e/support/paths.ts';
import { openPanel, waitForText, type Panel } from './support/panelHarness.ts';

const ANSWER = [
  '# Plan',
  '',
  'Use **bold** words and a [safe link](https://example.com/docs).',
  '',
  '- first item',
  '- second item',
  '',
  '```ts',
  'const answer: number = 42;',
  '```',
  '',
].join('\n');

describe('chat panel: streaming runs', () => {
  let panel: Panel;
  before(async () => {
    mkdirSync(screenshotDir, { recursive: true });
    panel = await openPanel({ host: 'engine' });
  });
  after(async () => panel.close());

  async function send(text: string): Promise<void> {
    const input = panel.page.locator('.composer-input');
    await input.fill(text);
    await input.press('Enter');
  }

  test('an answer streams in as markdown, with highlighted code and usage', async () => {
    panel.engine!.model.enqueue({ text: ANSWER, chunkSize: 3, delayMs: 8 });
    await send('How should I structure this?');
    const page = panel.page;
    await page.locator('.message.from-user', { hasText: 'How should I structure this?' }).waitFor();
    // While deltas arrive, the message is marked as streaming and its text grows.
    const streaming = page.locator('.message.from-assistant.streaming');
    await streaming.waitFor({ timeout: 10_000 });
    const early = (await streaming.textContent())?.length ?? 0;
    await page.locator('.run-footer[data-status="completed"]').waitFor({ timeout: 15_000 });
    const body = page.locator('.message.from-assistant .message-body');
    assert.ok(((await body.textContent()) ?? '').length > early, 'the text grew after it started streaming');
    assert.equal(await page.locator('.message.from-assistant.streaming').count(), 0);
    assert.equal(await body.locator('h1').textContent(), 'Plan');
    assert.equal(await body.locator('strong').textContent(), 'bold');
    assert.equal(await body.locator('li').count(), 2);
    assert.equal(await body.locator('a').getAttribute('href'), 'https://example.com/docs');
    assert.equal(await body.locator('.code-lang').textContent(), 'ts');
    assert.equal(await body.locator('code.hljs .hljs-keyword').first().textContent(), 'const');
    assert.match((await page.locator('.run-usage').textContent()) ?? '', /\d+ in · \d+ out/);
    assert.equal(await page.locator('.header-title-text').textContent(), 'How should I structure this?');
  });

  test('Insert sends the code block to the editor, and links open outside the panel', async () => {
    const page = panel.page;
    await page.locator('.code-block .code-action[data-action="insert"]').click();
    await page.locator('.code-block .code-action[data-action="insert"]', { hasText: 'Inserted' }).waitFor();
    assert.deepEqual(panel.editor.inserted, [{ code: 'const answer: number = 42;\n', language: 'ts' }]);
    await page.locator('.message-body a', { hasText: 'safe link' }).click();
    await panel.waitForRequests('link/open');
    assert.deepEqual(panel.editor.opened, ['https://example.com/docs']);
    assert.equal(page.url(), 'http://webview.test/index.html', 'the panel itself never navigates');
  });

  test('Stop cancels a long run and keeps what was written so far', async () => {
    const page = panel.page;
    panel.engine!.model.enqueue({ text: 'word '.repeat(400), chunkSize: 5, delayMs: 25 });
    await send('Write a lot.');
    await page.locator('.message.from-assistant.streaming').waitFor({ timeout: 10_000 });
    await page.locator('.stop-button').click();
    await page.locator('.run-footer[data-status="cancelled"]').waitFor({ timeout: 10_000 });
    const [cancel] = await panel.waitForRequests('run/cancel');
    const { threadId, runId } = cancel as { threadId: string; runId: string };
    assert.equal(panel.engine!.engine.runs.retrieve(threadId, runId).status, 'cancelled');
    const partial = page.locator('.message.from-assistant').last();
    assert.match((await partial.locator('.message-note').textContent()) ?? '', /Stopped before the answer was complete/);
    const words = ((await partial.locator('.message-body').textContent()) ?? '').split('word').length - 1;
    assert.ok(words > 0 && words < 400, `kept a partial answer (${words} words)`);
    assert.equal(await page.locator('.send-button').isVisible(), true);
    assert.equal(await page.locator('.stop-button').isVisible(), false);
  });

  test('a failed run shows its error in place; Retry runs the thread again', async () => {
    const page = panel.page;
    panel.engine!.model.enqueue({ fault: { kind: 'httpError', status: 400, message: 'The model refused: context too long' } }, { text: 'Recovered answer.' });
    await send('Try something that fails.');
    const failed = page.locator('.run-footer[data-status="failed"]');
    await failed.waitFor({ timeout: 10_000 });
    assert.match((await failed.locator('.run-error-text').textContent()) ?? '', /context too long/);
    await failed.locator('.retry-button').click();
    await page.locator('.message.from-assistant', { hasText: 'Recovered answer.' }).waitFor({ timeout: 10_000 });
    await page.locator('.run-footer[data-status="completed"]').last().waitFor();
    assert.equal(panel.requests('run/retry').length, 1);
    // Retry belongs to the latest run only; the failed one keeps its error but loses the button.
    assert.equal(await page.locator('.run-footer[data-status="failed"] .retry-button').count(), 0);
    assert.equal(await page.locator('.run-footer[data-status="failed"] .run-error-text').count(), 1);
  });

  test('a tool call shows as a collapsed card with its arguments, then its result', async () => {
    const page = panel.page;
    const { engine, model } = panel.engine!;
    model.enqueue({ toolCalls: [{ name: 'read_file', arguments: { path: 'src/app.ts' } }] }, { text: 'The file exports the port.' });
    await send('What does src/app.ts export?');
    const card = page.locator('vscode-collapsible.tool-call').last();
    await card.waitFor({ timeout: 10_000 });
    assert.equal(await card.getAttribute('heading'), 'Tool: read_file');
    await page.locator('.run-footer[data-status="requires_action"]').waitFor({ timeout: 10_000 });
    assert.equal(await page.locator('.run-footer[data-status="requires_action"] .run-status-text').textContent(), 'Waiting for tool results…');
    // This harness has no tool host: the test answers the call the way one would.
    const thread = engine.threads.list({ limit: 1 }).data[0]!;
    const run = engine.runs.list(thread.id, { limit: 1 }).data[0]!;
    const call = run.required_action!.submit_tool_outputs.tool_calls[0]!;
    engine.runs.submitToolOutputs(thread.id, run.id, { tool_outputs: [{ tool_call_id: call.id, output: 'export const port = 8080;' }] });
    await page.locator('.message.from-assistant', { hasText: 'The file exports the port.' }).waitFor({ timeout: 10_000 });
    assert.equal(await card.getAttribute('description'), 'completed');
    await card.click({ position: { x: 40, y: 10 } });
    const texts = card.locator('pre.tool-text');
    await texts.first().waitFor({ state: 'visible' });
    assert.deepEqual(JSON.parse((await texts.nth(0).textContent()) ?? ''), { path: 'src/app.ts' });
    assert.equal(await texts.nth(1).textContent(), 'export const port = 8080;');
  });

  test('Shift+Enter adds a line, Enter sends, Up recalls earlier messages', async () => {
    const page = panel.page;
    const input = page.locator('.composer-input');
    await input.fill('');
    await input.focus();
    await page.keyboard.type('first line');
    await page.keyboard.press('Shift+Enter');
    await page.keyboard.type('second line');
    assert.equal(await input.inputValue(), 'first line\nsecond line');
    await input.fill('');
    await page.keyboard.press('ArrowUp');
    assert.equal(await input.inputValue(), 'What does src/app.ts export?');
    await page.keyboard.press('ArrowUp');
    assert.equal(await input.inputValue(), 'Try something that fails.');
    await page.keyboard.press('ArrowDown');
    assert.equal(await input.inputValue(), 'What does src/app.ts export?');
    await page.keyboard.press('ArrowDown');
    assert.equal(await input.inputValue(), '');
  });

  test('reloaded in the middle of a run, the panel catches up from the engine and shows each word once', async () => {
    const text = Array.from({ length: 60 }, (_, index) => `w${index}`).join(' ');
    panel.engine!.model.enqueue({ text, chunkSize: 4, delayMs: 20 });
    await send('Stream while I reload.');
    await panel.page.locator('.message.from-assistant.streaming').waitFor({ timeout: 10_000 });
    await panel.reload();
    const answer = panel.page.locator('.message.from-assistant').last();
    await waitForText(answer.locator('.message-body'), (shown) => shown.length >= text.length, 15_000);
    await panel.page.locator('.run-footer').last().and(panel.page.locator('[data-status="completed"]')).waitFor({ timeout: 10_000 });
    assert.equal(await panel.page.locator('.message.from-assistant .message-body').last().innerText(), text);
  });

  test('reopening the panel shows the same thread from the store, and nothing went wrong on the page', async () => {
    await panel.reload();
    const page = panel.page;
    await page.locator('.message.from-user', { hasText: 'Stream while I reload.' }).waitFor();
    await page.screenshot({ path: join(screenshotDir, 'webview-streaming-bottom.png') });
    // Only rows near the viewport are in the DOM; the first exchange appears when scrolled to.
    await page.locator('.message-viewport').evaluate((viewport) => viewport.scrollTo({ top: 0 }));
    await page.locator('.message.from-user', { hasText: 'How should I structure this?' }).waitFor();
    await page.locator('.message-body h1', { hasText: 'Plan' }).waitFor();
    await page.screenshot({ path: join(screenshotDir, 'webview-streaming-top.png') });
    assert.deepEqual(await panel.problems(), []);
  });
});
