// First run and editor actions in a real VS Code (code-server + Chromium), with the model scripted at
// HTTP level. A fresh profile follows the walkthrough to a first answer: "Choose a Model" finds a
// scripted server standing in for Ollama on its usual port (11434) through the real detection code,
// probes it, writes the settings; "Open Chat" and a question get a streamed answer. Then a function
// is selected, Explain Selection is picked from the editor's context menu, and the answer streams
// into the panel quoting the selection; the status bar shows the model, context and cost.
// Run: npm run package && node --test test/e2e/editorSetup.e2e.test.ts
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { startScriptedModelServer, type RecordedRequest, type ScriptedModelServer, type ScriptedReply } from '../support/modelServer/index.ts';
import { ChatPanel } from './support/chatPanelDriver.ts';
import { launchWorkbench, packagedVsix, sampleWorkspace, startCodeServer, type CodeServer, type Workbench } from './support/codeServer.ts';

const OLLAMA_PORT = 11434;
const MODEL = 'scripted-chat-model';
const vsix = process.env['THREADWORK_VSIX'] ?? packagedVsix;
/** A file TypeScript reports an error in (TS2322 on line 2), for the quick fix. */
const TYPE_ERROR_FILE = 'export function total(prices: number[]): number {\n  const sum: number = prices.join(\'+\');\n  return sum;\n}\n';

async function portIsFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = createServer();
    probe.once('error', () => resolve(false));
    probe.listen(port, '127.0.0.1', () => probe.close(() => resolve(true)));
  });
}

/**
 * Moves the cursor with Go to Line ("4" or "2:10"; its box opens holding ':'). Keyboard, not a click
 * on a line: in CI such a click once landed on line 1, the editor still settling where it drew lines.
 */
async function goToLine(page: Workbench['page'], where: string): Promise<void> {
  await page.keyboard.press('Control+G');
  await page.locator('.quick-input-widget .quick-input-box input').fill(`:${where}`);
  await page.keyboard.press('Enter');
}

/** The text of the newest user message in a Chat Completions or Responses request. */
function lastUserText(request: RecordedRequest): string {
  const body = request.body as { messages?: Array<{ role: string; content: unknown }>; input?: Array<{ role?: string; content?: unknown }> };
  const items = body.messages ?? body.input ?? [];
  const last = [...items].reverse().find((item) => item.role === 'user');
  const content = last?.content;
  if (typeof content === 'string') return content;
  return Array.isArray(content) ? content.map((part: { text?: string }) => part.text ?? '').join('') : '';
}

/** The scripted model: answers the capability probe, greets, and explains code by quoting it back. */
function reply(request: RecordedRequest): ScriptedReply {
  const tools = (request.body['tools'] as Array<{ function?: { name?: string }; name?: string }> | undefined) ?? [];
  if (tools.some((tool) => (tool.function?.name ?? tool.name) === 'report_probe_word')) return { toolCalls: [{ name: 'report_probe_word', arguments: { word: 'ready, and then some' } }], argumentsChunkSize: 5 };
  const text = lastUserText(request);
  if (text === 'Say ready.') return { text: 'ready' };
  const code = /```(\w*)\n([\s\S]*?)\n```/.exec(text);
  if (text.startsWith('Fix') && code) {
    return { text: `The problem is on line 2: \`join\` returns a string. Sum the numbers instead:\n\n\`\`\`ts\nconst sum = prices.reduce((a, b) => a + b, 0);\n\`\`\``, chunkSize: 8, delayMs: 20 };
  }
  if (text.startsWith('Explain') && code) {
    return {
      text: `This function computes one invoice line:\n\n\`\`\`${code[1]}\n${code[2]}\n\`\`\`\n\nIt refuses a negative or fractional quantity with a RangeError, then multiplies the unit price in cents by the quantity, so the total stays an integer number of cents.`,
      chunkSize: 8,
      delayMs: 60,
    };
  }
  return { text: 'Hello! I am the scripted model, answering through Threadwork.', chunkSize: 5, delayMs: 10 };
}

describe('first run and editor actions in a real VS Code', { timeout: 600_000 }, () => {
  let model: ScriptedModelServer;
  let server: CodeServer;
  let bench: Workbench;
  let workspace: string;
  let base: string;
  let onUsualPort = false;

  before(async () => {
    // The real detection code looks at the usual ports; stand in for Ollama there when it is free,
    // otherwise list the scripted server's port as the one place to look.
    onUsualPort = await portIsFree(OLLAMA_PORT);
    model = await startScriptedModelServer({ models: [MODEL, 'nomic-embed-text'], ...(onUsualPort ? { port: OLLAMA_PORT } : {}) });
    model.setHandler(reply);
    base = mkdtempSync(join(tmpdir(), 'tw-setup-e2e-'));
    workspace = join(base, 'workspace');
    cpSync(sampleWorkspace, workspace, { recursive: true });
    writeFileSync(join(workspace, 'src', 'total.ts'), TYPE_ERROR_FILE);
    server = await startCodeServer({
      name: 'editor-setup-e2e',
      vsix,
      settings: {
        'git.enabled': false,
        'threadwork.usage.prices': { [MODEL]: { input: 2.5, output: 10 } },
        ...(onUsualPort ? {} : { 'threadwork.provider.localServers': [{ name: 'Ollama', baseUrl: model.url }, { name: 'LM Studio', baseUrl: 'http://127.0.0.1:1234/v1' }] }),
      },
    });
    bench = await launchWorkbench(server, { folder: workspace });
  });

  after(async () => {
    await bench?.close();
    await server?.stop();
    await model?.close();
    if (base) rmSync(base, { recursive: true, force: true });
  });

  const statusItem = () => bench.page.locator('.statusbar-item', { hasText: /Threadwork|scripted-chat-model/ }).first();

  async function panel(): Promise<ChatPanel> {
    const opened = new ChatPanel(bench.page, await bench.webview());
    await opened.ready();
    return opened;
  }

  async function assistantTexts(chat: ChatPanel): Promise<string[]> {
    return chat.web.locator('article.message.from-assistant .message-body').allTextContents();
  }

  test('the walkthrough takes a fresh profile from install to a first answer, finding the local server on its usual port', async () => {
    const page = bench.page;
    await bench.step('status-not-configured', () => statusItem().filter({ hasText: 'connect a model' }).waitFor({ state: 'visible', timeout: 60_000 }));
    await bench.runCommand('Threadwork: Get Started');
    const walkthrough = page.locator('.gettingStartedContainer');
    await bench.step('walkthrough', () => walkthrough.locator('h2', { hasText: 'Get started with Threadwork' }).first().waitFor({ state: 'visible', timeout: 30_000 }));
    await page.locator('.gettingStartedContainer .getting-started-media, .gettingStartedContainer .gettingStartedSlideDetails').first().waitFor({ state: 'visible', timeout: 15_000 }).catch(() => undefined);
    await page.waitForTimeout(1_000);
    await bench.screenshot('setup-01-walkthrough');

    await bench.step('choose-model-button', () => walkthrough.getByRole('button', { name: 'Choose a Model' }).click({ timeout: 30_000 }));
    const rows = page.locator('.quick-input-widget .quick-input-list .monaco-list-row');
    const ollama = rows.filter({ hasText: 'Ollama' }).filter({ hasText: model.url }).first();
    await bench.step('detected-server', () => ollama.waitFor({ state: 'visible', timeout: 30_000 }));
    assert.match((await ollama.textContent()) ?? '', /2 models/);
    await bench.screenshot('setup-02-detected-local-server');
    await ollama.click();
    const modelRow = rows.filter({ has: page.locator('.label-name', { hasText: new RegExp(`^${MODEL}$`) }) }).first();
    await bench.step('model-list', () => modelRow.waitFor({ state: 'visible', timeout: 30_000 }));
    await modelRow.click();
    const toast = page.locator('.notifications-toasts .notification-toast', { hasText: 'Threadwork now uses' }).first();
    await bench.step('configured-toast', () => toast.waitFor({ state: 'visible', timeout: 60_000 }));
    const summary = (await toast.textContent()) ?? '';
    assert.match(summary, new RegExp(`${MODEL} at ${model.url.replace(/[.]/g, '\\.')}: Chat Completions, tool calls, streamed`));

    const settings = server.readSettings();
    assert.equal(settings['threadwork.provider.kind'], 'chat-completions');
    assert.equal(settings['threadwork.provider.baseUrl'], model.url);
    assert.equal(settings['threadwork.provider.model'], MODEL);
    // The probe asked the real endpoint: a plain call on both APIs, then one offering a tool.
    assert.ok(model.chatRequests().some((body) => Array.isArray(body.tools) && body.tool_choice === 'required'));
    assert.ok(model.requests.some((request) => request.path === '/v1/models'));
    await bench.screenshot('setup-03-model-connected');

    await page.locator('.getting-started-step', { hasText: 'Ask a first question' }).first().click();
    await bench.step('open-chat-button', () => walkthrough.getByRole('button', { name: 'Open Chat' }).click({ timeout: 30_000 }));
    const chat = await panel();
    await chat.send('Hello, who are you?');
    const footer = await bench.step('first-answer', () => chat.waitForRunEnd());
    assert.equal(footer.status, 'completed', footer.error ?? '');
    assert.ok((await assistantTexts(chat)).some((text) => text.includes('I am the scripted model')));
    await page.mouse.move(700, 450);
    await bench.screenshot('setup-04-first-answer');
  });

  test('Explain Selection from the editor context menu streams an answer into the panel that quotes the selection', async () => {
    const page = bench.page;
    await page.keyboard.press('Control+P');
    await page.locator('.quick-input-widget .quick-input-box input').fill('invoice.js');
    await page.locator('.quick-input-widget .quick-input-list .monaco-list-row', { hasText: 'invoice.js' }).filter({ hasText: 'src' }).first().click();
    const editor = page.locator('.editor-instance .monaco-editor').first();
    const firstLine = editor.locator('.view-line', { hasText: 'export function lineTotal(line) {' }).first();
    await bench.step('editor-open', () => firstLine.waitFor({ state: 'visible', timeout: 30_000 }));
    // Select the whole function, lines 4-9: Go to Line, then extend downwards.
    await goToLine(page, '4');
    await page.keyboard.press('Home');
    await page.keyboard.press('Home');
    for (let i = 0; i < 6; i++) await page.keyboard.press('Shift+ArrowDown');
    await page.keyboard.press('Shift+End');
    const cursor = page.locator('.statusbar-item', { hasText: /Ln 10, Col 1 \(\d+ selected\)/ });
    await bench.step('selection', () => cursor.first().waitFor({ state: 'visible', timeout: 15_000 }));
    const chatBefore = await panel();
    const footersBefore = await chatBefore.footers();
    for (const footer of footersBefore) chatBefore.seenRuns.add(footer.runId);

    // Right-click inside the selection (outside it, the editor would move the cursor there first).
    // The highlight lies under the text layer, which takes the click: hence `force`.
    await editor.locator('.view-overlays .selected-text').nth(2).click({ button: 'right', force: true });
    const menu = page.locator('.monaco-menu-container .monaco-menu').first();
    await bench.step('context-menu', () => menu.locator('.action-label', { hasText: /^Threadwork$/ }).first().waitFor({ state: 'visible', timeout: 15_000 }));
    await menu.locator('.action-label', { hasText: /^Threadwork$/ }).first().hover();
    const explain = page.locator('.monaco-menu-container .monaco-menu .action-label', { hasText: /^Explain Selection$/ }).first();
    await bench.step('submenu', () => explain.waitFor({ state: 'visible', timeout: 15_000 }));
    await bench.screenshot('setup-05-context-menu');
    await explain.click();

    const chat = new ChatPanel(page, await bench.webview());
    for (const footer of footersBefore) chat.seenRuns.add(footer.runId);
    const question = chat.web.locator('article.message.from-user .message-body').filter({ hasText: 'Explain' }).last();
    await bench.step('question-shown', () => question.waitFor({ state: 'visible', timeout: 60_000 }));
    assert.match((await question.textContent()) ?? '', /Explain src\/invoice\.js lines 4–9/);

    // Watch the answer grow while the run is going: several distinct lengths before it ends.
    const answer = chat.web.locator('article.message.from-assistant .message-body').last();
    const lengths = new Set<number>();
    const deadline = Date.now() + 60_000;
    let ended = false;
    while (!ended && Date.now() < deadline) {
      const text = await answer.textContent().catch(() => '');
      if (text && text.includes('invoice line')) lengths.add(text.length);
      if (lengths.size === 3) await bench.screenshot('setup-06-answer-streaming');
      ended = (await chat.footers()).some((footer) => !chat.seenRuns.has(footer.runId) && ['completed', 'failed', 'cancelled', 'incomplete', 'expired'].includes(footer.status));
      await new Promise((resolve) => setTimeout(resolve, 40));
    }
    const footer = await chat.waitForRunEnd();
    assert.equal(footer.status, 'completed', footer.error ?? '');
    assert.ok(lengths.size >= 3, `the answer appeared in ${lengths.size} steps (${[...lengths].join(', ')} characters); it should stream`);
    const finalText = (await answer.textContent()) ?? '';
    for (const line of ['export function lineTotal(line) {', 'throw new RangeError(', 'return line.unitCents * line.quantity;']) {
      assert.ok(finalText.includes(line), `the answer quotes "${line}"`);
    }
    // What the model received is the selection, fenced, with its path and lines.
    const sent = model.chatRequests().map((body) => JSON.stringify(body.messages)).find((messages) => messages.includes('Explain `src/invoice.js` lines 4–9'));
    assert.ok(sent?.includes('return line.unitCents * line.quantity;'));
    await page.mouse.move(700, 450);
    await bench.screenshot('setup-07-explained');
  });

  test('the status bar shows the model and context, and its tooltip the last answer\'s tokens and cost; it opens the panel', async () => {
    const page = bench.page;
    const item = statusItem();
    // The item says "answering…" until the host hears the run ended, which can trail the panel's footer.
    const idle = new RegExp(`Threadwork · ${MODEL} · [\\d.]+k?(/[\\d.]+[kM])?`);
    const configured = bench.page.locator('.statusbar-item', { hasText: idle }).first();
    await bench.step('status-configured', () => configured.waitFor({ state: 'visible', timeout: 30_000 }));
    assert.match((await configured.textContent()) ?? '', idle);
    await item.hover();
    const hover = page.locator('.workbench-hover, .monaco-hover').filter({ hasText: 'Last answer' }).first();
    await bench.step('status-tooltip', () => hover.waitFor({ state: 'visible', timeout: 15_000 }));
    const tooltip = (await hover.textContent()) ?? '';
    assert.match(tooltip, /Last answer \(completed, `?scripted-chat-model`?\): [\d.]+k? in, [\d.]+k? out · \$\d/);
    assert.match(tooltip, /Next answer sends about/);
    await bench.screenshot('setup-08-status-tooltip');
  });

  test('a problem in the editor offers "Ask Threadwork to fix", which sends the code with the diagnostic to the panel', async () => {
    const page = bench.page;
    await page.keyboard.press('Control+P');
    await page.locator('.quick-input-widget .quick-input-box input').fill('total.ts');
    await page.locator('.quick-input-widget .quick-input-list .monaco-list-row', { hasText: 'total.ts' }).first().click();
    const editor = page.locator('.editor-instance .monaco-editor').first();
    const errorLine = editor.locator('.view-line', { hasText: "const sum: number = prices.join('+');" }).first();
    await bench.step('ts-file-open', () => errorLine.waitFor({ state: 'visible', timeout: 30_000 }));
    // TypeScript's server starts and reports the error; the squiggle shows it has arrived.
    await bench.step('ts-diagnostic', () => editor.locator('.squiggly-error').first().waitFor({ state: 'attached', timeout: 120_000 }));
    // The cursor goes onto `sum`, where the error is.
    await goToLine(page, '2:10');
    await bench.step('cursor-on-error', () => page.locator('.statusbar-item', { hasText: /Ln 2, Col 10\b/ }).first().waitFor({ state: 'visible', timeout: 15_000 }));
    const chat = await panel();
    for (const footer of await chat.footers()) chat.seenRuns.add(footer.runId);
    await page.keyboard.press('Control+.');
    const fix = page.locator('.action-widget .monaco-list-row, .context-view .action-widget .action-label', { hasText: 'Ask Threadwork to fix' }).first();
    await bench.step('quick-fix-menu', () => fix.waitFor({ state: 'visible', timeout: 30_000 }));
    await bench.screenshot('setup-09-quick-fix');
    await fix.click();
    const question = chat.web.locator('article.message.from-user .message-body').filter({ hasText: 'Fix' }).last();
    await bench.step('fix-question', () => question.waitFor({ state: 'visible', timeout: 60_000 }));
    const footer = await chat.waitForRunEnd();
    assert.equal(footer.status, 'completed', footer.error ?? '');
    const sent = model.chatRequests().map((body) => JSON.stringify(body.messages)).find((messages) => messages.includes('Fix `src/total.ts`'));
    assert.ok(sent, 'the fix question reached the model');
    assert.match(sent, /line 2, error \(ts 2322\): Type 'string' is not assignable to type 'number'/);
    assert.ok(sent.includes("const sum: number = prices.join('+');"));
    await page.mouse.move(700, 450);
    await bench.screenshot('setup-10-fix-answered');
  });
});
