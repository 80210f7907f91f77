// Driving the Threadwork chat panel from Playwright: send a message, find and answer approval
// prompts, wait for a run to end, and run a command whose quick pick needs a second choice.
import type { FrameLocator, Locator, Page } from 'playwright-core';

export const TERMINAL_RUN_STATUSES = new Set(['completed', 'failed', 'cancelled', 'expired', 'incomplete']);

export interface RunFooter {
  runId: string;
  status: string;
  /** The error shown under the run (last_error), if any. */
  error: string | null;
}

export class ChatPanel {
  readonly web: FrameLocator;
  readonly page: Page;
  /** Runs already waited for; the next `waitForRunEnd` looks for a run not in here. */
  readonly seenRuns = new Set<string>();

  constructor(page: Page, web: FrameLocator) {
    this.page = page;
    this.web = web;
  }

  async ready(): Promise<void> {
    await this.web.locator('.composer-input').waitFor({ state: 'visible', timeout: 60_000 });
  }

  async footers(): Promise<RunFooter[]> {
    return this.web.locator('.run-footer').evaluateAll((elements) => elements.map((element) => ({
      runId: element.getAttribute('data-run-id') ?? '',
      status: element.getAttribute('data-status') ?? '',
      error: element.querySelector('.run-error-text')?.textContent ?? null,
    })));
  }

  /** Sends a message; remembers the runs on screen so the next wait finds the new one. */
  async send(text: string): Promise<void> {
    for (const footer of await this.footers()) this.seenRuns.add(footer.runId);
    const input = this.web.locator('.composer-input');
    await input.fill(text);
    await input.press('Enter');
  }

  /** The prompt of a tool call waiting for approval. */
  approval(tool: string): Locator {
    return this.web.locator('section.approval').filter({ hasText: `Approve ${tool}?` }).last();
  }

  async waitForApproval(tool: string, timeoutMs = 60_000): Promise<Locator> {
    const prompt = this.approval(tool);
    await prompt.waitFor({ state: 'visible', timeout: timeoutMs });
    return prompt;
  }

  async answer(prompt: Locator, decision: 'allow' | 'deny', rememberLabel?: string): Promise<void> {
    if (rememberLabel) await prompt.locator('select.approval-remember').selectOption({ label: rememberLabel });
    await prompt.locator(decision === 'allow' ? 'vscode-button.approve-allow' : 'vscode-button.approve-deny').click();
    await prompt.waitFor({ state: 'detached', timeout: 30_000 });
  }

  async stop(): Promise<void> {
    await this.web.locator('vscode-button.stop-button').click();
  }

  /** Waits for a run started after the last `send` to reach a terminal status. */
  async waitForRunEnd(timeoutMs = 90_000): Promise<RunFooter> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      const done = (await this.footers()).find((footer) => !this.seenRuns.has(footer.runId) && TERMINAL_RUN_STATUSES.has(footer.status));
      if (done) {
        this.seenRuns.add(done.runId);
        return done;
      }
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    throw new Error(`no new run ended within ${timeoutMs} ms; footers: ${JSON.stringify(await this.footers())}`);
  }

  /** Runs a command from the palette and then picks the first entry of the quick pick it opens. */
  async runCommandAndPick(title: string, pickText: string): Promise<string> {
    const page = this.page;
    await page.keyboard.press('F1');
    const input = page.locator('.quick-input-widget .quick-input-box input');
    await input.waitFor({ state: 'visible', timeout: 15_000 });
    await input.fill(`>${title}`);
    const rows = page.locator('.quick-input-widget .quick-input-list .monaco-list-row');
    await rows.filter({ has: page.locator('.label-name', { hasText: title }) }).first().click({ timeout: 30_000 });
    const pick = rows.filter({ hasText: pickText }).first();
    await pick.waitFor({ state: 'visible', timeout: 30_000 });
    const label = (await pick.textContent()) ?? '';
    await pick.click();
    await page.locator('.quick-input-widget').waitFor({ state: 'hidden', timeout: 15_000 });
    return label;
  }
}
