// package.json must declare exactly what the chat panel registers: its view, commands and settings.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { CHAT_COMMANDS, CHAT_CONTAINER_ID, CHAT_VIEW_ID, PROVIDER_SECTION, PROVIDER_SETTINGS } from '../../../src/vscode/chatIds.ts';

interface Manifest {
  contributes: {
    viewsContainers: { activitybar: Array<{ id: string; title: string; icon: string }> };
    views: Record<string, Array<{ id: string; type?: string }>>;
    commands: Array<{ command: string; title: string; category?: string }>;
    menus: Record<string, Array<{ command: string; when?: string }>>;
    configuration: Array<{ properties: Record<string, { markdownDescription?: string; default?: unknown }> }>;
  };
}

const manifest = JSON.parse(readFileSync(join(import.meta.dirname, '..', '..', '..', 'package.json'), 'utf8')) as Manifest;
const contributes = manifest.contributes;

describe('chat panel contributions in package.json', () => {
  test('an activity-bar container holds the chat webview view, with an icon that exists', () => {
    const container = contributes.viewsContainers.activitybar.find((entry) => entry.id === CHAT_CONTAINER_ID);
    assert.ok(container, 'the Threadwork view container');
    assert.equal(container.title, 'Threadwork');
    assert.ok(readFileSync(join(import.meta.dirname, '..', '..', '..', container.icon), 'utf8').includes('<svg'));
    const view = contributes.views[CHAT_CONTAINER_ID]?.find((entry) => entry.id === CHAT_VIEW_ID);
    assert.equal(view?.type, 'webview');
  });

  test('every chat command is declared with a category, and New Thread and History sit in the view title', () => {
    for (const id of Object.values(CHAT_COMMANDS)) {
      const command = contributes.commands.find((entry) => entry.command === id);
      assert.ok(command, `${id} is declared`);
      assert.equal(command.category, 'Threadwork');
    }
    const titleMenu = contributes.menus['view/title'] ?? [];
    for (const id of [CHAT_COMMANDS.newThread, CHAT_COMMANDS.showHistory]) {
      assert.ok(titleMenu.some((entry) => entry.command === id && entry.when === `view == ${CHAT_VIEW_ID}`), `${id} in the view title`);
    }
  });

  test('each provider setting is declared with a markdown description, and no setting holds a key', () => {
    const properties = Object.assign({}, ...contributes.configuration.map((section) => section.properties)) as Record<string, { markdownDescription?: string }>;
    for (const name of PROVIDER_SETTINGS) {
      const setting = properties[`${PROVIDER_SECTION}.${name}`];
      assert.ok(setting?.markdownDescription && setting.markdownDescription.length > 20, `${name} has a description`);
    }
    assert.deepEqual(Object.keys(properties).filter((key) => /api.?key|secret|token$/i.test(key)), []);
  });
});
