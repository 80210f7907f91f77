import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { DEFAULT_TOOL_DECISIONS } from '../../../src/engine/tools/policy/policyRules.ts';
import { APPROVAL_PREFIX, TOOL_COMMAND_CONTRIBUTIONS, TOOL_NAMES, TOOL_SETTINGS, TOOLS_SECTION } from '../../../src/vscode/tools/toolContributions.ts';
import { workspaceToolDefinitions, workspaceToolNames } from '../../../src/vscode/tools/workspaceToolDefinitions.ts';

const manifest = JSON.parse(readFileSync(join(import.meta.dirname, '..', '..', '..', 'package.json'), 'utf8')) as {
  contributes: { configuration?: Array<{ id?: string; properties?: Record<string, unknown> }>; commands?: Array<{ command: string; title: string; category?: string }> };
  capabilities?: { untrustedWorkspaces?: { supported?: string; restrictedConfigurations?: string[] } };
};

describe('what the workspace tools contribute to package.json', () => {
  test('package.json declares exactly the tool settings in toolContributions.ts (run scripts/contribute-tool-settings.ts)', () => {
    const section = manifest.contributes.configuration?.find((candidate) => candidate.id === TOOLS_SECTION);
    assert.ok(section, 'no configuration section with id threadwork.tools');
    assert.deepEqual(section.properties, JSON.parse(JSON.stringify(TOOL_SETTINGS)));
    for (const [key, declaration] of Object.entries(TOOL_SETTINGS)) {
      assert.ok(key.startsWith(`${TOOLS_SECTION}.`), key);
      assert.ok(declaration.markdownDescription.length > 40, `${key} needs a real description`);
    }
  });

  test('there is an approval setting for every tool the extension registers, defaulting to the engine default', () => {
    assert.deepEqual([...TOOL_NAMES].sort(), workspaceToolNames().sort());
    for (const tool of TOOL_NAMES) {
      const setting = TOOL_SETTINGS[`${APPROVAL_PREFIX}${tool}`];
      assert.ok(setting, tool);
      assert.equal(setting.default, DEFAULT_TOOL_DECISIONS[tool]);
    }
    assert.equal(TOOL_SETTINGS[`${APPROVAL_PREFIX}apply_edit`]?.default, 'ask');
    assert.equal(TOOL_SETTINGS[`${APPROVAL_PREFIX}run_command`]?.default, 'ask');
  });

  test('the commands are contributed, and Restricted Mode is limited with the approval settings restricted', () => {
    for (const command of TOOL_COMMAND_CONTRIBUTIONS) {
      assert.deepEqual(manifest.contributes.commands?.find((candidate) => candidate.command === command.command), command);
    }
    const untrusted = manifest.capabilities?.untrustedWorkspaces;
    assert.equal(untrusted?.supported, 'limited');
    for (const tool of TOOL_NAMES) assert.ok(untrusted?.restrictedConfigurations?.includes(`${APPROVAL_PREFIX}${tool}`), tool);
    assert.ok(untrusted?.restrictedConfigurations?.includes(`${TOOLS_SECTION}.testCommand`));
  });

  test('the definitions the assistant declares are v2 function tools; read-only leaves out every tool that writes or runs', () => {
    const all = workspaceToolDefinitions();
    assert.equal(all.length, TOOL_NAMES.length);
    for (const definition of all) {
      assert.equal(definition.type, 'function');
      if (definition.type !== 'function') continue;
      assert.match(definition.function.name, /^[a-z_]+$/);
      assert.equal((definition.function.parameters as { type?: string }).type, 'object');
    }
    const readOnly = workspaceToolDefinitions({ readOnly: true }).map((definition) => (definition.type === 'function' ? definition.function.name : ''));
    assert.deepEqual(readOnly.sort(), ['find_symbols', 'get_diagnostics', 'get_selection', 'list_files', 'open_editors', 'read_file', 'search_text']);
  });
});
