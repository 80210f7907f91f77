// Writes the workspace tools' settings and commands (src/vscode/tools/toolContributions.ts) into
// package.json's `contributes`, leaving every other contribution as it is. Run after changing them:
//   node scripts/contribute-tool-settings.ts
// test/unit/vscode/toolContributions.test.ts fails when package.json is out of date.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { TOOL_COMMAND_CONTRIBUTIONS, TOOL_SETTINGS, TOOLS_SECTION } from '../src/vscode/tools/toolContributions.ts';

const manifestPath = join(import.meta.dirname, '..', 'package.json');

type Json = Record<string, unknown>;

interface ConfigurationSection {
  id?: string;
  title?: string;
  properties?: Json;
}

const section: ConfigurationSection = { id: TOOLS_SECTION, title: 'Tools', properties: { ...TOOL_SETTINGS } };

// Read just before writing: other contributions may be added by other scripts at any time.
const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as Json;
const contributes = (manifest.contributes ?? {}) as Json;

const existing = contributes.configuration;
const sections: ConfigurationSection[] = Array.isArray(existing) ? [...(existing as ConfigurationSection[])] : existing ? [existing as ConfigurationSection] : [];
// Our keys live only in our section, wherever another section may have listed them before.
for (const other of sections) {
  if (other.id === TOOLS_SECTION || !other.properties) continue;
  for (const key of Object.keys(other.properties)) if (key in TOOL_SETTINGS) delete other.properties[key];
}
const at = sections.findIndex((candidate) => candidate.id === TOOLS_SECTION);
if (at === -1) sections.push(section);
else sections[at] = section;
contributes.configuration = sections;

const commands = Array.isArray(contributes.commands) ? [...(contributes.commands as Array<{ command: string }>)] : [];
for (const command of TOOL_COMMAND_CONTRIBUTIONS) {
  const index = commands.findIndex((candidate) => candidate.command === command.command);
  if (index === -1) commands.push({ ...command });
  else commands[index] = { ...command };
}
contributes.commands = commands;

manifest.contributes = contributes;

// Without this VS Code disables the extension in Restricted Mode; with it, the tools that write or
// run are off there (src/engine/tools/policy/toolPolicy.ts) and these settings are read from user settings only.
const restricted = [`${TOOLS_SECTION}.testCommand`, ...Object.keys(TOOL_SETTINGS).filter((key) => key.startsWith(`${TOOLS_SECTION}.approval.`))];
const capabilities = (manifest.capabilities ?? {}) as Json;
const untrusted = (capabilities.untrustedWorkspaces ?? {}) as { supported?: unknown; description?: string; restrictedConfigurations?: string[] };
capabilities.untrustedWorkspaces = {
  ...untrusted,
  supported: 'limited',
  description: untrusted.description ?? 'In Restricted Mode the assistant can chat and read files, but cannot edit files or run commands.',
  restrictedConfigurations: [...new Set([...(untrusted.restrictedConfigurations ?? []), ...restricted])],
};
manifest.capabilities = capabilities;

writeFileSync(manifestPath, `${JSON.stringify(manifest, null, 2)}\n`);
console.log(`package.json: ${Object.keys(TOOL_SETTINGS).length} tool settings, ${TOOL_COMMAND_CONTRIBUTIONS.length} tool commands, untrusted workspaces "limited".`);
