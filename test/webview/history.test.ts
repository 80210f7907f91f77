// The history panel, the assistant picker and the setup notice, against the real chat controller.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import * as protocol from '../../src/protocol/messages.ts';
import { openPanel, type Panel } from './support/panelHarness.ts';

describe('chat panel: history, assistants and setup', () => {
  let panel: Panel;
  let reviewer: string;

  before(async () => {
    panel = await openPanel({
      host: 'engine',
      setup: (opened) => {
        const { engine } = opened.engine!;
        const make = (title: string, text: string): void => void engine.threads.create({ metadata: { title }, messages: [{ role: 'user', content: text }] });
        make('Fix the login bug', 'The login form rejects valid passwords.');
        make('Write release notes', 'Summarise the changes since 1.2.');
        make('Refactor parser', 'Split the tokenizer out of the parser.');
        engine.assistants.create({ name: 'Threadwork', model: 'scripted-model', metadata: { threadwork_default: 'true' } });
        reviewer = engine.assistants.create({ name: 'Reviewer', model: 'scripted-model', instructions: 'Review code.' }).id;
      },
    });
  });
  after(async () => panel.close());

  const titles = (): Promise<string[]> => panel.page.locator('.thread-list .thread-title').allTextContents();
  /** The list filters as the search resolves; waits for it to settle on `expected`, then asserts it. */
  const titlesBecome = async (expected: string[]): Promise<void> => {
    const deadline = Date.now() + 10_000;
    let seen = await titles();
    while (JSON.stringify(seen) !== JSON.stringify(expected) && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 25));
      seen = await titles();
    }
    assert.deepEqual(seen, expected);
  };

  test('the history lists threads newest first and searches titles and message text', async () => {
    panel.channel.notify(protocol.ViewAction, { action: 'showHistory' });
    await panel.page.locator('.history-panel').waitFor();
    await titlesBecome(['Refactor parser', 'Write release notes', 'Fix the login bug']);
    const search = panel.page.locator('.thread-search input');
    await search.fill('release');
    await titlesBecome(['Write release notes']);
    await search.fill('tokenizer');
    await panel.waitForRequests('thread/list');
    await titlesBecome(['Refactor parser']);
    await search.fill('');
    await titlesBecome(['Refactor parser', 'Write release notes', 'Fix the login bug']);
  });

  test('rename and delete work inline and reach the store', async () => {
    const page = panel.page;
    const item = page.locator('.thread-item', { hasText: 'Write release notes' });
    await item.hover();
    await item.locator('.thread-action', { hasText: 'Rename' }).click();
    const input = page.locator('.thread-rename-input');
    await input.fill('Release notes for 1.3');
    await input.press('Enter');
    await page.locator('.thread-title', { hasText: 'Release notes for 1.3' }).waitFor();
    const stored = panel.engine!.engine.threads.list().data.map((thread) => thread.metadata['title']);
    assert.ok(stored.includes('Release notes for 1.3'));

    const doomed = page.locator('.thread-item', { hasText: 'Fix the login bug' });
    await doomed.hover();
    await doomed.locator('.thread-action', { hasText: 'Delete' }).click();
    await doomed.locator('.thread-confirm .danger').click();
    await doomed.waitFor({ state: 'detached' });
    assert.equal(panel.engine!.engine.threads.list().data.length, 2);
    await titlesBecome(['Refactor parser', 'Release notes for 1.3']);
  });

  test('opening a thread shows its messages; New starts an empty conversation', async () => {
    const page = panel.page;
    await page.locator('.thread-open', { hasText: 'Refactor parser' }).click();
    await page.locator('.message.from-user', { hasText: 'Split the tokenizer out of the parser.' }).waitFor();
    assert.equal(await page.locator('.header-title-text').textContent(), 'Refactor parser');
    assert.equal(await page.locator('.history-panel').isVisible(), false);
    panel.channel.notify(protocol.ViewAction, { action: 'newThread' });
    await page.locator('.empty-state').waitFor();
    assert.equal(await page.locator('.header-title-text').textContent(), 'New conversation');
    assert.equal(await page.locator('.message').count(), 0);
  });

  test('the assistant picker chooses who answers', async () => {
    const page = panel.page;
    const picker = page.locator('.assistant-picker');
    assert.equal(await picker.locator('vscode-option').count(), 2);
    await picker.evaluate((element, id) => {
      const select = element as unknown as { value: string; dispatchEvent(event: unknown): boolean };
      select.value = id;
      select.dispatchEvent(new (globalThis as unknown as { Event: new (type: string) => unknown }).Event('change'));
    }, reviewer);
    await panel.waitForRequests('assistant/select');
    panel.engine!.model.enqueue({ text: 'Reviewed.' });
    const input = page.locator('.composer-input');
    await input.fill('Review this.');
    await input.press('Enter');
    await page.locator('.message.from-assistant', { hasText: 'Reviewed.' }).waitFor({ timeout: 10_000 });
    const [sent] = panel.requests('thread/sendMessage') as Array<{ assistantId: string }>;
    assert.equal(sent?.assistantId, reviewer);
    const thread = panel.engine!.engine.threads.list({ limit: 1 }).data[0]!;
    assert.equal(panel.engine!.engine.runs.list(thread.id).data[0]?.assistant_id, reviewer);
  });

  test('with no model configured the panel says what is missing and offers the fixes', async () => {
    const page = panel.page;
    const missing = { ...panel.provider, isConfigured: false, problem: 'Choose a model: set threadwork.provider.model.' };
    panel.channel.notify(protocol.ProviderChanged, missing);
    const notice = page.locator('.setup-notice');
    await notice.waitFor();
    assert.equal(await notice.locator('.setup-text').textContent(), 'Choose a model: set threadwork.provider.model.');
    assert.equal(await page.locator('.composer-input').isDisabled(), true);
    await notice.locator('.setup-settings').click();
    await notice.locator('.setup-key').click();
    await panel.waitForRequests('provider/configure', 2);
    assert.deepEqual(panel.editor.configured, ['openSettings', 'setApiKey']);
    panel.channel.notify(protocol.ProviderChanged, panel.provider);
    await notice.waitFor({ state: 'hidden' });
    assert.equal(await page.locator('.composer-input').isDisabled(), false);
    assert.deepEqual(await panel.problems(), []);
  });
});
