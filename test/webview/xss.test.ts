// Model output is data: a corpus of script-injection payloads, rendered as stored messages, as a
// live stream, as tool calls, approval prompts and thread titles, runs no script at all. The page
// runs WITHOUT the content security policy here, so the sanitizer alone has to hold; page-level
// hooks (alert, confirm, prompt, print, __xss) record any execution.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { ChatSnapshot, Message, RunStep, ThreadSnapshot } from '../../src/protocol/chatModel.ts';
import * as protocol from '../../src/protocol/messages.ts';
import { defaultProvider, openPanel, type Panel } from './support/panelHarness.ts';
import { recordThread, snapshotAt } from './support/recordedRuns.ts';
import { xssCorpus } from './support/xssCorpus.ts';

const corpus = xssCorpus();
const THREAD = { id: 'thread_xss', title: 'XSS corpus', createdAt: 1_700_000_000 };

/** Runs in the page: everything rendered that could carry script, listed as findings. */
const INSPECT = `(() => {
  const banned = new Set(['SCRIPT','IFRAME','OBJECT','EMBED','SVG','MATH','IMG','STYLE','LINK','META','BASE','FORM','INPUT','VIDEO','AUDIO','SOURCE','MARQUEE','DETAILS','NOSCRIPT','TEMPLATE','FRAME','FRAMESET','PORTAL','DIALOG','XMP','LISTING','ISINDEX','KEYGEN','IMAGE','ANIMATE']);
  const findings = [];
  const scope = document.querySelectorAll('.message-viewport *, .history-panel *');
  for (const element of scope) {
    const inModelText = element.parentElement !== null && element.parentElement.closest('.message-body, .tool-text, .approval, .thread-item, .run-error') !== null;
    if (banned.has(element.tagName.toUpperCase()) && !(element.tagName === 'INPUT' && element.classList.contains('thread-rename-input'))) findings.push('tag ' + element.tagName);
    for (const attribute of element.attributes) {
      const name = attribute.name.toLowerCase();
      if (name.startsWith('on')) findings.push('handler ' + name + ' on ' + element.tagName);
      if (/^\\s*(javascript|vbscript|data):/i.test(attribute.value.replace(/[\\u0000-\\u0020]/g, ''))) findings.push('scheme in ' + name + ' on ' + element.tagName);
      if (inModelText && name === 'style') findings.push('style attribute on ' + element.tagName);
    }
    if (element.tagName === 'A' && element.hasAttribute('href') && !/^(https?:\\/\\/|mailto:)/i.test(element.getAttribute('href'))) findings.push('href ' + element.getAttribute('href'));
  }
  return findings;
})()`;

/** Runs in the page: pokes every element in model text the ways a payload might wait for. */
const PROVOKE = `(() => {
  for (const element of document.querySelectorAll('.message-body *, .tool-text, .approval *, .thread-title')) {
    for (const type of ['mouseover', 'mouseenter', 'focus', 'focusin', 'blur', 'toggle', 'load', 'error', 'animationstart']) {
      element.dispatchEvent(new Event(type, { bubbles: true }));
    }
  }
  for (const link of document.querySelectorAll('.message-body a')) link.click();
  return document.querySelectorAll('.message-body a').length;
})()`;

const afterFrames = `new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(() => resolve(true))))`;

describe('chat panel: model output never runs script', () => {
  let panel: Panel;
  let current: ThreadSnapshot | null = null;

  before(async () => {
    panel = await openPanel({ host: 'manual', csp: false, setup: (opened) => opened.handle(protocol.WebviewReady, (): ChatSnapshot => ({
      threads: [THREAD, ...corpus.slice(0, 40).map((title, index) => ({ id: `thread_t${index}`, title, createdAt: THREAD.createdAt - index }))],
      current, assistants: [{ id: 'asst_1', name: '<img src=x onerror=__xss("assistant-name")>', model: '<svg onload=__xss("model")>' }],
      selectedAssistantId: 'asst_1', provider: defaultProvider(), approvals: [],
    })) });
  });
  after(async () => panel.close());

  async function hits(): Promise<string[]> {
    return (await panel.page.evaluate('window.__xssHits.slice()')) as string[];
  }

  /** Scrolls the whole conversation through the viewport, inspecting and provoking each screenful. */
  async function sweep(): Promise<{ findings: string[]; keys: Set<string>; links: number }> {
    const page = panel.page;
    const findings: string[] = [];
    const keys = new Set<string>();
    let links = 0;
    await page.evaluate('document.querySelector(".message-viewport").scrollTop = 0');
    for (let step = 0; step < 2000; step++) {
      await page.evaluate(afterFrames);
      findings.push(...((await page.evaluate(INSPECT)) as string[]));
      links += (await page.evaluate(PROVOKE)) as number;
      for (const key of (await page.evaluate('[...document.querySelectorAll(".virtual-canvas > [data-key]")].map((row) => row.dataset.key)')) as string[]) keys.add(key);
      const atEnd = (await page.evaluate('(() => { const v = document.querySelector(".message-viewport"); const end = v.scrollTop + v.clientHeight >= v.scrollHeight - 1; v.scrollTop += Math.floor(v.clientHeight * 0.8); return end; })()')) as boolean;
      if (atEnd) break;
    }
    return { findings, keys, links };
  }

  test('the detector works: an unsanitized payload injected directly is recorded', async () => {
    await panel.page.evaluate('document.body.insertAdjacentHTML("beforeend", "<img id=control src=x onerror=__xss(\\"control\\")>")');
    await panel.page.waitForFunction('window.__xssHits.length > 0');
    assert.deepEqual(await hits(), ['__xss:control']);
    await panel.page.evaluate('document.getElementById("control").remove(); window.__xssHits.length = 0;');
  });

  test(`${corpus.length} payloads as stored assistant messages: zero executions, nothing executable in the DOM`, async () => {
    assert.ok(corpus.length >= 200, `corpus has ${corpus.length} payloads`);
    const messages: Message[] = corpus.map((text, index) => storedMessage(`msg_${index}`, text));
    current = { thread: THREAD, messages, runs: [], steps: [], activeRun: null };
    await panel.reload();
    const { findings, keys, links } = await sweep();
    await new Promise((resolve) => setTimeout(resolve, 300));
    assert.deepEqual(findings, []);
    assert.equal([...keys].filter((key) => key.startsWith('m:msg_')).length, corpus.length, 'every payload was rendered');
    assert.ok(links > 0, 'some payloads became (safe) links and were clicked');
    for (const params of panel.requests('link/open') as Array<{ href: string }>) assert.match(params.href, /^https?:\/\//);
    assert.deepEqual(await hits(), []);
    assert.equal(panel.page.url(), 'http://webview.test/index.html');
  });

  test('the same payloads streamed in 3-character deltas: zero executions at every stage', async () => {
    const recorded = await recordThread([{ prompt: 'stream the corpus', reply: { text: corpus.slice(0, 120).join('\n\n'), chunkSize: 3 } }]);
    current = snapshotAt({ ...recorded, thread: THREAD }, 0, 0);
    current.thread = THREAD;
    await panel.reload();
    const events = recorded.runs[0]!.events;
    for (let start = 0; start < events.length; start += 50) {
      for (const event of events.slice(start, start + 50)) panel.channel.notify(protocol.RunEvent, { ...event, threadId: THREAD.id });
      await panel.delivered();
      await panel.page.evaluate(afterFrames);
      assert.deepEqual((await panel.page.evaluate(INSPECT)) as string[], []);
    }
    await panel.page.locator('.run-footer[data-status="completed"]').waitFor();
    const { findings } = await sweep();
    assert.deepEqual(findings, []);
    assert.deepEqual(await hits(), []);
  });

  test('payloads in tool calls, approval prompts and thread titles are shown as text', async () => {
    const sample = corpus.filter((_, index) => index % 9 === 0);
    const steps: RunStep[] = sample.map((text, index) => toolStep(`step_${index}`, text));
    current = { thread: THREAD, messages: [], runs: [], steps, activeRun: null };
    await panel.reload();
    // Tool cards are collapsed by default; open them so their text is in the layout.
    await panel.page.evaluate('for (const card of document.querySelectorAll("vscode-collapsible")) card.open = true');
    for (const [index, text] of sample.slice(0, 12).entries()) {
      panel.channel.notify(protocol.ApprovalRequested, {
        approvalId: `approval_${index}`, threadId: THREAD.id, runId: 'run_x', toolCallId: `call_${index}`, toolName: text, title: text,
        reasons: [text], diff: `+${text}\n-${text}`, command: text, rememberOptions: [{ id: 'r', label: text }],
      });
    }
    await panel.page.locator('.approval').first().waitFor();
    panel.channel.notify(protocol.ViewAction, { action: 'showHistory' });
    await panel.page.locator('.thread-item').nth(10).waitFor();
    const findings = (await panel.page.evaluate(INSPECT)) as string[];
    await panel.page.evaluate(PROVOKE);
    panel.channel.notify(protocol.ViewAction, { action: 'showHistory' });
    const { findings: swept } = await sweep();
    await new Promise((resolve) => setTimeout(resolve, 300));
    assert.deepEqual([...findings, ...swept], []);
    assert.deepEqual(await hits(), []);
    const problems = (await panel.problems()).filter((problem) => !problem.startsWith('console: Failed to load resource'));
    assert.deepEqual(problems, []);
  });
});

function storedMessage(id: string, text: string): Message {
  return {
    id, object: 'thread.message', created_at: THREAD.createdAt, thread_id: THREAD.id, status: 'completed', incomplete_details: null,
    completed_at: THREAD.createdAt, incomplete_at: null, role: 'assistant', content: [{ type: 'text', text: { value: text, annotations: [] } }],
    assistant_id: 'asst_1', run_id: null, attachments: null, metadata: {},
  };
}

function toolStep(id: string, text: string): RunStep {
  return {
    id, object: 'thread.run.step', created_at: THREAD.createdAt, assistant_id: 'asst_1', thread_id: THREAD.id, run_id: 'run_x', type: 'tool_calls',
    status: 'completed', step_details: { type: 'tool_calls', tool_calls: [{ id: `call_${id}`, type: 'function', function: { name: text, arguments: JSON.stringify({ path: text }), output: text } }] },
    last_error: null, expired_at: null, cancelled_at: null, failed_at: null, completed_at: THREAD.createdAt, metadata: {}, usage: null,
  };
}
