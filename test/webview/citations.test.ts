// file_search citations in the chat panel (the real bundle in Chromium, the host faked at the
// protocol): annotated markers become numbered footnotes and a Sources line, clicking one asks the
// host to open the file (`citation/open`), invented markers and markers in code stay text, markers
// of an answer still streaming show as plain numbers, and nothing in a marker can become markup.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Annotation, ChatSnapshot, Message } from '../../src/protocol/chatModel.ts';
import * as protocol from '../../src/protocol/messages.ts';
import { defaultProvider, openPanel, type Panel } from './support/panelHarness.ts';

const THREAD = { id: 'thread_cite', title: 'Refunds', createdAt: 1_700_000_000 };
const POLICY = '【0:0†docs/policy.md】';
const FAQ = '【0:1†docs/faq.md】';
const INVENTED = '【3:9†nowhere.md】';
const HOSTILE = '【0:2†<img src=x onerror=__xss("citation")>.md】';

function message(id: string, role: Message['role'], value: string, annotations: Annotation[], status: Message['status'] = 'completed'): Message {
  return {
    id, object: 'thread.message', created_at: THREAD.createdAt, thread_id: THREAD.id, status, incomplete_details: null,
    completed_at: status === 'completed' ? THREAD.createdAt : null, incomplete_at: null, role,
    content: [{ type: 'text', text: { value, annotations } }], assistant_id: role === 'assistant' ? 'asst_1' : null, run_id: role === 'assistant' ? 'run_1' : null, attachments: null, metadata: {},
  };
}

/** Annotations for every occurrence of the cited markers, as the engine writes them. */
function cite(value: string, files: Record<string, string>): Annotation[] {
  const annotations: Annotation[] = [];
  for (const [marker, fileId] of Object.entries(files)) {
    for (let at = value.indexOf(marker); at !== -1; at = value.indexOf(marker, at + 1)) {
      annotations.push({ type: 'file_citation', text: marker, file_citation: { file_id: fileId }, start_index: at, end_index: at + marker.length });
    }
  }
  return annotations.sort((a, b) => a.start_index - b.start_index);
}

const ANSWER = `Returns are accepted for 30 days ${POLICY}, with a receipt ${POLICY}. Store credit after that ${FAQ}. Also ${INVENTED} and ${HOSTILE}.\n\n\`\`\`text\nraw ${POLICY} in code\n\`\`\``;
const STREAMING = `Still writing ${POLICY} and`;

describe('chat panel: citations', () => {
  let panel: Panel;
  let answer: { opened: boolean; reason?: string } = { opened: true };

  before(async () => {
    const messages = [
      message('msg_q', 'user', 'How long do customers have to return things?', []),
      message('msg_a', 'assistant', ANSWER, cite(ANSWER, { [POLICY]: 'file-policy', [FAQ]: 'file-faq', [HOSTILE]: 'file-hostile' })),
      message('msg_s', 'assistant', STREAMING, [], 'in_progress'),
    ];
    panel = await openPanel({
      host: 'manual',
      setup: (opened) => {
        opened.handle(protocol.WebviewReady, (): ChatSnapshot => ({
          threads: [THREAD],
          current: { thread: THREAD, messages, runs: [], steps: [], activeRun: null },
          assistants: [{ id: 'asst_1', name: 'Threadwork', model: 'scripted-model' }],
          selectedAssistantId: 'asst_1', provider: defaultProvider(), approvals: [],
        }));
        opened.handle(protocol.OpenCitation, () => answer);
      },
    });
  });
  after(async () => panel.close());

  const row = () => panel.page.locator('article.message.from-assistant').first();

  test('annotated markers become numbered footnotes, one number per cited result, with a Sources line', async () => {
    await row().locator('button.citation').first().waitFor();
    assert.deepEqual(await row().locator('.message-body button.citation').allTextContents(), ['[1]', '[1]', '[2]', '[3]']);
    const body = (await row().locator('.message-body p').first().textContent()) ?? '';
    assert.ok(!body.includes(POLICY) && !body.includes(FAQ), `annotated markers are replaced: ${body}`);
    assert.ok(body.includes(INVENTED), 'a marker no result backs stays as the model wrote it');
    assert.match((await row().locator('.code-block code').textContent()) ?? '', /raw 【0:0†docs\/policy\.md】 in code/, 'code is left alone');
    assert.deepEqual(await row().locator('.message-citations button.citation-source').allTextContents(), ['[1] docs/policy.md', '[2] docs/faq.md', '[3] <img src=x onerror=__xss("citation")>.md']);
    assert.equal(await row().locator('.message-body img, .message-citations img').count(), 0, 'a file name is text, never markup');
    assert.deepEqual(await panel.page.evaluate('window.__xssHits'), []);
  });

  test('a footnote of an answer still streaming is a plain number until the answer is annotated', async () => {
    const streaming = panel.page.locator('article.message.from-assistant').nth(1);
    await streaming.locator('sup.citation.pending').waitFor();
    assert.equal(await streaming.locator('sup.citation.pending').textContent(), '[1]');
    assert.equal(await streaming.locator('button.citation').count(), 0);
    assert.equal(await streaming.locator('.message-citations').count(), 0);
  });

  test('clicking a footnote or a source asks the host to open that citation', async () => {
    await row().locator('.message-body button.citation', { hasText: '[2]' }).click();
    const [first] = await panel.waitForRequests('citation/open', 1);
    assert.deepEqual(first, { threadId: THREAD.id, messageId: 'msg_a', fileId: 'file-faq', marker: FAQ });
    await row().locator('.message-citations button.citation-source').first().click();
    const requests = await panel.waitForRequests('citation/open', 2);
    assert.deepEqual(requests[1], { threadId: THREAD.id, messageId: 'msg_a', fileId: 'file-policy', marker: POLICY });
  });

  test('when the host cannot open it, the panel says why', async () => {
    answer = { opened: false, reason: 'docs/policy.md could not be opened: it was moved or deleted since it was searched.' };
    await row().locator('.message-body button.citation').first().click();
    await panel.page.locator('.notice', { hasText: 'moved or deleted' }).waitFor();
    assert.deepEqual(await panel.problems(), []);
  });
});
