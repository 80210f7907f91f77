// The code interpreter in a real VS Code (code-server + Chromium), from the packaged VSIX, with the
// model scripted at HTTP level: attach a CSV with the paperclip (VS Code's own file dialog), the
// model runs Python in the Pyodide sandbox of the extension host that sums it per month and draws
// a chart with twchart, then answers with the numbers. The step shows the code and the sums, the
// answer shows the chart (a loaded image) and the numbers, and its file link opens the CSV the
// code wrote in an editor. Run: npm run package && node --test test/e2e/interpreter.e2e.test.ts
import assert from 'node:assert/strict';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { ANSWER, expectedLogLines, MONTHLY_TOTALS, SALES_CSV, SALES_FILENAME, SUM_AND_CHART_CODE, TOTALS_FILE } from '../fixtures/interpreter/monthlySales.ts';
import { startScriptedModelServer, type ScriptedModelServer, type ScriptedReply } from '../support/modelServer/index.ts';
import { ChatPanel } from './support/chatPanelDriver.ts';
import { launchWorkbench, packagedVsix, startCodeServer, type CodeServer, type Workbench } from './support/codeServer.ts';

type ChatMessage = { role: string; content?: unknown; tool_call_id?: string; tool_calls?: Array<{ id: string; function: { name: string; arguments: string } }> };
type ChatRequest = { messages: ChatMessage[]; tools?: Array<{ function: { name: string; description?: string } }> };

describe('code interpreter in a real VS Code', { timeout: 600_000 }, () => {
  let model: ScriptedModelServer;
  let server: CodeServer;
  let bench: Workbench;
  let panel: ChatPanel;
  let base: string;
  let csvPath: string;
  const script: ScriptedReply[] = [];
  const pageProblems: string[] = [];

  before(async () => {
    model = await startScriptedModelServer();
    model.setHandler(() => script.shift() ?? { text: 'No more scripted replies.' });
    base = mkdtempSync(join(tmpdir(), 'tw-ci-e2e-'));
    const workspace = join(base, 'sales');
    mkdirSync(join(workspace, 'data'), { recursive: true });
    csvPath = join(workspace, 'data', SALES_FILENAME);
    cpSync(SALES_CSV, csvPath);
    server = await startCodeServer({
      name: 'interpreter-e2e',
      vsix: packagedVsix,
      settings: {
        'threadwork.provider.kind': 'chat-completions',
        'threadwork.provider.baseUrl': model.url,
        'threadwork.provider.model': 'scripted-chat-model',
        'workbench.colorTheme': 'Default Dark Modern',
        'git.enabled': false,
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
    await bench.openViewContainer('Threadwork');
    await bench.page.mouse.move(900, 500);
    panel = new ChatPanel(bench.page, await bench.webview());
    await panel.ready();
  });

  after(async () => {
    await bench?.close();
    await server?.stop();
    await model?.close();
    if (base) rmSync(base, { recursive: true, force: true });
  });

  test('attach a CSV, sum it per month in Python, chart it: code, sums, chart and numbers in the panel', async () => {
    const page = bench.page;
    const web = panel.web;

    // The paperclip opens VS Code's file dialog (in a browser: its quick-input dialog) on the workspace.
    await bench.step('attach', async () => {
      await web.locator('.attach-button').click();
      const input = page.locator('.quick-input-widget .quick-input-box input');
      await input.waitFor({ state: 'visible', timeout: 30_000 });
      const widget = page.locator('.quick-input-widget');
      const fileRow = widget.locator('.quick-input-list .monaco-list-row', { hasText: SALES_FILENAME }).first();
      // The dialog puts the workspace folder into the box a moment after it opens; a path typed before
      // that gets glued onto it. So wait for the folder, then type, and type again if the listing of the
      // file's folder (which accepting needs) does not come.
      const typePath = async (firstTime: boolean): Promise<void> => {
        for (let attempt = 1; ; attempt++) {
          if (firstTime && attempt === 1) {
            const deadline = Date.now() + 30_000;
            while (!(await input.inputValue()).endsWith('/') && Date.now() < deadline) await page.waitForTimeout(50);
          }
          await input.fill(csvPath);
          const listed = await fileRow.waitFor({ state: 'visible', timeout: 8_000 }).then(() => true, () => false);
          if (listed && (await input.inputValue()) === csvPath) return;
          if (attempt === 4) throw new Error(`the file dialog never listed ${SALES_FILENAME} (input: ${await input.inputValue()})`);
        }
      };
      await typePath(true);
      // A busy machine can still be refreshing the listing when Attach is pressed, which only
      // re-navigates: press it again (the typed path stays) until the dialog accepts.
      for (let attempt = 1; ; attempt++) {
        await widget.locator('.monaco-button', { hasText: 'Attach' }).first().click();
        const closed = await widget.waitFor({ state: 'hidden', timeout: 6_000 }).then(() => true, () => false);
        if (closed) break;
        if (attempt === 5) throw new Error(`the file dialog stayed open after ${attempt} presses of Attach (input: ${await input.inputValue()})`);
        if ((await input.inputValue()) !== csvPath) await typePath(false);
      }
      await web.locator('.attachment-chips .attachment-name', { hasText: SALES_FILENAME }).waitFor({ timeout: 30_000 });
    });
    assert.equal(await page.locator('.quick-input-widget').isVisible(), false);

    script.push(
      { toolCalls: [{ name: 'code_interpreter', arguments: { code: SUM_AND_CHART_CODE } }], argumentsChunkSize: 48, delayMs: 10 },
      { text: ANSWER, chunkSize: 8, delayMs: 10 },
    );
    await panel.send('Here are our 2024 sales. Sum them per month and draw a chart.');
    const run = await bench.step('run', () => panel.waitForRunEnd(240_000));
    assert.equal(run.status, 'completed', JSON.stringify(run));
    // Room for the conversation: other views of the container (the knowledge base) fold away.
    for (const header of await page.locator('.part.sidebar .pane-header[aria-expanded="true"]').all()) {
      if (!/chat/i.test((await header.textContent()) ?? '')) await header.click();
    }

    // The model was offered the tool, told the file's name, and got the sums back.
    const requests = model.chatRequests() as unknown as ChatRequest[];
    const offered = requests[0]?.tools?.find((tool) => tool.function.name === 'code_interpreter');
    assert.ok(offered, 'the run offered code_interpreter');
    assert.match(offered.function.description ?? '', new RegExp(SALES_FILENAME.replace('.', '\\.')));
    const toolMessage = requests.at(-1)?.messages.find((message) => message.role === 'tool');
    for (const line of expectedLogLines()) assert.match(String(toolMessage?.content), new RegExp(line), 'the model got the printed sums');

    // The step: highlighted Python and its output.
    const card = web.locator('.tool-call.code-interpreter').last();
    await card.waitFor();
    assert.equal(await card.locator('.code-block').getAttribute('data-lang'), 'python');
    assert.equal(await card.locator('.code-block code').textContent(), `${SUM_AND_CHART_CODE}\n`);
    assert.ok((await card.locator('code.hljs .hljs-keyword').count()) > 0, 'the code is highlighted');
    const logs = (await card.locator('.ci-logs').textContent()) ?? '';
    for (const line of expectedLogLines()) assert.ok(logs.includes(line), `the step shows "${line}": ${logs}`);

    // The answer: the numbers and the chart, which really loaded.
    const answer = web.locator('.message.from-assistant').last();
    const text = (await answer.locator('.message-body').textContent()) ?? '';
    for (const [month, total] of MONTHLY_TOTALS) assert.ok(text.includes(`${month}: ${total}`), `the answer has ${month}: ${total}`);
    const chart = answer.locator('.message-image img');
    await chart.waitFor({ timeout: 30_000 });
    const loaded = await waitFor(async () => {
      const size = await chart.evaluate((image: { complete: boolean; naturalWidth: number }) => (image.complete ? image.naturalWidth : 0));
      return size > 0 ? size : undefined;
    }, 'the chart image to load');
    assert.equal(loaded, 640);
    assert.match((await chart.getAttribute('src')) ?? '', /^data:image\/png;base64,/);
    await bench.page.mouse.move(900, 520);
    await bench.screenshot('interpreter-chart');

    // Scrolled back up: the user's message with its attachment, and the step with code and sums.
    const viewport = web.locator('.message-viewport');
    await viewport.evaluate((element: { scrollTo(x: number, y: number): void }) => element.scrollTo(0, 0));
    await web.locator('.message.from-user .message-attachments .attachment-name', { hasText: SALES_FILENAME }).waitFor();
    await bench.screenshot('interpreter-code');
    await viewport.evaluate((element: { scrollTo(x: number, y: number): void; scrollHeight: number }) => element.scrollTo(0, element.scrollHeight));
    assert.deepEqual(pageProblems, [], 'no CSP refusals or webview errors');
  });

  test('the answer\'s file link opens the CSV the code wrote in an editor', async () => {
    const page = bench.page;
    const link = panel.web.locator('.message.from-assistant .message-body a.file-link', { hasText: TOTALS_FILE }).last();
    await link.click();
    const tab = page.locator('.tab', { hasText: TOTALS_FILE }).first();
    await bench.step('open-generated', () => tab.waitFor({ state: 'visible', timeout: 30_000 }));
    const editor = page.locator('.editor-instance .monaco-editor').first();
    await editor.locator('.view-line', { hasText: '2024-03,800.25' }).waitFor({ timeout: 30_000 });
    await bench.screenshot('interpreter-generated-file');
    const storedNextToTheExtension = readFileSync(csvPath, 'utf8');
    assert.match(storedNextToTheExtension, /^date,region,amount/, 'the workspace file is untouched');
  });
});

async function waitFor<T>(probe: () => Promise<T | undefined>, what: string, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}
