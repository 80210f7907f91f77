// Writes the editor actions and setup commands (src/vscode/commands/commandTable.ts), their menus,
// submenu and keybindings, the walkthrough and the setup settings into package.json's
// `contributes`, leaving every other contribution as it is. Run after changing them:
//   node scripts/contribute-commands.ts
// test/unit/commands/contributions.test.ts fails when package.json is out of date.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { COMMANDS, commandContributions, EDITOR_SUBMENU, keybindingContributions, menuContributions, SUBMENU_CONTRIBUTION, type MenuEntry } from '../src/vscode/commands/commandTable.ts';
import { PROVIDER_KIND_CONTRIBUTION } from '../src/vscode/setup/providerKinds.ts';
import { SETUP_SECTION_ID, SETUP_SETTINGS, setupConfigurationSection } from '../src/vscode/setup/setupSettings.ts';
import { WALKTHROUGH } from '../src/vscode/setup/walkthroughContribution.ts';

type Json = Record<string, unknown>;

const manifestPath = join(import.meta.dirname, '..', 'package.json');
const ours = new Set<string>(Object.values(COMMANDS));

// Read just before writing: other scripts may change other contributions at any time.
const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as Json;
const contributes = (manifest.contributes ?? {}) as Json;

function upsertBy<T extends Json>(list: unknown, key: string, entries: readonly T[]): T[] {
  const result = Array.isArray(list) ? [...(list as T[])] : [];
  for (const entry of entries) {
    const at = result.findIndex((candidate) => candidate[key] === entry[key]);
    if (at === -1) result.push({ ...entry });
    else result[at] = { ...entry };
  }
  return result;
}

contributes.commands = upsertBy(contributes.commands, 'command', commandContributions() as unknown as Json[]);

const menus = (contributes.menus ?? {}) as Record<string, MenuEntry[]>;
for (const [menu, entries] of Object.entries(menuContributions())) {
  const kept = (menus[menu] ?? []).filter((entry) => !(entry.command && ours.has(entry.command)) && entry.submenu !== EDITOR_SUBMENU);
  menus[menu] = [...kept, ...entries];
}
contributes.menus = menus;
contributes.submenus = upsertBy(contributes.submenus, 'id', [SUBMENU_CONTRIBUTION as unknown as Json]);

const keybindings = Array.isArray(contributes.keybindings) ? (contributes.keybindings as Array<{ command: string }>) : [];
contributes.keybindings = [...keybindings.filter((binding) => !ours.has(binding.command)), ...keybindingContributions()];

contributes.walkthroughs = upsertBy(contributes.walkthroughs, 'id', [WALKTHROUGH as unknown as Json]);

interface ConfigurationSection {
  id?: string;
  properties?: Record<string, Record<string, unknown>>;
}
const existing = contributes.configuration;
const sections: ConfigurationSection[] = Array.isArray(existing) ? [...(existing as ConfigurationSection[])] : existing ? [existing as ConfigurationSection] : [];
for (const other of sections) {
  if (other.id === SETUP_SECTION_ID || !other.properties) continue;
  for (const key of Object.keys(other.properties)) if (key in SETUP_SETTINGS) delete other.properties[key];
}
const at = sections.findIndex((candidate) => candidate.id === SETUP_SECTION_ID);
if (at === -1) sections.push(setupConfigurationSection());
else sections[at] = setupConfigurationSection();

// The provider kinds live in the chat panel's section; only the enum and its descriptions are ours to extend.
for (const section of sections) {
  const kind = section.properties?.[PROVIDER_KIND_CONTRIBUTION.key];
  if (!kind) continue;
  kind.enum = PROVIDER_KIND_CONTRIBUTION.enum.map((entry) => entry.value);
  kind.enumDescriptions = PROVIDER_KIND_CONTRIBUTION.enum.map((entry) => entry.description);
  kind.markdownDescription = PROVIDER_KIND_CONTRIBUTION.markdownDescription;
}
contributes.configuration = sections;

manifest.contributes = contributes;
writeFileSync(manifestPath, `${JSON.stringify(manifest, null, 2)}\n`);
