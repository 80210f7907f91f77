// The browser half of the harness: Debian's Chromium, driven by playwright-core, showing a
// code-server workbench, plus the few moves tests need (command palette, view containers, the
// extension's webview, screenshots, theme).
import { chromium, type BrowserContext, type FrameLocator, type Page } from 'playwright-core';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CodeServer } from './codeServer.ts';
import { assertChromiumInstalled, chromiumPath, extensionId as ourExtensionId, screenshotDir } from './paths.ts';

export const chromiumArgs = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
];

export interface WorkbenchOptions {
  /** Absolute folder to open. */
  folder?: string;
  /** Extra query parameters for the workbench URL (e.g. `payload` for the smoke-test driver). */
  query?: Record<string, string>;
  viewport?: { width: number; height: number };
  /** Called before the page navigates, e.g. to expose functions or listen to the console. */
  beforeNavigate?: (page: Page) => Promise<void>;
  /** Wait for the Explorer to list the folder (default true when a folder is given). */
  waitForExplorer?: boolean;
}

export interface Workbench {
  readonly page: Page;
  readonly context: BrowserContext;
  /** Runs a command by its title through the command palette (F1). */
  runCommand(title: string): Promise<void>;
  /** Clicks the activity-bar entry whose title starts with `title`. */
  openViewContainer(title: string): Promise<void>;
  /** The inner frame of the extension's webview (outer `iframe.webview.ready`, then `iframe#active-frame`). */
  webview(options?: { extensionId?: string; timeoutMs?: number }): Promise<FrameLocator>;
  /** Saves .test-output/screenshots/<name>.png and returns its path. */
  screenshot(name: string): Promise<string>;
  /** Runs `body`; if it throws, saves a `failed-<name>` screenshot first. */
  step<T>(name: string, body: () => Promise<T>): Promise<T>;
  /** Switches to VS Code's default light or dark theme and waits for the workbench to repaint. */
  setColorTheme(kind: 'light' | 'dark'): Promise<void>;
  /** Closes the browser and deletes its profile. */
  close(): Promise<void>;
}

// The default themes of the VS Code that code-server 4.139 ships, by their picker labels.
const themes = {
  light: { name: 'Light 2026', workbenchClass: 'vs' },
  dark: { name: 'Dark 2026', workbenchClass: 'vs-dark' },
} as const;

async function launchChromium(viewport: { width: number; height: number }): Promise<{ context: BrowserContext; profile: string }> {
  assertChromiumInstalled();
  const profile = mkdtempSync(join(tmpdir(), 'tw-chromium-'));
  try {
    const context = await chromium.launchPersistentContext(profile, {
      executablePath: chromiumPath,
      headless: true,
      viewport,
      args: chromiumArgs,
      // Chromium writes crash reports and dconf caches under these.
      env: { ...process.env, XDG_CONFIG_HOME: join(profile, 'config'), XDG_CACHE_HOME: join(profile, 'cache') },
    });
    return { context, profile };
  } catch (error) {
    rmSync(profile, { recursive: true, force: true });
    throw error;
  }
}

function safeName(name: string): string {
  return name.replace(/[^\w.-]+/g, '-');
}

export async function launchWorkbench(server: CodeServer, options: WorkbenchOptions = {}): Promise<Workbench> {
  const viewport = options.viewport ?? { width: 1400, height: 900 };
  const { context, profile } = await launchChromium(viewport);
  const close = async (): Promise<void> => {
    await context.close().catch(() => undefined);
    rmSync(profile, { recursive: true, force: true });
  };
  const page = context.pages()[0] ?? (await context.newPage());

  const screenshot = async (name: string): Promise<string> => {
    mkdirSync(screenshotDir, { recursive: true });
    const path = join(screenshotDir, `${safeName(name)}.png`);
    await page.screenshot({ path });
    return path;
  };
  const step = async <T>(name: string, body: () => Promise<T>): Promise<T> => {
    try {
      return await body();
    } catch (error) {
      await screenshot(`failed-${name}`).catch(() => undefined);
      throw error;
    }
  };

  try {
    await options.beforeNavigate?.(page);
    const query = new URLSearchParams(options.query);
    if (options.folder) query.set('folder', options.folder);
    await page.goto(`${server.url}/?${query.toString()}`);
    await step('workbench', () => page.waitForSelector('.monaco-workbench .part.activitybar', { timeout: 90_000 }));
    if (options.folder && options.waitForExplorer !== false) {
      await step('explorer', () => page.waitForSelector('.explorer-folders-view .monaco-list-row', { timeout: 60_000 }));
    }
  } catch (error) {
    await close();
    throw error;
  }

  return {
    page,
    context,
    runCommand: (title) => step(`command-${title}`, async () => {
      await page.keyboard.press('F1');
      await pick(page, `>${title}`, title);
      await page.locator('.quick-input-widget').waitFor({ state: 'hidden', timeout: 15_000 });
    }),
    openViewContainer: (title) => step(`view-${title}`, async () => {
      const item = page.locator(`.part.activitybar [aria-label^="${title.replace(/"/g, '\\"')}"]`).first();
      await item.waitFor({ state: 'visible', timeout: 60_000 });
      // The activity bar toggles: clicking the container that is already showing hides the side
      // bar. A window reload restores the container that was open, so click only until it shows.
      const showing = (): Promise<boolean> => item.evaluate((element) => {
        const action = element.closest('.action-item') ?? element;
        return action.classList.contains('checked') || action.getAttribute('aria-expanded') === 'true';
      });
      for (let attempt = 0; attempt < 3 && !(await showing()); attempt++) {
        await item.click();
        const deadline = Date.now() + 5_000;
        while (Date.now() < deadline && !(await showing())) await page.waitForTimeout(100);
      }
      if (!(await showing())) throw new Error(`the ${title} view container did not open`);
    }),
    // Hidden webviews (a view the user switched away from) stay in the DOM; the one to drive is visible.
    webview: ({ extensionId = ourExtensionId, timeoutMs = 60_000 } = {}) => step('webview', async () => {
      const outer = page.locator(`iframe.webview.ready[src*="extensionId=${extensionId}"]`).filter({ visible: true }).first();
      await outer.waitFor({ state: 'visible', timeout: timeoutMs });
      return outer.contentFrame().locator('iframe#active-frame').contentFrame();
    }),
    screenshot,
    step,
    // Through the theme picker, as a user would: rewriting settings.json is picked up late or not at
    // all while the workbench is still starting.
    setColorTheme: (kind) => step(`theme-${kind}`, async () => {
      const theme = themes[kind];
      await page.keyboard.press('F1');
      await pick(page, '>Preferences: Color Theme', 'Preferences: Color Theme');
      await pick(page, theme.name, theme.name);
      await page.locator('.quick-input-widget').waitFor({ state: 'hidden', timeout: 15_000 });
      await page.locator(`.monaco-workbench.${theme.workbenchClass}`).waitFor({ state: 'attached', timeout: 30_000 });
    }),
    close,
  };
}

/** Types into the open quick input and clicks the entry labelled exactly `label` (never a partial match listed first). */
async function pick(page: Page, typed: string, label: string): Promise<void> {
  const input = page.locator('.quick-input-widget .quick-input-box input');
  await input.waitFor({ state: 'visible', timeout: 15_000 });
  await input.fill(typed);
  const row = page.locator('.quick-input-widget .quick-input-list .monaco-list-row')
    .filter({ has: page.locator('.label-name', { hasText: new RegExp(`^${escapeRegExp(label)}$`) }) })
    .first();
  await row.waitFor({ state: 'visible', timeout: 30_000 });
  await row.click();
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
