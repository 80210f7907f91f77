// The chat panel with the code interpreter, in real Chromium against the real chat controller, its
// file requests and the real Pyodide sandbox (the scripted model is the only fake): the paperclip
// attaches a CSV, the step shows the highlighted code and its output, the chart loads as an image
// under the production CSP, and the generated CSV's link and buttons open or save it.
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { ChatFilesPort, PickedFile, StoredFile } from '../../src/vscode/interpreter/chatFileRequests.ts';
import { ChatFileRequests } from '../../src/vscode/interpreter/chatFileRequests.ts';
import { createCodeInterpreterTool } from '../../src/engine/builtinTools/engineCodeInterpreter.ts';
import { SettingsFollowingHost } from '../../src/vscode/interpreter/codeInterpreterAddOn.ts';
import { screenshotDir } from '../e2e/support/paths.ts';
import { ANSWER, expectedLogLines, MONTHLY_TOTALS, SALES_CSV, SALES_FILENAME, SUM_AND_CHART_CODE, TOTALS_FILE } from '../fixtures/interpreter/monthlySales.ts';
import { openPanel, waitForText, type Panel } from './support/panelHarness.ts';

class RecordingPort implements ChatFilesPort {
  picks: PickedFile[][] = [];
  opened: StoredFile[] = [];
  saved: StoredFile[] = [];
  pickFiles(): Promise<{ files: PickedFile[]; skipped: string[] }> {
    return Promise.resolve({ files: this.picks.shift() ?? [], skipped: [] });
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
    return true;
  }
}

describe('chat panel: code interpreter', () => {
  let panel: Panel;
  let sandbox: SettingsFollowingHost;
  const port = new RecordingPort();

  before(async () => {
    panel = await openPanel({
      host: 'engine',
      viewport: { width: 480, height: 900 },
      setup: (opened) => {
        const { engine, dir } = opened.engine!;
        sandbox = new SettingsFollowingHost({ settings: () => ({ enabled: true, runner: 'pyodide', timeoutSeconds: 60, allowPackageDownloads: false }), log: () => undefined }, dir);
        engine.registerBuiltinTool(createCodeInterpreterTool(engine, sandbox));
        // The built-in assistant, as the extension gives it the tool.
        engine.assistants.create({ name: 'Threadwork', model: 'scripted-model', tools: [{ type: 'code_interpreter' }], metadata: { threadwork_default: 'true' } });
        new ChatFileRequests(() => engine, port).register(opened.channel);
      },
    });
  });
  after(async () => {
    await panel.close();
    await sandbox.dispose();
  });

  test('the paperclip attaches files as chips; one can be removed before sending', async () => {
    const page = panel.page;
    port.picks.push([{ name: SALES_FILENAME, bytes: readFileSync(SALES_CSV) }, { name: 'notes.md', bytes: Buffer.from('# Notes\n') }]);
    await page.locator('.attach-button').click();
    await page.locator('.attachment-chips .attachment-chip', { hasText: 'notes.md' }).waitFor();
    mkdirSync(screenshotDir, { recursive: true });
    await page.locator('.composer').screenshot({ path: join(screenshotDir, 'webview-attachments.png') });
    assert.deepEqual(await page.locator('.attachment-chips .attachment-name').allTextContents(), [SALES_FILENAME, 'notes.md']);
    await page.locator('.attachment-chips .attachment-remove[aria-label="Remove notes.md"]').click();
    await page.locator('.attachment-chips .attachment-chip', { hasText: 'notes.md' }).waitFor({ state: 'detached' });
    assert.deepEqual(await page.locator('.attachment-chips .attachment-name').allTextContents(), [SALES_FILENAME]);
    await panel.waitForRequests('files/discard');
  });

  test('a run with code: highlighted code, its output, the chart loaded, and the generated file to open or save', async () => {
    const page = panel.page;
    panel.engine!.model.enqueue({ toolCalls: [{ name: 'code_interpreter', arguments: { code: SUM_AND_CHART_CODE } }], argumentsChunkSize: 40, delayMs: 5 });
    panel.engine!.model.enqueue({ text: ANSWER, chunkSize: 12 });
    const input = page.locator('.composer-input');
    await input.fill('Sum the sales per month and draw a chart.');
    await input.press('Enter');

    // The user's message shows its attachment; the composer's chips are gone.
    await page.locator('.message.from-user .message-attachments .attachment-name', { hasText: SALES_FILENAME }).waitFor();
    assert.equal(await page.locator('.attachment-chips').isHidden(), true);

    const card = page.locator('.tool-call.code-interpreter');
    await card.waitFor();
    await page.locator('.run-footer[data-status="completed"]').waitFor({ timeout: 120_000 });
    assert.equal(await card.getAttribute('heading'), 'Code interpreter');
    assert.equal(await card.locator('.code-block').getAttribute('data-lang'), 'python');
    assert.equal(await card.locator('.code-block code').textContent(), `${SUM_AND_CHART_CODE}\n`);
    assert.ok(await card.locator('code.hljs .hljs-keyword').count() > 0, 'the code is highlighted');
    const logs = await waitForText(card.locator('.ci-logs'), (text) => text.includes(expectedLogLines().at(-1)!));
    for (const line of expectedLogLines()) assert.ok(logs.includes(line), `${line} in ${logs}`);
    assert.match(await card.locator('.ci-images').textContent() ?? '', /Drew 1 image/);

    const answer = page.locator('.message.from-assistant').last();
    for (const [month, total] of MONTHLY_TOTALS) await answer.locator('.message-body li', { hasText: `${month}: ${total}` }).waitFor();
    const chart = answer.locator('.message-image img');
    await chart.waitFor();
    await page.waitForFunction("(() => { const image = document.querySelector('.message.from-assistant .message-image img'); return image !== null && image.complete && image.naturalWidth > 0; })()", undefined, { timeout: 15_000 });
    assert.equal(await chart.evaluate((image: { naturalWidth: number }) => image.naturalWidth), 640);
    assert.match(await chart.getAttribute('src') ?? '', /^data:image\/png;base64,/);

    // The link in the text and the file row both reach the generated CSV.
    const link = answer.locator('.message-body a.file-link', { hasText: TOTALS_FILE });
    await link.click();
    assert.equal(port.opened.at(-1)?.filename, TOTALS_FILE);
    assert.match(Buffer.from(port.opened.at(-1)!.bytes).toString(), /2024-03,800\.25/);
    await answer.locator('.generated-file .file-save').click();
    await waitUntil(() => port.saved.length === 1);
    assert.equal(port.saved[0]?.filename, TOTALS_FILE);
    await answer.locator('.message-image .message-image-open').click();
    await waitUntil(() => port.opened.length === 2);
    assert.match(port.opened[1]?.filename ?? '', /\.png$/);

    await page.screenshot({ path: join(screenshotDir, 'webview-code-interpreter.png') });
    await page.locator('.message-viewport').evaluate((viewport) => viewport.scrollTo(0, 0));
    await page.locator('.message.from-user .message-attachments').waitFor();
    await page.screenshot({ path: join(screenshotDir, 'webview-code-interpreter-top.png') });
    await page.locator('.message-viewport').evaluate((viewport) => viewport.scrollTo(0, viewport.scrollHeight));
    assert.deepEqual(await panel.problems(), [], 'no console errors and no CSP violations');
  });

  test('a model-written link to another file id is not clickable', async () => {
    const page = panel.page;
    const other = panel.engine!.engine.files.create({ filename: 'secret.txt', purpose: 'assistants_output', bytes: Buffer.from('nope') });
    panel.engine!.model.enqueue({ text: `See [this](#tw-file=${other.id}) and sandbox:/mnt/data/none.csv.` });
    const input = page.locator('.composer-input');
    await input.fill('Anything else?');
    await input.press('Enter');
    const answer = page.locator('.message.from-assistant', { hasText: 'See this' });
    await answer.waitFor({ timeout: 30_000 });
    await page.locator('.run-footer[data-status="completed"]').nth(1).waitFor({ timeout: 30_000 });
    assert.equal(await answer.locator('a[data-file-id]').count(), 0);
    assert.equal(await answer.locator('a[href^="#tw-file"]').count(), 0);
    const opened = port.opened.length;
    await answer.locator('a', { hasText: 'this' }).click();
    await new Promise((resolve) => setTimeout(resolve, 200));
    assert.equal(port.opened.length, opened);
  });
});

async function waitUntil(condition: () => boolean): Promise<void> {
  for (let attempt = 0; attempt < 200 && !condition(); attempt++) await new Promise((resolve) => setTimeout(resolve, 25));
  assert.ok(condition());
}
