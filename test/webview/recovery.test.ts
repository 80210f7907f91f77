// Snapshot first, then numbered events: the panel recovers from being reloaded mid-run and from a
// lost event, and never shows a delta twice. The host is played by the test through the protocol,
// replaying events a real engine recorded.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { ChatSnapshot, RunEventParams, SequencedEvent } from '../../src/protocol/chatModel.ts';
import * as protocol from '../../src/protocol/messages.ts';
import { defaultProvider, openPanel, waitForText, type Panel } from './support/panelHarness.ts';
import { finalText, recordThread, snapshotAt, type RecordedThread } from './support/recordedRuns.ts';

const LONG_ANSWER = Array.from({ length: 30 }, (_, index) => `Sentence number ${index} of a long streamed answer.`).join(' ');

describe('chat panel: snapshot-then-events recovery', () => {
  let recorded: RecordedThread;
  let panel: Panel;
  let snapshot: () => ChatSnapshot;

  before(async () => {
    recorded = await recordThread([
      { prompt: 'Explain the first thing.', reply: { text: LONG_ANSWER, chunkSize: 12 } },
      { prompt: 'And the second thing?', reply: { text: 'The second answer, also streamed in pieces.', chunkSize: 3 } },
    ]);
    snapshot = () => ({ ...baseChat(), current: snapshotAt(recorded, 0, 20) });
    panel = await openPanel({ host: 'manual', setup: (opened) => opened.handle(protocol.WebviewReady, () => snapshot()) });
  });
  after(async () => panel.close());

  const send = (events: SequencedEvent[]): void => {
    for (const event of events) panel.channel.notify(protocol.RunEvent, { ...event, threadId: recorded.thread.id } satisfies RunEventParams);
  };
  const assistantText = (): Promise<string> => panel.page.locator('.message.from-assistant .message-body').last().innerText();

  test('the ready snapshot replays the active run so far, and later events continue it', async () => {
    const [run] = recorded.runs;
    const page = panel.page;
    await page.locator('.message.from-user', { hasText: 'Explain the first thing.' }).waitFor();
    await page.locator('.message.from-assistant.streaming').waitFor();
    send(run!.events.slice(20, 40));
    const expected = textAfter(run!.events, 40);
    await waitForText(page.locator('.message.from-assistant .message-body'), (text) => text.length >= expected.length);
    assert.equal(await assistantText(), expected);
  });

  test('after a reload the panel asks again with its thread, gets the events so far, and ends with the exact text', async () => {
    const [run] = recorded.runs;
    snapshot = () => ({ ...baseChat(), current: snapshotAt(recorded, 0, 40) });
    const readyBefore = panel.requests('webview/ready').length;
    await panel.reload();
    const [, ready] = await panel.waitForRequests('webview/ready', readyBefore + 1);
    assert.deepEqual(ready, { threadId: recorded.thread.id }, 'the panel remembered its thread across the reload');
    send(run!.events.slice(40));
    await panel.page.locator('.run-footer[data-status="completed"]').waitFor();
    assert.equal(await assistantText(), finalText(run!));
    assert.equal(await panel.page.locator('.message.from-assistant').count(), 1);
  });

  test('a gap in seq makes the panel ask for a snapshot; duplicates are ignored', async () => {
    const second = recorded.runs[1]!;
    const snapshotRequests = panel.requests('thread/snapshot').length;
    panel.handle(protocol.GetThreadSnapshot, () => snapshotAt(recorded, 1, 14));
    send(second.events.slice(0, 10));
    // Event 10 is lost; 11..13 arrive, so the panel notices the gap at 11.
    send(second.events.slice(11, 14));
    const requests = await panel.waitForRequests('thread/snapshot', snapshotRequests + 1);
    assert.deepEqual(requests.at(-1), { threadId: recorded.thread.id });
    // The host repeats a few events the snapshot already covers, then carries on.
    send(second.events.slice(12));
    await panel.page.locator('.run-footer[data-status="completed"]').nth(1).waitFor();
    assert.equal(await assistantText(), finalText(second));
    assert.equal(await panel.page.locator('.message.from-assistant', { hasText: 'The second answer' }).count(), 1);
    assert.deepEqual(await panel.problems(), []);
  });

  function baseChat(): Omit<ChatSnapshot, 'current'> {
    return { threads: [recorded.thread], assistants: [{ id: 'asst_1', name: 'Threadwork', model: 'scripted-model' }], selectedAssistantId: 'asst_1', provider: defaultProvider(), approvals: [] };
  }
});

/** The assistant text after the first `count` events, computed from the deltas themselves. */
function textAfter(events: SequencedEvent[], count: number): string {
  let text = '';
  for (const { event } of events.slice(0, count)) {
    if (event.event !== 'thread.message.delta') continue;
    for (const part of event.data.delta.content) if (part.type === 'text') text += part.text.value ?? '';
  }
  return text;
}
