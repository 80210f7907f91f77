// package.json must say exactly what the typed tables say: commands (one declaration each), menus
// with their `when` clauses, keybindings, the walkthrough and the setup settings.
// Fix a failure by running: node scripts/contribute-commands.ts
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { CHAT_COMMANDS } from '../../../src/vscode/chatIds.ts';
import { COMMAND_TABLE, COMMANDS, commandContributions, CONTEXT_KEYS, EDITOR_SUBMENU, keybindingContributions, menuContributions } from '../../../src/vscode/commands/commandTable.ts';
import { PROVIDER_KIND_CONTRIBUTION } from '../../../src/vscode/setup/providerKinds.ts';
import { SETUP_SECTION_ID, SETUP_SETTINGS } from '../../../src/vscode/setup/setupSettings.ts';
import { WALKTHROUGH } from '../../../src/vscode/setup/walkthroughContribution.ts';
import { KNOWLEDGE_COMMANDS } from '../../../src/vscode/knowledge/knowledgeContributions.ts';
import { TOOL_COMMANDS } from '../../../src/vscode/tools/toolContributions.ts';

const root = join(import.meta.dirname, '..', '..', '..');

interface Manifest {
  contributes: {
    commands: Array<{ command: string; title: string; category?: string; icon?: string }>;
    menus: Record<string, Array<{ command?: string; submenu?: string; when?: string; group?: string }>>;
    submenus?: Array<{ id: string; label: string }>;
    keybindings?: Array<{ command: string; key: string; mac?: string; when?: string }>;
    walkthroughs?: Array<{ id: string; steps: Array<{ id: string; description: string; media: { markdown?: string }; completionEvents?: string[] }> }>;
    configuration: Array<{ id?: string; properties: Record<string, { markdownDescription?: string; default?: unknown; enum?: string[]; type?: string }> }>;
  };
}

const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as Manifest;
const { contributes } = manifest;
const contributed = new Set(contributes.commands.map((entry) => entry.command));

/** Every command some part of the extension registers a handler for, by its typed table. */
const handled = new Set<string>([...Object.values(COMMANDS), ...Object.values(CHAT_COMMANDS), ...Object.values(TOOL_COMMANDS), ...Object.values(KNOWLEDGE_COMMANDS)]);

describe('commands, menus and setup in package.json', () => {
  test('each command id is declared exactly once, and the declared commands are exactly the handled ones', () => {
    const ids = contributes.commands.map((entry) => entry.command);
    assert.deepEqual(ids.filter((id, index) => ids.indexOf(id) !== index), [], 'duplicate declarations');
    assert.deepEqual([...contributed].filter((id) => !handled.has(id)).sort(), [], 'declared without a handler table entry');
    assert.deepEqual([...handled].filter((id) => !contributed.has(id)).sort(), [], 'handled but not declared');
  });

  test('the editor actions and setup commands are declared as the table says, each with the Threadwork category and an icon', () => {
    for (const expected of commandContributions()) {
      assert.deepEqual(contributes.commands.find((entry) => entry.command === expected.command), expected);
      assert.equal(expected.category, 'Threadwork');
      assert.match(expected.icon ?? '', /^\$\([a-z-]+\)$/);
    }
  });

  test('menus carry exactly our entries with their when clauses, and the editor menu opens a Threadwork submenu', () => {
    for (const [menu, expected] of Object.entries(menuContributions())) {
      const actual = (contributes.menus[menu] ?? []).filter((entry) => (entry.command && entry.command in COMMAND_TABLE) || entry.submenu === EDITOR_SUBMENU);
      assert.deepEqual(actual, expected, menu);
    }
    assert.deepEqual(contributes.submenus?.find((entry) => entry.id === EDITOR_SUBMENU), { id: EDITOR_SUBMENU, label: 'Threadwork' });
    const submenu = contributes.menus[EDITOR_SUBMENU]!.map((entry) => entry.command);
    for (const id of [COMMANDS.explainSelection, COMMANDS.fixThis, COMMANDS.writeTests, COMMANDS.refactorSelection, COMMANDS.askAboutFile, COMMANDS.addToKnowledgeBase]) assert.ok(submenu.includes(id), id);
  });

  test('when clauses: start and stop of the server exclude each other, editor actions need an editor, nothing names an unknown threadwork context key', () => {
    const palette = new Map(contributes.menus['commandPalette']!.map((entry) => [entry.command, entry.when]));
    assert.equal(palette.get(COMMANDS.startServer), `!${CONTEXT_KEYS.serverRunning}`);
    assert.equal(palette.get(COMMANDS.stopServer), CONTEXT_KEYS.serverRunning);
    for (const id of [COMMANDS.explainSelection, COMMANDS.fixThis, COMMANDS.writeTests, COMMANDS.refactorSelection, COMMANDS.askAboutFile]) {
      assert.match(palette.get(id) ?? '', /editorIsOpen/, id);
    }
    assert.equal(palette.has(COMMANDS.openChat), false, 'Open Chat is always available');
    const known = new Set<string>(Object.values(CONTEXT_KEYS));
    const clauses = [
      ...Object.values(contributes.menus).flat().map((entry) => entry.when ?? ''),
      ...(contributes.keybindings ?? []).map((binding) => binding.when ?? ''),
      ...(contributes.walkthroughs ?? []).flatMap((walkthrough) => walkthrough.steps.flatMap((step) => step.completionEvents ?? [])),
    ];
    for (const clause of clauses) {
      for (const key of clause.match(/threadwork\.[A-Za-z.]+/g) ?? []) {
        if (contributed.has(key) || key.startsWith('threadwork.chat')) continue;
        assert.ok(known.has(key), `unknown context key ${key} in "${clause}"`);
      }
    }
  });

  test('keybindings are ours as declared, each with a when clause and a macOS key', () => {
    const ours = (contributes.keybindings ?? []).filter((binding) => binding.command in COMMAND_TABLE);
    assert.deepEqual(ours, keybindingContributions());
    for (const binding of ours) {
      assert.ok(binding.when && binding.when.length > 0);
      assert.ok(binding.mac);
    }
  });

  test('the walkthrough is declared, its media exist, and every command link points to a declared command', () => {
    const walkthrough = contributes.walkthroughs?.find((entry) => entry.id === WALKTHROUGH.id);
    assert.deepEqual(walkthrough, JSON.parse(JSON.stringify(WALKTHROUGH)));
    assert.equal(WALKTHROUGH.steps[0]?.id, 'connectModel');
    for (const step of WALKTHROUGH.steps) {
      assert.ok(existsSync(join(root, step.media.markdown)), step.media.markdown);
      for (const [, command] of step.description.matchAll(/\(command:([\w.]+)\)/g)) {
        assert.ok(contributed.has(command!) || command!.startsWith('workbench.'), `${step.id} links to ${command}`);
      }
      for (const event of step.completionEvents) {
        const command = /^onCommand:(.+)$/.exec(event)?.[1];
        if (command) assert.ok(contributed.has(command), `${step.id} completes on ${command}`);
      }
    }
  });

  test('the setup settings are declared as typed, each with a real markdown description and a default that fits its schema', () => {
    const section = contributes.configuration.find((entry) => entry.id === SETUP_SECTION_ID);
    assert.ok(section, 'the setup configuration section');
    assert.deepEqual(section.properties, JSON.parse(JSON.stringify(SETUP_SETTINGS)));
    for (const [key, schema] of Object.entries(SETUP_SETTINGS)) {
      assert.ok(schema.markdownDescription.length > 60, `${key} needs a real description`);
      const value: unknown = schema.default;
      const fits = { array: Array.isArray(value), object: typeof value === 'object' && value !== null && !Array.isArray(value), integer: Number.isInteger(value), boolean: typeof value === 'boolean', string: typeof value === 'string' }[schema.type];
      assert.ok(fits, `${key}: default does not fit type ${schema.type}`);
      if (schema.enum) assert.ok(schema.enum.includes(value as string), key);
    }
    const all = Object.assign({}, ...contributes.configuration.map((entry) => entry.properties)) as Record<string, { markdownDescription?: string; enum?: string[] }>;
    assert.deepEqual(all[PROVIDER_KIND_CONTRIBUTION.key]?.enum, PROVIDER_KIND_CONTRIBUTION.enum.map((entry) => entry.value));
    for (const [key, setting] of Object.entries(all)) assert.ok(setting.markdownDescription, `${key} has a markdownDescription`);
    assert.deepEqual(Object.keys(all).filter((key) => /api.?key|secret|token$/i.test(key)), [], 'no setting may hold a key');
  });
});
