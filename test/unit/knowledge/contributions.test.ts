// package.json must carry the knowledge base's contributions exactly as knowledgeContributions.ts
// declares them. Fix a failure by running: node scripts/contribute-knowledge.ts
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { COMMANDS, COMMAND_TABLE } from '../../../src/vscode/commands/commandTable.ts';
import {
  KNOWLEDGE_COMMAND_CONTRIBUTIONS,
  KNOWLEDGE_COMMANDS,
  KNOWLEDGE_CONTAINER_ID,
  KNOWLEDGE_MENUS,
  KNOWLEDGE_SECTION,
  KNOWLEDGE_SETTINGS,
  KNOWLEDGE_VIEW,
  TREE_ITEM_KINDS,
} from '../../../src/vscode/knowledge/knowledgeContributions.ts';

const manifest = JSON.parse(readFileSync(join(import.meta.dirname, '..', '..', '..', 'package.json'), 'utf8')) as {
  contributes: {
    commands: Array<{ command: string }>;
    configuration: Array<{ id?: string; properties: Record<string, unknown> }>;
    views: Record<string, Array<{ id: string }>>;
    menus: Record<string, Array<{ command?: string; when?: string; group?: string }>>;
  };
};
const { contributes } = manifest;
const ours = new Set<string>(Object.values(KNOWLEDGE_COMMANDS));

describe('the knowledge base in package.json', () => {
  test('every knowledge command is declared once, as the table says', () => {
    for (const expected of KNOWLEDGE_COMMAND_CONTRIBUTIONS) {
      const declared = contributes.commands.filter((entry) => entry.command === expected.command);
      assert.deepEqual(declared, [expected]);
    }
    assert.deepEqual(KNOWLEDGE_COMMAND_CONTRIBUTIONS.map((entry) => entry.command).sort(), [...ours].sort());
  });

  test('the settings section and the Knowledge view in the Threadwork container are declared as typed', () => {
    const section = contributes.configuration.find((entry) => entry.id === KNOWLEDGE_SECTION);
    assert.deepEqual(section?.properties, JSON.parse(JSON.stringify(KNOWLEDGE_SETTINGS)));
    assert.deepEqual(contributes.views[KNOWLEDGE_CONTAINER_ID]?.find((view) => view.id === KNOWLEDGE_VIEW.id), { ...KNOWLEDGE_VIEW });
    for (const key of Object.keys(KNOWLEDGE_SETTINGS)) assert.ok(key.startsWith(`${KNOWLEDGE_SECTION}.`), key);
  });

  test('menus carry exactly our entries: tree actions by item kind, item-only commands hidden from the palette', () => {
    for (const [menu, entries] of Object.entries(KNOWLEDGE_MENUS)) {
      const actual = (contributes.menus[menu] ?? []).filter((entry) => ours.has(entry.command ?? ''));
      assert.deepEqual(actual, entries.map(({ command, when, group }) => (group ? { command, when, group } : { command, when })), menu);
    }
    const inline = contributes.menus['view/item/context']!.filter((entry) => ours.has(entry.command ?? ''));
    const kinds = new Set<string>(Object.values(TREE_ITEM_KINDS));
    for (const entry of inline) {
      for (const kind of /\^\(([^)]*)\)\$/.exec(entry.when ?? '')?.[1]?.split('|') ?? []) assert.ok(kinds.has(kind), `${entry.command} names unknown item kind ${kind}`);
    }
  });

  test('"Add to Knowledge Base" is the editor actions\' command, on files and folders in the explorer and on editors', () => {
    const placements = COMMAND_TABLE[COMMANDS.addToKnowledgeBase].menus?.map((placement) => placement.menu) ?? [];
    for (const menu of ['explorer/context', 'editor/title/context', 'threadwork.editorContext']) assert.ok(placements.includes(menu as never), menu);
    const explorer = contributes.menus['explorer/context']!.find((entry) => entry.command === COMMANDS.addToKnowledgeBase);
    assert.ok(explorer && !/explorerResourceIsFolder/.test(explorer.when ?? ''), 'folders too, not only files');
  });
});
