// The code interpreter's settings and tool lists: package.json declares exactly what
// interpreterSettings.ts does, mistyped values fall back to defaults, and the built-in assistant's
// runs get code_interpreter once, only when it is enabled.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import type { Assistant } from '../../../src/engine/types/assistant.ts';
import { runParamsFor } from '../../../src/vscode/defaultAssistant.ts';
import { INTERPRETER_SECTION_ID, INTERPRETER_SETTINGS, resolveInterpreterSettings } from '../../../src/vscode/interpreter/interpreterSettings.ts';
import { attachmentTools, withCodeInterpreter } from '../../../src/vscode/interpreter/interpreterTools.ts';

const manifest = JSON.parse(readFileSync(join(import.meta.dirname, '..', '..', '..', 'package.json'), 'utf8')) as {
  contributes: { configuration: Array<{ id?: string; properties: Record<string, unknown> }> };
};

describe('code interpreter settings', () => {
  test('package.json contributes the declared settings unchanged (run scripts/contribute-interpreter-settings.ts when this fails)', () => {
    const section = manifest.contributes.configuration.find((entry) => entry.id === INTERPRETER_SECTION_ID);
    assert.ok(section, 'the code interpreter configuration section');
    assert.deepEqual(section.properties, JSON.parse(JSON.stringify(INTERPRETER_SETTINGS)));
    for (const [key, schema] of Object.entries(INTERPRETER_SETTINGS)) assert.ok(schema.markdownDescription.length > 80, `${key} explains itself`);
  });

  test('the local runner states its risk and what happens without bubblewrap', () => {
    const runner = INTERPRETER_SETTINGS['threadwork.codeInterpreter.runner'];
    assert.equal(runner.default, 'pyodide');
    assert.match(runner.markdownDescription, /riskier/);
    assert.match(runner.markdownDescription, /bubblewrap is missing/);
    assert.match(runner.markdownDescription, /unavailable/);
    assert.equal(runner.scope, 'machine', 'a repository cannot switch its users to the local runner');
  });

  test('values are read typed; anything mistyped or out of range is the default', () => {
    const values: Record<string, unknown> = {
      'threadwork.codeInterpreter.enabled': false,
      'threadwork.codeInterpreter.runner': 'local',
      'threadwork.codeInterpreter.timeoutSeconds': 120,
      'threadwork.codeInterpreter.allowPackageDownloads': true,
    };
    assert.deepEqual(resolveInterpreterSettings((key) => values[key]), { enabled: false, runner: 'local', timeoutSeconds: 120, allowPackageDownloads: true });
    const wrong: Record<string, unknown> = {
      'threadwork.codeInterpreter.enabled': 'yes',
      'threadwork.codeInterpreter.runner': 'docker',
      'threadwork.codeInterpreter.timeoutSeconds': 3600,
      'threadwork.codeInterpreter.allowPackageDownloads': 1,
    };
    assert.deepEqual(resolveInterpreterSettings((key) => wrong[key]), { enabled: true, runner: 'pyodide', timeoutSeconds: 60, allowPackageDownloads: false });
    assert.equal(resolveInterpreterSettings((key) => (key.endsWith('timeoutSeconds') ? 2.5 : undefined)).timeoutSeconds, 60);
  });
});

describe('code interpreter among the run tools', () => {
  const workspaceTool = { type: 'function' as const, function: { name: 'read_file', parameters: {} } };

  test('added once when enabled, removed when not, other tools kept in order', () => {
    assert.deepEqual(withCodeInterpreter([workspaceTool], true), [workspaceTool, { type: 'code_interpreter' }]);
    assert.deepEqual(withCodeInterpreter([{ type: 'code_interpreter' }, workspaceTool], true), [workspaceTool, { type: 'code_interpreter' }]);
    assert.deepEqual(withCodeInterpreter([{ type: 'file_search' }, { type: 'code_interpreter' }, workspaceTool], false), [{ type: 'file_search' }, workspaceTool]);
  });

  test('the default assistant keeps its own file_search and is not given code_interpreter twice', () => {
    const assistant = {
      id: 'asst_1', model: 'm', tools: [{ type: 'file_search', file_search: { max_num_results: 5 } }, { type: 'code_interpreter' }, workspaceTool],
      metadata: { threadwork_default: 'true' },
    } as unknown as Assistant;
    const params = runParamsFor(assistant, 'configured', undefined, withCodeInterpreter([workspaceTool], true));
    assert.deepEqual(params.tools, [{ type: 'file_search', file_search: { max_num_results: 5 } }, { type: 'code_interpreter' }, workspaceTool]);
  });

  test('attached data files go to the code interpreter; documents to file_search as well', () => {
    assert.deepEqual(attachmentTools('sales.csv', true), [{ type: 'code_interpreter' }]);
    assert.deepEqual(attachmentTools('notes.md', true), [{ type: 'code_interpreter' }, { type: 'file_search' }]);
    assert.deepEqual(attachmentTools('notes.MD', false), [{ type: 'file_search' }]);
    assert.deepEqual(attachmentTools('photo.png', false), []);
  });
});
