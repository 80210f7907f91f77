// The chat panel in a real VS Code (code-server + Chromium), from the packaged VSIX, with the model
// scripted at HTTP level: open the panel, send a message and watch the answer stream in, stop a
// slow run, reload the window and find the thread intact; screenshots in light and dark themes.
// Run: npm run package && node --test test/e2e/chatPanel.e2e.test.ts
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { FrameLocator } from 'playwright-core';
import { startScriptedModelServer, type RecordedRequest, type ScriptedModelServer, type ScriptedReply } from '../support/modelServer/index.ts';
import { ChatPanel } from './support/chatPanelDriver.ts';
import { launchWorkbench, packagedVsix, sampleWorkspace, screenshotDir, startCodeServer, type CodeServer, type Workbench } from './support/codeServer.ts';

const QUESTION = 'What does this sample project do?';
const ANSWER = [
  '## Overview',
  '',
  'The sample workspace is a **small Node project**. Its entry point reads a file and prints a summary:',
  '',
  '```js',
  "import { readFileSync } from 'node:fs';",
  "const text = readFileSync('data/input.txt', 'utf8');",
  'console.log(text.split(/\\s+/).length);',
  '```',
  '',
  '- `src/` holds the code',
  '- `spec/` holds the tests',
].join('\n');
const SLOW_QUESTION = 'Now write a very long essay about it.';

/** The text of the last user message in a Chat Completions request. */
function lastUserText(request: RecordedRequest): string {
  const messages = (request.body['messages'] ?? []) as Array<{ role: string; content: unknown }>;
  const last = [...messages].reverse().find((message) => message.role === 'user');
  return typeof last?.content === 'string' ? last.content : JSON.stringify(last?.content ?? '');
}

function reply(request: RecordedRequest): ScriptedReply {
  if (lastUserText(request).includes(SLOW_QUESTION)) return { text: 'This essay goes on and on. '.repeat(300), chunkSize: 6, delayMs: 40 };
  return { text: ANSWER, chunkSize: 5, delayMs: 15 };
}

describe('chat panel in a real VS Code', { timeout: 600_000 }, () => {
  let model: ScriptedModelServer;
  let server: CodeServer;
  let bench: Workbench;
  let panel: ChatPanel;
  let base: string;
  /** Content-security-policy refusals and script errors reported by any frame (the webview's included). */
  const pageProblems: string[] = [];

  before(async () => {
    model = await startScriptedModelServer();
    model.setHandler(reply);
    base = mkdtempSync(join(tmpdir(), 'tw-chat-e2e-'));
    const workspace = join(base, 'workspace');
    cpSync(sampleWorkspace, workspace, { recursive: true });
    server = await startCodeServer({
      name: 'chat-panel-e2e',
      vsix: packagedVsix,
      settings: {
        'threadwork.provider.kind': 'chat-completions',
        'threadwork.provider.baseUrl': model.url,
        'threadwork.provider.model': 'scripted-chat-model',
        'workbench.colorTheme': 'Default Dark Modern',
      },
    });
    bench = await launchWorkbench(server, {
      folder: workspace,
      beforeNavigate: async (page) => {
        page.on('console', (message) => {
          if (message.type() === 'error' && /Content Security Policy|webview\.js/i.test(message.text())) pageProblems.push(message.text());
        });
      },
    });
    panel = await openPanel();
  });

  after(async () => {
    await bench?.close();
    await server?.stop();
    await model?.close();
    if (base) rmSync(base, { recursive: true, force: true });
  });

  /** Opens the Threadwork view container (unless the reloaded window already shows it). */
  async function openPanel(): Promise<ChatPanel> {
    const outer = bench.page.locator('iframe.webview.ready[src*="extensionId=threadwork.threadwork"]');
    const shown = await outer.waitFor({ state: 'attached', timeout: 8_000 }).then(() => true, () => false);
    if (!shown) await bench.openViewContainer('Threadwork');
    // Off the activity bar, so its hover tooltip does not sit on the panel in screenshots.
    await bench.page.mouse.move(900, 500);
    const opened = new ChatPanel(bench.page, await bench.webview());
    await opened.ready();
    return opened;
  }

  const web = (): FrameLocator => panel.web;

  test('the panel opens from the activity bar and the answer streams in as markdown', async () => {
    await bench.step('send', () => panel.send(QUESTION));
    await bench.step('streaming', () => web().locator('.message.from-assistant.streaming').waitFor({ timeout: 60_000 }));
    const footer = await bench.step('answer', () => panel.waitForRunEnd());
    assert.equal(footer.status, 'completed', JSON.stringify(footer));
    const answer = web().locator('.message.from-assistant').last();
    assert.equal(await answer.locator('h2').textContent(), 'Overview');
    assert.equal(await answer.locator('strong').textContent(), 'small Node project');
    assert.equal(await answer.locator('.code-block .code-lang').textContent(), 'js');
    assert.ok((await answer.locator('.code-block code .hljs-keyword').count()) > 0, 'the code block is highlighted');
    assert.equal(await answer.locator('li').count(), 2);
    assert.equal(await web().locator('.header-title-text').textContent(), QUESTION);
    assert.match((await web().locator('.run-usage').last().textContent()) ?? '', /\d+ in · \d+ out/);
    const request = model.requests.find((recorded) => recorded.endpoint === 'chat.completions');
    assert.equal(request?.body['model'], 'scripted-chat-model', 'the run used the model from the settings');
  });

  test('Stop ends a slow run: the panel shows it stopped and the model request is abandoned', async () => {
    const before = model.requests.length;
    await panel.send(SLOW_QUESTION);
    await bench.step('slow-streaming', () => web().locator('.message.from-assistant.streaming').waitFor({ timeout: 60_000 }));
    await panel.stop();
    const footer = await bench.step('stopped', () => panel.waitForRunEnd());
    assert.equal(footer.status, 'cancelled');
    const partial = web().locator('.message.from-assistant').last();
    assert.match((await partial.locator('.message-note').textContent()) ?? '', /Stopped before the answer was complete/);
    const slow = model.requests.slice(before).find((recorded) => recorded.endpoint === 'chat.completions' && lastUserText(recorded).includes(SLOW_QUESTION));
    assert.ok(slow, 'the slow question reached the model');
    for (let attempt = 0; attempt < 50 && !slow.clientDisconnected; attempt++) await new Promise((resolve) => setTimeout(resolve, 100));
    assert.equal(slow.clientDisconnected, true, 'the engine closed the model stream');
    assert.equal(await web().locator('vscode-button.send-button').isVisible(), true);
  });

  test('after reloading the window the thread is intact', async () => {
    await bench.page.reload();
    await bench.step('workbench-after-reload', () => bench.page.waitForSelector('.monaco-workbench .part.activitybar', { timeout: 90_000 }));
    panel = await openPanel();
    await bench.step('thread-after-reload', () => web().locator('.message.from-user', { hasText: SLOW_QUESTION }).waitFor({ timeout: 60_000 }));
    await web().locator('.message-viewport').evaluate((viewport) => viewport.scrollTo({ top: 0 }));
    await web().locator('.message.from-user', { hasText: QUESTION }).waitFor({ timeout: 30_000 });
    assert.equal(await web().locator('.message.from-assistant h2').first().textContent(), 'Overview');
    assert.equal(await web().locator('.header-title-text').textContent(), QUESTION);
    const statuses = (await panel.footers()).map((footer) => footer.status);
    assert.deepEqual(statuses, ['completed', 'cancelled']);
  });

  test('screenshots of the panel in the dark and light themes', async () => {
    await web().locator('.message-viewport').evaluate((viewport) => viewport.scrollTo({ top: 0 }));
    await bench.page.mouse.move(900, 500);
    const sidebar = bench.page.locator('.part.sidebar');
    const shots: string[] = [];
    for (const theme of ['dark', 'light'] as const) {
      await bench.setColorTheme(theme);
      // The webview repaints with the new theme variables on the next frame.
      await web().locator('body').evaluate(() => new Promise((resolve) => setTimeout(resolve, 500)));
      shots.push(await bench.screenshot(`chat-panel-${theme}`));
      const panelShot = join(screenshotDir, `chat-panel-${theme}-sidebar.png`);
      await sidebar.screenshot({ path: panelShot });
      shots.push(panelShot);
    }
    const background = await web().locator('body').evaluate((body) => (globalThis as unknown as { getComputedStyle(element: unknown): { backgroundColor: string } }).getComputedStyle(body).backgroundColor);
    assert.notEqual(background, 'rgba(0, 0, 0, 0)', 'the panel paints the theme background');
    assert.equal(shots.length, 4);
    assert.deepEqual(pageProblems, [], 'the panel runs under its strict CSP without a refusal or a script error');
  });
});
