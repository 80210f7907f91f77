// The knowledge base in a real VS Code (code-server + Chromium), from the packaged VSIX, with the
// model scripted at HTTP level: right-click a file in the Explorer → Add to Knowledge Base → a new
// knowledge base is indexed and attached; the Knowledge view lists it (and the workspace index);
// asked a question, the scripted model calls file_search and cites what it got back; the answer
// shows a footnote, and clicking it opens the file at the cited lines.
// Run: npm run package && node --test test/e2e/knowledge.e2e.test.ts
// (THREADWORK_VSIX=<path> tests another package, e.g. one built apart from a shared dist/.)
import assert from 'node:assert/strict';
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Locator } from 'playwright-core';
import { startScriptedModelServer, type RecordedRequest, type ScriptedModelServer, type ScriptedReply } from '../support/modelServer/index.ts';
import { ChatPanel } from './support/chatPanelDriver.ts';
import { extensionId, launchWorkbench, packagedVsix, sampleWorkspace, startCodeServer, type CodeServer, type Workbench } from './support/codeServer.ts';

const QUESTION = 'How many days do customers have to return a purchase?';
const KNOWLEDGE_BASE = 'Company policies';
const MARKER = /【\d+:\d+†[^】]*】/;

/** A handbook long enough to need several chunks, with the refund rules far from the top. */
function handbook(): { text: string; refundLine: number } {
  const sections = ['Onboarding', 'Expenses', 'Travel', 'Security', 'Equipment', 'Holidays', 'Training', 'Meetings'];
  const lines: string[] = ['# Employee handbook', ''];
  for (const section of sections) {
    lines.push(`## ${section}`, '');
    for (let i = 1; i <= 14; i++) lines.push(`${section} rule ${i}: ask your manager about ${section.toLowerCase()} item ${i} and record it in the ${section.toLowerCase()} log.`);
    lines.push('');
  }
  lines.push('## Refunds', '');
  const refundLine = lines.length + 1;
  lines.push('Customers may return a purchase within 30 days for a full refund, with the receipt.');
  lines.push('After 30 days, returns are exchanged for store credit only.', '');
  return { text: `${lines.join('\n')}\n`, refundLine };
}

type ChatMessage = { role: string; content?: unknown };

/** Searches once, then answers from what the search returned, citing its first marker. */
function reply(request: RecordedRequest): ScriptedReply {
  const messages = (request.body['messages'] ?? []) as ChatMessage[];
  const tools = (request.body['tools'] ?? []) as Array<{ function?: { name?: string } }>;
  const toolResult = messages.filter((message) => message.role === 'tool').at(-1);
  if (!toolResult && tools.some((tool) => tool.function?.name === 'file_search')) {
    return { toolCalls: [{ id: 'call_search_1', name: 'file_search', arguments: { query: 'return purchase refund days' } }] };
  }
  const output = typeof toolResult?.content === 'string' ? toolResult.content : '';
  const marker = MARKER.exec(output)?.[0];
  if (!marker) return { text: 'I found nothing about returns in the files.' };
  return { text: `Customers have **30 days** to return a purchase for a full refund ${marker}; after that only store credit is offered.`, chunkSize: 8, delayMs: 10 };
}

/** The line range the search reported to the model for the result behind `marker`. */
function reportedLines(model: ScriptedModelServer, marker: string): { startLine: number; endLine: number } {
  for (const request of model.requests) {
    const messages = (request.body['messages'] ?? []) as ChatMessage[];
    for (const message of messages) {
      if (message.role !== 'tool' || typeof message.content !== 'string') continue;
      const at = message.content.indexOf(marker);
      if (at === -1) continue;
      const header = /lines (\d+)-(\d+)/.exec(message.content.slice(at, at + 400));
      if (header) return { startLine: Number(header[1]), endLine: Number(header[2]) };
    }
  }
  throw new Error(`the model was never shown ${marker}`);
}

describe('knowledge base in a real VS Code', { timeout: 600_000 }, () => {
  let model: ScriptedModelServer;
  let server: CodeServer;
  let bench: Workbench;
  let base: string;
  const book = handbook();

  before(async () => {
    model = await startScriptedModelServer();
    model.setHandler(reply);
    base = mkdtempSync(join(tmpdir(), 'tw-knowledge-e2e-'));
    const workspace = join(base, 'workspace');
    cpSync(sampleWorkspace, workspace, { recursive: true });
    mkdirSync(join(workspace, 'docs'));
    writeFileSync(join(workspace, 'docs', 'handbook.md'), book.text);
    server = await startCodeServer({
      name: 'knowledge-e2e',
      vsix: process.env['THREADWORK_VSIX'] ?? packagedVsix,
      settings: {
        'threadwork.provider.kind': 'chat-completions',
        'threadwork.provider.baseUrl': model.url,
        'threadwork.provider.model': 'scripted-chat-model',
        'workbench.colorTheme': 'Default Dark Modern',
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

  function explorerRow(name: string): Locator {
    return bench.page.locator('.explorer-folders-view .monaco-list-row').filter({ has: bench.page.locator('.label-name', { hasText: new RegExp(`^${name.replace('.', '\\.')}$`) }) }).first();
  }

  function knowledgeRow(label: string): Locator {
    return bench.page.locator('.pane').filter({ has: bench.page.locator('.pane-header', { hasText: /Knowledge/ }) })
      .locator('.monaco-list-row').filter({ has: bench.page.locator('.label-name', { hasText: label }) }).first();
  }

  test('right-click a file in the Explorer → Add to Knowledge Base: a new knowledge base indexes it and the assistant searches it', async () => {
    const page = bench.page;
    await bench.step('expand-docs', () => explorerRow('docs').click());
    const file = explorerRow('handbook.md');
    await bench.step('file-row', () => file.waitFor({ state: 'visible', timeout: 30_000 }));
    // The Explorer lists files before the extensions' menu entries are registered: once the
    // extension is running (its status bar item shows), a right-click offers the command.
    await bench.step('activated', () => page.locator('.statusbar-item', { hasText: 'Threadwork' }).first().waitFor({ state: 'visible', timeout: 60_000 }));
    const add = page.locator('.monaco-menu-container .monaco-menu .action-label', { hasText: /^Add to Knowledge Base$/ }).first();
    await bench.step('context-menu', async () => {
      for (let attempt = 1; ; attempt++) {
        await file.click({ button: 'right' });
        if (await add.waitFor({ state: 'visible', timeout: 5_000 }).then(() => true, () => false)) return;
        if (attempt === 4) throw new Error('the Explorer context menu never offered "Add to Knowledge Base"');
        await page.keyboard.press('Escape');
      }
    });
    await bench.screenshot('knowledge-01-explorer-menu');
    await add.click();

    const pick = page.locator('.quick-input-widget .quick-input-list .monaco-list-row').filter({ hasText: 'New knowledge base…' }).first();
    await bench.step('quick-pick', () => pick.waitFor({ state: 'visible', timeout: 30_000 }));
    await pick.click();
    const input = page.locator('.quick-input-widget .quick-input-box input');
    await bench.step('name-box', async () => {
      await page.locator('.quick-input-widget .quick-input-title', { hasText: 'New knowledge base' }).waitFor({ state: 'visible', timeout: 15_000 });
      assert.equal(await input.inputValue(), 'Notes: handbook.md', 'the name box suggests one from the file');
    });
    await input.fill(KNOWLEDGE_BASE);
    await input.press('Enter');

    const toast = page.locator('.notifications-toasts .notification-toast', { hasText: `Added 1 file to "${KNOWLEDGE_BASE}"` });
    await bench.step('added', () => toast.waitFor({ state: 'visible', timeout: 90_000 }));
    assert.match((await toast.textContent()) ?? '', /searches it with file_search/, 'attached to the assistant in use');

    await bench.openViewContainer('Threadwork');
    await page.mouse.move(900, 500);
    const store = knowledgeRow(KNOWLEDGE_BASE);
    await bench.step('tree-store', () => store.waitFor({ state: 'visible', timeout: 60_000 }));
    await bench.step('tree-store-attached', () => store.filter({ hasText: 'attached' }).waitFor({ state: 'visible', timeout: 30_000 }));
    await store.click();
    const entry = knowledgeRow('handbook.md');
    await bench.step('tree-file', () => entry.filter({ hasText: 'completed' }).waitFor({ state: 'visible', timeout: 60_000 }));
    // The workspace folder's own index is listed too, and finishes its first sync.
    const folderRow = knowledgeRow('workspace');
    await bench.step('tree-workspace', () => folderRow.filter({ hasText: /files indexed/ }).waitFor({ state: 'visible', timeout: 120_000 }));
    assert.match((await store.textContent()) ?? '', /1 file · completed · attached/);
    // The VSIX carries no node_modules: chunking parses with the tree-sitter VS Code itself ships.
    assert.match(server.outputChannelText('Threadwork', extensionId), /knowledge: chunks follow the code's syntax, parsed with VS Code's tree-sitter \(.*code-server.*tree-sitter-wasm.wasm\)/);
    await bench.screenshot('knowledge-02-tree-view');
  });

  test('the model calls file_search; the answer shows a citation; clicking it opens the file at the cited lines', async () => {
    const page = bench.page;
    const chat = new ChatPanel(page, await bench.webview());
    await chat.ready();
    await chat.send(QUESTION);
    const footer = await bench.step('answer', () => chat.waitForRunEnd());
    assert.equal(footer.status, 'completed', footer.error ?? '');

    const search = model.chatRequests().find((body) => (body.tools ?? []).some((tool) => tool.type === 'function' && tool.function.name === 'file_search'));
    assert.ok(search, 'file_search was offered to the model');
    const answer = chat.web.locator('article.message.from-assistant').last();
    const footnote = answer.locator('button.citation').first();
    await bench.step('footnote', () => footnote.waitFor({ state: 'visible', timeout: 30_000 }));
    assert.equal(await footnote.textContent(), '[1]');
    const body = (await answer.locator('.message-body').textContent()) ?? '';
    assert.ok(!MARKER.test(body), `no raw marker is left in the answer: ${body}`);
    assert.match(body, /30 days/);
    const marker = (await footnote.getAttribute('data-marker')) ?? '';
    assert.match(marker, /^【0:\d+†docs\/handbook\.md】$/);
    assert.match((await answer.locator('.message-citations').textContent()) ?? '', /Sources\s*\[1\] docs\/handbook\.md/);
    await page.mouse.move(900, 500);
    await bench.screenshot('knowledge-03-answer-with-citation');

    const lines = reportedLines(model, marker);
    assert.ok(lines.startLine > 1 && lines.startLine <= book.refundLine && book.refundLine <= lines.endLine, `the cited chunk ${lines.startLine}-${lines.endLine} holds line ${book.refundLine}`);
    await footnote.click();
    const tab = page.locator('.tabs-container .tab.active', { hasText: 'handbook.md' });
    await bench.step('editor-opened', () => tab.waitFor({ state: 'visible', timeout: 30_000 }));
    const cursor = page.locator('.statusbar-item[id="status.editor.selection"]');
    // Inside the cited chunk, the passage that answers the search is selected, the cursor on its first line.
    await bench.step('cursor', () => cursor.filter({ hasText: new RegExp(`Ln ${book.refundLine}, Col 1 \\(\\d+ selected\\)`) }).waitFor({ state: 'visible', timeout: 15_000 }));
    const refund = page.locator('.editor-instance .monaco-editor .view-line', { hasText: 'Customers may return a purchase within 30 days' }).first();
    await bench.step('refund-visible', () => refund.waitFor({ state: 'visible', timeout: 15_000 }));
    await page.mouse.move(900, 500);
    await bench.screenshot('knowledge-04-citation-opened');
  });
});
