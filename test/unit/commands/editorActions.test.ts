// The editor actions without VS Code: the questions they build, and PanelAsk putting a question
// into a thread and starting a run on a real engine whose model is the scripted server.
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, test } from 'node:test';
import type { ProviderStatus } from '../../../src/protocol/chatModel.ts';
import type { ChatMemory } from '../../../src/vscode/chatPorts.ts';
import { askAboutFilePrompt, explainPrompt, fence, fixPrompt, refactorPrompt, testsPrompt, type CodeExcerpt } from '../../../src/vscode/commands/editorPrompts.ts';
import { PanelAsk } from '../../../src/vscode/commands/panelAsk.ts';
import { allMessagesOf } from '../../../src/engine/transfer/threadArchive.ts';
import { createEngineHarness, type EngineHarness } from '../../support/engineHarness.ts';

const excerpt: CodeExcerpt = { path: 'src/math.ts', languageId: 'typescript', startLine: 3, endLine: 5, text: 'export function add(a: number, b: number): number {\n  return a + b;\n}', symbol: 'add' };

describe('editor action prompts', () => {
  test('each prompt names the code on its first line (the thread title) and carries it in a fenced block', () => {
    const prompts = [explainPrompt(excerpt), fixPrompt(excerpt, []), testsPrompt(excerpt), refactorPrompt(excerpt, 'use a reducer')];
    assert.deepEqual(prompts.map((prompt) => prompt.split('\n')[0]), [
      'Explain `add` in `src/math.ts` (lines 3–5)',
      'Fix `add` in `src/math.ts` (lines 3–5)',
      'Write tests for `add` in `src/math.ts` (lines 3–5)',
      'Refactor `add` in `src/math.ts` (lines 3–5): use a reducer',
    ]);
    for (const prompt of prompts) assert.ok(prompt.includes(`\`\`\`typescript\n${excerpt.text}\n\`\`\``), prompt);
  });

  test('Fix This lists the diagnostics VS Code reports, with line, severity, source and code', () => {
    const prompt = fixPrompt({ ...excerpt, symbol: undefined }, [
      { line: 4, severity: 'error', message: "Type 'string' is not\nassignable to type 'number'.", source: 'ts', code: '2322' },
      { line: 5, severity: 'warning', message: 'Unused variable x' },
    ]);
    assert.match(prompt, /^Fix `src\/math\.ts` lines 3–5\n/);
    assert.ok(prompt.includes("- line 4, error (ts 2322): Type 'string' is not assignable to type 'number'."));
    assert.ok(prompt.includes('- line 5, warning: Unused variable x'));
    assert.match(fixPrompt(excerpt, []), /reports no problems here/);
  });

  test('a fence is longer than any backtick run in the code, so code cannot end it early', () => {
    assert.equal(fence('a ``` b', 'md'), '````md\na ``` b\n````');
    assert.equal(fence('plain\n', ''), '```\nplain\n```');
  });

  test('Ask About This File puts the question first and says when the file was cut', () => {
    const prompt = askAboutFilePrompt({ path: 'README.md', languageId: 'markdown', text: 'abc', totalCharacters: 10 }, 'What is this?');
    assert.equal(prompt.split('\n')[0], 'What is this?');
    assert.match(prompt, /3 of 10 characters are shown\. read_file gives the rest\./);
    assert.doesNotMatch(askAboutFilePrompt({ path: 'a', languageId: 'x', text: 'abc' }, 'Q'), /cut here/);
  });
});

describe('PanelAsk', () => {
  let h: EngineHarness;
  let status: ProviderStatus;
  let values: Map<string, string | undefined>;
  let shown: string[];
  let notConfigured: string[];
  let conversation: 'newThread' | 'currentThread';
  let allowTools: boolean;
  const memory: ChatMemory = { get: (key) => values.get(key), set: async (key, value) => void values.set(key, value) };

  function ask(): PanelAsk {
    return new PanelAsk({
      engine: () => h.engine,
      provider: { status: () => status, whenReady: async () => undefined, onDidChange: () => () => undefined },
      memory,
      tools: { runTools: () => [{ type: 'function', function: { name: 'read_file', description: 'Reads a file', parameters: { type: 'object', properties: { path: { type: 'string' } } } } }], viewDiff: async () => false },
      showThread: async (threadId) => void shown.push(threadId),
      conversation: () => conversation,
      allowTools: () => allowTools,
      onNotConfigured: (problem) => void notConfigured.push(problem),
    });
  }

  before(async () => (h = await createEngineHarness()));
  after(async () => h.close());
  beforeEach(() => {
    status = { isConfigured: true, kind: 'chat-completions', baseUrl: h.model.url, model: 'scripted-chat-model', hasApiKey: false, problem: null };
    values = new Map();
    shown = [];
    notConfigured = [];
    conversation = 'newThread';
    allowTools = true;
  });

  test('a question becomes a titled thread with the user message, a run on the configured model, and the panel opens it', async () => {
    h.model.enqueue({ text: 'It adds two numbers.' });
    const result = await ask().ask(explainPrompt(excerpt));
    assert.ok(result);
    assert.deepEqual(shown, [result.threadId]);
    assert.equal(values.get('lastThreadId'), result.threadId);
    const thread = h.engine.threads.retrieve(result.threadId);
    assert.equal(thread.metadata['title'], 'Explain `add` in `src/math.ts` (lines 3–5)');
    const run = await h.settle(result.threadId, result.runId);
    assert.equal(run.status, 'completed');
    assert.equal(run.model, 'scripted-chat-model');
    const [question, answer] = allMessagesOf(h.engine, result.threadId);
    assert.equal(question?.role, 'user');
    assert.ok(question?.content[0]?.type === 'text' && question.content[0].text.value.includes('return a + b;'));
    assert.equal(answer?.content[0]?.type === 'text' && answer.content[0].text.value, 'It adds two numbers.');
    const sent = h.model.chatRequests().at(-1);
    assert.ok(JSON.stringify(sent?.messages).includes('return a + b;'), 'the selection reached the model');
    assert.deepEqual(sent?.tools?.map((tool) => (tool.type === 'function' ? tool.function.name : tool.type)), ['read_file']);
  });

  test('with "currentThread" the question joins the open thread; with tools refused the run offers none', async () => {
    h.model.enqueue({ text: 'first' }, { text: 'second' });
    const first = await ask().ask('First question');
    assert.ok(first);
    await h.settle(first.threadId, first.runId);
    conversation = 'currentThread';
    allowTools = false;
    const second = await ask().ask('Second question');
    assert.equal(second?.threadId, first.threadId);
    const run = await h.settle(second!.threadId, second!.runId);
    assert.equal(run.tool_choice, 'none');
    assert.equal(h.model.chatRequests().at(-1)?.tools, undefined);
    assert.equal(allMessagesOf(h.engine, first.threadId).length, 4);
  });

  test('without a configured model nothing is written and the user is told what is missing', async () => {
    status = { ...status, isConfigured: false, problem: 'Choose a model.' };
    const before = h.engine.threads.list({ limit: 100 }).data.length;
    assert.equal(await ask().ask('Anything'), undefined);
    assert.deepEqual(notConfigured, ['Choose a model.']);
    assert.equal(h.engine.threads.list({ limit: 100 }).data.length, before);
    assert.deepEqual(shown, []);
  });
});
