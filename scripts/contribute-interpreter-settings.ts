// Writes the code interpreter's settings (src/vscode/interpreter/interpreterSettings.ts) into
// package.json's `contributes.configuration`, leaving every other contribution as it is. Run after
// changing them:  node scripts/contribute-interpreter-settings.ts
// test/unit/vscode/interpreterSettings.test.ts fails when package.json is out of date.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { INTERPRETER_SECTION_ID, INTERPRETER_SECTION_TITLE, INTERPRETER_SETTINGS } from '../src/vscode/interpreter/interpreterSettings.ts';

const manifestPath = join(import.meta.dirname, '..', 'package.json');

type Json = Record<string, unknown>;

interface ConfigurationSection {
  id?: string;
  title?: string;
  properties?: Json;
}

const section: ConfigurationSection = { id: INTERPRETER_SECTION_ID, title: INTERPRETER_SECTION_TITLE, properties: structuredClone(INTERPRETER_SETTINGS) as Json };

// Read just before writing: other scripts may change other contributions at any time.
const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as Json;
const contributes = (manifest.contributes ?? {}) as Json;
const existing = contributes.configuration;
const sections: ConfigurationSection[] = Array.isArray(existing) ? [...(existing as ConfigurationSection[])] : existing ? [existing as ConfigurationSection] : [];
const at = sections.findIndex((candidate) => candidate.id === INTERPRETER_SECTION_ID);
if (at === -1) sections.push(section);
else sections[at] = section;
contributes.configuration = sections;
manifest.contributes = contributes;

writeFileSync(manifestPath, `${JSON.stringify(manifest, null, 2)}\n`);
console.log(`package.json: ${Object.keys(INTERPRETER_SETTINGS).length} code interpreter settings.`);
