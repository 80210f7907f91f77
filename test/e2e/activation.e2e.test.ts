// The packaged VSIX, installed into a real VS Code (code-server) and opened on the sample workspace:
// it installs, activates in the remote extension host without errors, and everything the manifest
// contributes (commands, activity-bar containers, the chat webview) reaches the workbench.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { extensionId, launchWorkbench, packagedVsix, repoRoot, sampleWorkspace, startCodeServer, type CodeServer, type Workbench } from './support/codeServer.ts';

interface Manifest {
  version: string;
  contributes?: {
    commands?: { command: string; title: string; category?: string }[];
    menus?: { commandPalette?: { command: string; when?: string }[] };
    viewsContainers?: { activitybar?: { id: string; title: string }[] };
    views?: Record<string, { id: string; type?: string; name: string }[]>;
  };
}

const manifest = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as Manifest;

async function waitFor<T>(what: string, probe: () => T | undefined, timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

describe('the packaged extension in code-server', { timeout: 240_000 }, () => {
  let server: CodeServer | undefined;
  let workbench: Workbench | undefined;

  before(async () => {
    server = await startCodeServer({ name: 'activation', vsix: packagedVsix });
    workbench = await launchWorkbench(server, { folder: sampleWorkspace });
  });

  after(async () => {
    await workbench?.close();
    await server?.stop();
  });

  test('the VSIX is installed under its manifest id and version', async () => {
    assert.ok(server);
    assert.ok((await server.listExtensions()).includes(`${extensionId}@${manifest.version}`));
  });

  test('it activates from the installed copy and logs to its output channel', async () => {
    assert.ok(server && workbench);
    const running = server;
    const log = await waitFor('the Threadwork output channel to say it activated', () => {
      const text = running.outputChannelText('Threadwork', extensionId);
      return /Threadwork activated from /.test(text) ? text : undefined;
    }, 90_000);
    assert.match(log, new RegExp(`activated from file://${running.extensionsDir}/${extensionId}-${manifest.version.replace(/\./g, '\\.')}`));
    const hostLog = running.extensionHostLog();
    assert.match(hostLog, new RegExp(`_doActivateExtension ${extensionId}\\b`));
    assert.doesNotMatch(hostLog, new RegExp(`Activating extension '?${extensionId}'? failed`, 'i'));
    await workbench.screenshot('activation-01-workbench');
  });

  test('every command the palette always lists is there', async () => {
    assert.ok(workbench);
    // Commands with a `when` in menus.commandPalette appear only in some contexts; the in-host
    // suite (test/integration) checks that those are registered.
    const conditional = new Set((manifest.contributes?.menus?.commandPalette ?? []).filter((m) => m.when !== undefined).map((m) => m.command));
    const titles = (manifest.contributes?.commands ?? [])
      .filter((c) => !conditional.has(c.command))
      .map((c) => (c.category ? `${c.category}: ${c.title}` : c.title));
    assert.ok(titles.length > 0, 'the manifest contributes no unconditional commands');
    const page = workbench.page;
    await page.keyboard.press('F1');
    const input = page.locator('.quick-input-widget .quick-input-box input');
    await input.waitFor({ state: 'visible', timeout: 15_000 });
    const missing: string[] = [];
    for (const title of titles) {
      await input.fill(`>${title}`);
      const exact = new RegExp(`^${title.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`);
      const row = page.locator('.quick-input-widget .quick-input-list .monaco-list-row .label-name', { hasText: exact }).first();
      const shown = await row.waitFor({ state: 'visible', timeout: 10_000 }).then(() => true, () => false);
      if (!shown) missing.push(title);
    }
    await workbench.screenshot('activation-02-palette');
    await page.keyboard.press('Escape');
    assert.deepEqual(missing, [], `commands missing from the palette: ${missing.join(', ')}`);
  });

  test('Threadwork: Show Logs opens the Threadwork output channel', async () => {
    assert.ok(workbench);
    const showLogs = (manifest.contributes?.commands ?? []).find((c) => c.command === 'threadwork.showLogs');
    assert.ok(showLogs, 'the manifest has no threadwork.showLogs command');
    await workbench.runCommand(`${showLogs.category ? `${showLogs.category}: ` : ''}${showLogs.title}`);
    const panel = workbench.page.locator('.part.panel');
    await workbench.step('output-channel', async () => {
      const channelPicker = panel.locator('select[aria-label="Switch Output"]').filter({ has: workbench!.page.locator('option:checked', { hasText: /^Threadwork$/ }) });
      await channelPicker.first().waitFor({ state: 'attached', timeout: 30_000 });
      await panel.locator('.monaco-editor .view-lines', { hasText: '[info]' }).waitFor({ timeout: 30_000 });
    });
    await workbench.screenshot('activation-03-show-logs');
  });

  test('each activity-bar container opens, and a webview view renders our frame in both themes', async () => {
    assert.ok(workbench);
    const containers = manifest.contributes?.viewsContainers?.activitybar ?? [];
    assert.ok(containers.length > 0, 'the manifest contributes no activity-bar container (the chat panel lives in one)');
    for (const container of containers) {
      await workbench.openViewContainer(container.title);
      const views = manifest.contributes?.views?.[container.id] ?? [];
      if (!views.some((view) => view.type === 'webview')) continue;
      const frame = await workbench.webview({ extensionId });
      await workbench.step('webview-body', () => frame.locator('body *').first().waitFor({ state: 'attached', timeout: 30_000 }));
      for (const kind of ['dark', 'light'] as const) {
        await workbench.setColorTheme(kind);
        await workbench.screenshot(`activation-04-${container.id}-${kind}`);
      }
    }
  });
});
