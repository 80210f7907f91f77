import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { ensureAssistants, isDefaultAssistant, runParamsFor } from '../../../src/vscode/defaultAssistant.ts';
import { declaresCurrentWorkspaceTools, workspaceToolDefinitions } from '../../../src/vscode/tools/workspaceToolDefinitions.ts';
import { createEngineHarness, type EngineHarness } from '../../support/engineHarness.ts';

const names = (tools: ReadonlyArray<{ type: string; function?: { name: string } }>) => tools.map((tool) => tool.function?.name ?? tool.type);

describe('the built-in assistant declares the workspace tools', () => {
  let h: EngineHarness;
  before(async () => (h = await createEngineHarness({ noModel: true })));
  after(async () => h.close());

  test('a new default assistant declares file_search and every workspace tool with the engine schemas', () => {
    const [assistant] = ensureAssistants(h.engine, 'scripted-model');
    assert.ok(assistant && isDefaultAssistant(assistant));
    assert.deepEqual(assistant.tools, [{ type: 'file_search' }, ...workspaceToolDefinitions()]);
    assert.match(assistant.instructions ?? '', /apply_edit/);
  });

  test('a default assistant created without tools gets them, and its old threads still run', () => {
    const old = h.engine.assistants.update(ensureAssistants(h.engine, 'scripted-model')[0]!.id, { tools: [] });
    const thread = h.engine.threads.create({ messages: [{ role: 'user', content: 'from before tools existed' }] });
    const upgraded = ensureAssistants(h.engine, 'scripted-model').find((assistant) => assistant.id === old.id)!;
    assert.deepEqual(names(upgraded.tools), ['file_search', ...names(workspaceToolDefinitions())]);
    const mine = h.assistant({ name: 'mine', tools: [] });
    assert.deepEqual(ensureAssistants(h.engine, 'scripted-model').find((assistant) => assistant.id === mine.id)?.tools, [], 'user assistants are left alone');
    const run = h.engine.runs.create(thread.id, runParamsFor(upgraded, 'scripted-model', undefined, workspaceToolDefinitions({ readOnly: true })));
    assert.deepEqual(names(run.tools), ['file_search', 'read_file', 'list_files', 'search_text', 'find_symbols', 'get_diagnostics', 'get_selection', 'open_editors']);
    h.engine.runs.cancel(thread.id, run.id);
  });

  test('the default assistant keeps its other tools (file_search) when the workspace tools are added or narrowed', () => {
    const builtin = ensureAssistants(h.engine, 'scripted-model').find(isDefaultAssistant)!;
    h.engine.assistants.update(builtin.id, { tools: [{ type: 'file_search' }] });
    const upgraded = ensureAssistants(h.engine, 'scripted-model').find(isDefaultAssistant)!;
    assert.deepEqual(names(upgraded.tools), ['file_search', ...names(workspaceToolDefinitions())]);
    assert.deepEqual(names(runParamsFor(upgraded, 'm', undefined, []).tools!), ['file_search']);
    assert.equal(declaresCurrentWorkspaceTools(upgraded.tools), true, 'no further update is needed');
  });

  test('runs of the default assistant take the tools they are given; other assistants keep theirs', () => {
    const builtin = ensureAssistants(h.engine, 'scripted-model').find(isDefaultAssistant);
    const custom = h.assistant({ tools: [{ type: 'function', function: { name: 'lookup', parameters: { type: 'object', properties: {} } } }] });
    assert.deepEqual(names(runParamsFor(builtin!, 'm', 'msg_1', []).tools!).filter((name) => name !== 'file_search'), []);
    assert.equal(runParamsFor(builtin!, 'm', undefined).tools, undefined);
    assert.equal(runParamsFor(custom, 'm', undefined, workspaceToolDefinitions()).tools, undefined);
  });
});
