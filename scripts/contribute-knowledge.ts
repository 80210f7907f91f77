// Writes the knowledge base's contributions (src/vscode/knowledge/knowledgeContributions.ts) into
// package.json: settings, the Knowledge view, its commands and menus. Every other contribution is
// left as it is. Run after changing them:
//   node scripts/contribute-knowledge.ts
// test/unit/knowledge/contributions.test.ts fails when package.json is out of date.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  KNOWLEDGE_COMMAND_CONTRIBUTIONS,
  KNOWLEDGE_CONTAINER_ID,
  KNOWLEDGE_MENUS,
  KNOWLEDGE_SECTION,
  KNOWLEDGE_SETTINGS,
  KNOWLEDGE_VIEW,
  KNOWLEDGE_VIEW_WELCOME,
} from '../src/vscode/knowledge/knowledgeContributions.ts';

const manifestPath = join(import.meta.dirname, '..', 'package.json');
type Json = Record<string, unknown>;
type Entry = { command?: string; id?: string; view?: string };

// Read just before writing: other scripts may have changed other contributions meanwhile.
const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as Json;
const contributes = (manifest.contributes ?? {}) as Json;

/** Replaces the entries `isOurs` picks with `ours`, keeping everything else in place. */
function merge<T extends Entry>(existing: unknown, ours: readonly T[], isOurs: (entry: T) => boolean): T[] {
  const list = Array.isArray(existing) ? (existing as T[]).filter((entry) => !isOurs(entry)) : [];
  return [...list, ...ours.map((entry) => ({ ...entry }))];
}

const sections = (Array.isArray(contributes.configuration) ? contributes.configuration : [contributes.configuration].filter(Boolean)) as Array<{ id?: string; title?: string; properties?: Json }>;
const section = { id: KNOWLEDGE_SECTION, title: 'Knowledge base', properties: JSON.parse(JSON.stringify(KNOWLEDGE_SETTINGS)) as Json };
const at = sections.findIndex((candidate) => candidate.id === KNOWLEDGE_SECTION);
if (at === -1) sections.push(section);
else sections[at] = section;
contributes.configuration = sections;

const ourCommands = new Set<string>(KNOWLEDGE_COMMAND_CONTRIBUTIONS.map((entry) => entry.command));
contributes.commands = merge(contributes.commands, KNOWLEDGE_COMMAND_CONTRIBUTIONS, (entry) => ourCommands.has(entry.command ?? ''));

const views = (contributes.views ?? {}) as Record<string, Entry[]>;
views[KNOWLEDGE_CONTAINER_ID] = merge(views[KNOWLEDGE_CONTAINER_ID], [KNOWLEDGE_VIEW], (entry) => entry.id === KNOWLEDGE_VIEW.id);
contributes.views = views;

contributes.viewsWelcome = merge(contributes.viewsWelcome, [KNOWLEDGE_VIEW_WELCOME], (entry) => entry.view === KNOWLEDGE_VIEW_WELCOME.view);

const menus = (contributes.menus ?? {}) as Record<string, Array<Entry & { when?: string; group?: string }>>;
for (const [menu, entries] of Object.entries(KNOWLEDGE_MENUS)) {
  const shaped = entries.map(({ command, when, group }) => (group ? { command, when, group } : { command, when }));
  menus[menu] = merge(menus[menu], shaped, (entry) => ourCommands.has(entry.command ?? ''));
}
contributes.menus = menus;

manifest.contributes = contributes;
writeFileSync(manifestPath, `${JSON.stringify(manifest, null, 2)}\n`);
