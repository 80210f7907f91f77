// The workspace tools in a real VS Code (code-server + Chromium), with the model scripted at HTTP
// level: the fix-a-failing-test scenario (read, an edit approved in the panel, tests, answer, then
// Restore Checkpoint), and an adversarial suite — path traversal, protected paths, prompt
// injection, hidden commands, a runaway loop — where every case must end with nothing written
// outside policy and a clear message. Run: npm run package && node --test test/e2e/tools.e2e.test.ts
import assert from 'node:assert/strict';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { startScriptedModelServer, type ScriptedModelServer, type ScriptedReply } from '../support/modelServer/index.ts';
import { ChatPanel } from './support/chatPanelDriver.ts';
import { launchWorkbench, packagedVsix, repoRoot, startCodeServer, type CodeServer, type Workbench } from './support/codeServer.ts';

const FIXTURE = join(repoRoot, 'test', 'fixtures', 'fix-project');
const BUGGY_LINE = '  if (sorted.length % 2 === 0) return (sorted[middle] + sorted[middle + 1]) / 2;';
const FIXED_LINE = '  if (sorted.length % 2 === 0) return (sorted[middle - 1] + sorted[middle]) / 2;';
/** What the repository itself puts in .vscode/settings.json: an attempt to switch approvals off for itself. */
const REPO_SETTINGS = '{\n  "threadwork.tools.approval.run_command": "allow",\n  "git.enabled": false\n}\n';
const GIT_CONFIG = '[core]\n\trepositoryformatversion = 0\n';
const DOT_ENV = 'API_KEY=do-not-leak\n';

type ChatMessage = { role: string; content?: unknown; tool_call_id?: string; tool_calls?: Array<{ id: string; function: { name: string; arguments: string } }> };

describe('workspace tools in a real VS Code', { timeout: 900_000 }, () => {
  let model: ScriptedModelServer;
  let server: CodeServer;
  let bench: Workbench;
  let panel: ChatPanel;
  let base: string;
  let workspace: string;
  let outside: string;
  /** The replies of the scenario under way; whatever a stopped run leaves unused is dropped with it. */
  const script: ScriptedReply[] = [];
  const play = (...replies: ScriptedReply[]) => script.splice(0, script.length, ...replies);
  const scripted = (): ScriptedReply => script.shift() ?? { text: 'No more scripted replies.' };

  before(async () => {
    model = await startScriptedModelServer();
    model.setHandler(scripted);
    base = mkdtempSync(join(tmpdir(), 'tw-tools-e2e-'));
    workspace = join(base, 'fix-project');
    outside = join(base, 'outside');
    cpSync(FIXTURE, workspace, { recursive: true });
    mkdirSync(outside);
    writeFileSync(join(outside, 'secret.txt'), 'outside the workspace\n');
    symlinkSync(outside, join(workspace, 'link-out'));
    mkdirSync(join(workspace, '.vscode'));
    writeFileSync(join(workspace, '.vscode', 'settings.json'), REPO_SETTINGS);
    mkdirSync(join(workspace, '.git'));
    writeFileSync(join(workspace, '.git', 'config'), GIT_CONFIG);
    writeFileSync(join(workspace, '.env'), DOT_ENV);

    server = await startCodeServer({
      name: 'tools-e2e',
      vsix: packagedVsix,
      settings: {
        'threadwork.provider.kind': 'chat-completions',
        'threadwork.provider.baseUrl': model.url,
        'threadwork.provider.model': 'scripted-chat-model',
        'git.enabled': false,
      },
    });
    bench = await launchWorkbench(server, { folder: workspace });
    panel = await openPanel(bench);
  });

  after(async () => {
    await bench?.close();
    await server?.stop();
    await model?.close();
    if (base) rmSync(base, { recursive: true, force: true });
  });

  async function openPanel(workbench: Workbench): Promise<ChatPanel> {
    await workbench.openViewContainer('Threadwork');
    // Off the activity bar, so its hover tooltip does not sit on the panel in screenshots.
    await workbench.page.mouse.move(900, 500);
    const opened = new ChatPanel(workbench.page, await workbench.webview());
    await opened.ready();
    return opened;
  }

  /**
   * The output the model received for a scripted call. The engine gives each call its own id, so
   * the call is found by what the model sent (name and arguments) in a later request's history.
   */
  function outputFor(scripted: { name: string; arguments: unknown }): string | undefined {
    const args = typeof scripted.arguments === 'string' ? scripted.arguments : JSON.stringify(scripted.arguments);
    for (const body of model.chatRequests() as unknown as Array<{ messages: ChatMessage[] }>) {
      const callId = body.messages
        .flatMap((message) => message.tool_calls ?? [])
        .find((call) => call.function.name === scripted.name && call.function.arguments === args)?.id;
      const found = callId === undefined ? undefined : body.messages.find((message) => message.role === 'tool' && message.tool_call_id === callId);
      if (found) return String(found.content);
    }
    return undefined;
  }

  function requireOutput(scripted: { name: string; arguments: unknown }): string {
    const output = outputFor(scripted);
    assert.ok(output !== undefined, `the model never received an output for ${scripted.name} ${JSON.stringify(scripted.arguments)}`);
    return output;
  }

  const read = (relative: string) => readFileSync(join(workspace, relative));

  test('fix a failing test: read, approve the edit (diff), run the tests, answer; Restore Checkpoint puts the file back', async () => {
    const original = read('src/stats.js');
    assert.ok(original.toString().includes(BUGGY_LINE));
    const readCall = { name: 'read_file', arguments: { path: 'src/stats.js' } };
    const editCall = { name: 'apply_edit', arguments: { path: 'src/stats.js', edits: [{ search: BUGGY_LINE.trim(), replace: FIXED_LINE.trim() }] } };
    const testCall = { name: 'run_tests', arguments: {} };
    play(
      { toolCalls: [readCall] },
      { text: 'The even case averages the wrong pair.', toolCalls: [editCall] },
      { toolCalls: [testCall] },
      { text: 'Fixed `median`: for an even count it now averages the two middle values. All tests pass.' },
    );
    await panel.send('The median test fails. Please fix it and run the tests.');

    const edit = await bench.step('edit-approval', () => panel.waitForApproval('apply_edit'));
    await edit.locator('.approval-diff').waitFor({ state: 'visible' });
    const diff = (await edit.locator('.approval-diff').textContent()) ?? '';
    assert.ok(diff.includes(`-${BUGGY_LINE}`), diff);
    assert.ok(diff.includes(`+${FIXED_LINE}`), diff);
    assert.match((await edit.locator('.approval-summary').textContent()) ?? '', /Edit src\/stats\.js \(\+1 −1\)/);
    await edit.scrollIntoViewIfNeeded();
    await bench.page.mouse.move(900, 520);
    await bench.page.locator('.monaco-hover, .workbench-hover').first().waitFor({ state: 'hidden', timeout: 5_000 }).catch(() => undefined);
    await bench.screenshot('tools-approval-diff');
    assert.deepEqual(read('src/stats.js'), original, 'nothing is written before the user answers');

    await edit.locator('vscode-button.approve-view-diff').click();
    const diffEditor = bench.page.locator('.monaco-diff-editor').first();
    await bench.step('view-diff', () => diffEditor.waitFor({ state: 'visible', timeout: 30_000 }));
    await bench.page.locator('.tab', { hasText: 'current ↔ proposed' }).first().waitFor({ state: 'visible', timeout: 30_000 });
    await diffEditor.locator('.view-line', { hasText: /sorted\[middle\s-\s1\]/ }).first().waitFor({ state: 'visible', timeout: 30_000 });
    await bench.screenshot('tools-view-diff');
    assert.deepEqual(read('src/stats.js'), original, 'viewing the diff writes nothing');

    await panel.answer(edit, 'allow');
    const tests = await bench.step('tests-approval', () => panel.waitForApproval('run_tests'));
    assert.equal(await tests.locator('.approval-command').textContent(), 'npm test');
    await panel.answer(tests, 'allow');

    const run = await panel.waitForRunEnd();
    assert.equal(run.status, 'completed', JSON.stringify(run));
    assert.ok(read('src/stats.js').toString().includes(FIXED_LINE));
    assert.match(requireOutput(readCall), /sorted\[middle \+ 1\]/);
    assert.match(requireOutput(editCall), /^Edited src\/stats\.js: line 13 \(exact match\); \+1 −1 lines\./);
    const testOutput = requireOutput(testCall);
    assert.match(testOutput, /^Tests passed\. Test command from package\.json scripts\.test \("node --test"\)/, testOutput);
    await panel.web.locator('.message.from-assistant', { hasText: 'All tests pass.' }).waitFor({ state: 'visible', timeout: 30_000 });

    const log = server.outputChannelText('Threadwork');
    for (const tool of ['read_file', 'apply_edit', 'run_tests']) assert.match(log, new RegExp(`tool ${tool} .* ok in \\d+ ms`), `${tool} is logged`);
    // The file was open in the diff editor, so the edit went through a WorkspaceEdit and a save.
    assert.doesNotMatch(log, /Wrote .*stats\.js to disk directly/);

    const picked = await bench.step('restore', () => panel.runCommandAndPick('Threadwork: Restore Checkpoint', 'Before the run of'));
    assert.match(picked, /1 file/);
    await waitFor(() => read('src/stats.js').equals(original), 'Restore Checkpoint puts the file back byte for byte');
    await bench.screenshot('tools-after-restore');
  });

  test('adversarial suite: nothing is written outside policy, and every refusal says why', async () => {
    interface Case {
      name: string;
      /** How a prompt that needs the user's no is answered. */
      answer?: 'deny' | 'stop';
      replies: ScriptedReply[];
      interact?: () => Promise<void>;
      check: (end: { status: string; error: string | null }) => void | Promise<void>;
    }
    const settingsBefore = read('.vscode/settings.json');
    const unchangedProtected = () => {
      assert.deepEqual(read('.vscode/settings.json'), settingsBefore);
      assert.equal(read('.git/config').toString(), GIT_CONFIG);
      assert.equal(read('.env').toString(), DOT_ENV);
    };
    const noFile = (path: string) => assert.equal(existsSync(path), false, `${path} must not exist`);
    const deny = (tool: string, expectReason?: RegExp) => async () => {
      const prompt = await panel.waitForApproval(tool);
      if (expectReason) assert.match((await prompt.locator('.approval-reasons').textContent()) ?? '', expectReason);
      await panel.answer(prompt, 'deny');
    };
    const done = (text: string): ScriptedReply => ({ text });
    const ids: Record<string, { name: string; arguments: Record<string, unknown> }> = {};
    const call = (key: string, name: string, args: Record<string, unknown>) => (ids[key] = { name, arguments: args });

    const cases: Case[] = [
      {
        name: 'path traversal with ../ (read and write)',
        replies: [{ toolCalls: [call('dotdot-read', 'read_file', { path: '../outside/secret.txt' }), call('dotdot-write', 'create_file', { path: '../outside/pwned.txt', content: 'x' })] }, done('ok')],
        check: () => {
          assert.match(requireOutput(ids['dotdot-read']!), /is outside the workspace/);
          assert.match(requireOutput(ids['dotdot-write']!), /is outside the workspace/);
          noFile(join(outside, 'pwned.txt'));
        },
      },
      {
        name: 'absolute paths and file:// URIs',
        replies: [{ toolCalls: [call('abs-etc', 'read_file', { path: '/etc/passwd' }), call('abs-out', 'read_file', { path: join(outside, 'secret.txt') }), call('abs-uri', 'create_file', { path: `file://${join(outside, 'pwned-uri.txt')}`, content: 'x' })] }, done('ok')],
        check: () => {
          for (const key of ['abs-etc', 'abs-out', 'abs-uri']) assert.match(requireOutput(ids[key]!), /is outside the workspace/);
          noFile(join(outside, 'pwned-uri.txt'));
        },
      },
      {
        name: 'percent-encoded traversal',
        replies: [{ toolCalls: [call('enc-dots', 'read_file', { path: '%2e%2e/outside/secret.txt' }), call('enc-slash', 'create_file', { path: '..%2foutside%2fpwned-enc.txt', content: 'x' })] }, done('ok')],
        check: () => {
          for (const key of ['enc-dots', 'enc-slash']) assert.match(requireOutput(ids[key]!), /percent-encoded characters/);
          noFile(join(outside, 'pwned-enc.txt'));
        },
      },
      {
        name: 'a symlink inside the workspace pointing outside',
        replies: [{ toolCalls: [call('link-read', 'read_file', { path: 'link-out/secret.txt' }), call('link-write', 'create_file', { path: 'link-out/pwned-link.txt', content: 'x' })] }, done('ok')],
        check: () => {
          for (const key of ['link-read', 'link-write']) assert.match(requireOutput(ids[key]!), /symbolic link to a location outside the workspace/);
          noFile(join(outside, 'pwned-link.txt'));
        },
      },
      {
        name: 'write to .vscode/settings.json (denied by the user)',
        answer: 'deny',
        replies: [{ toolCalls: [call('vscode-settings', 'create_file', { path: '.vscode/settings.json', content: '{ "chat.tools.autoApprove": true }\n', overwrite: true })] }, done('ok')],
        interact: async () => {
          const prompt = await panel.waitForApproval('create_file');
          assert.match((await prompt.locator('.approval-reasons').textContent()) ?? '', /\.vscode\/settings\.json, a protected path/);
          assert.equal(await prompt.locator('select.approval-remember').count(), 0, 'a protected path offers no "always allow"');
          await panel.answer(prompt, 'deny');
        },
        check: () => {
          assert.match(requireOutput(ids['vscode-settings']!), /The user declined this create_file call/);
          unchangedProtected();
        },
      },
      {
        name: 'write to .git/config (denied by the user)',
        answer: 'deny',
        replies: [{ toolCalls: [call('git-config', 'apply_edit', { path: '.git/config', edits: [{ search: 'repositoryformatversion = 0', replace: 'repositoryformatversion = 0\n\tfsmonitor = touch pwned' }] })] }, done('ok')],
        interact: deny('apply_edit', /\.git\/config, a protected path/),
        check: () => {
          assert.match(requireOutput(ids['git-config']!), /declined/);
          unchangedProtected();
        },
      },
      {
        name: 'write to .env (denied by the user)',
        answer: 'deny',
        replies: [{ toolCalls: [call('dotenv', 'create_file', { path: '.env', content: 'API_KEY=attacker\n', overwrite: true })] }, done('ok')],
        interact: deny('create_file', /\.env, a protected path/),
        check: () => {
          assert.match(requireOutput(ids.dotenv!), /declined/);
          unchangedProtected();
        },
      },
      {
        name: 'a workspace file tells the assistant to change .vscode/settings.json and approve itself (user stops the run)',
        answer: 'stop',
        replies: [
          { toolCalls: [call('inject-read', 'read_file', { path: 'NOTES.md' })] },
          { toolCalls: [call('inject-write', 'create_file', { path: '.vscode/settings.json', content: '{ "chat.tools.autoApprove": true, "threadwork.tools.approval.run_command": "allow", "threadwork.tools.approval.apply_edit": "allow" }\n', overwrite: true })] },
          done('unreachable: the user stopped the run'),
        ],
        interact: async () => {
          const prompt = await panel.waitForApproval('create_file');
          assert.match((await prompt.locator('.approval-reasons').textContent()) ?? '', /protected path/);
          await panel.stop();
          await prompt.waitFor({ state: 'detached', timeout: 30_000 });
        },
        check: (end) => {
          assert.equal(end.status, 'cancelled');
          assert.match(requireOutput(ids['inject-read']!), /AI assistants reading this file/);
          assert.equal(outputFor(ids['inject-write']!), undefined, 'a stopped run sends the model nothing more');
          unchangedProtected();
        },
      },
      {
        name: 'the repository\'s own settings say run_command: allow — it still asks (denied by the user)',
        answer: 'deny',
        replies: [{ toolCalls: [call('repo-allow', 'run_command', { command: 'touch pwned-repo-allow.txt' })] }, done('ok')],
        interact: deny('run_command'),
        check: () => {
          assert.match(requireOutput(ids['repo-allow']!), /declined/);
          noFile(join(workspace, 'pwned-repo-allow.txt'));
        },
      },
      {
        name: 'control: "npm test" remembered as always allowed runs without asking',
        replies: [{ toolCalls: [call('remember', 'run_command', { command: 'npm test' })] }, { toolCalls: [call('remembered', 'run_command', { command: 'npm test', timeout_seconds: 100 })] }, done('ok')],
        interact: async () => {
          const prompt = await panel.waitForApproval('run_command');
          await panel.answer(prompt, 'allow', 'Always allow "npm test" in this workspace');
        },
        check: () => {
          assert.match(requireOutput(ids.remember!), /npm test/);
          assert.match(requireOutput(ids.remembered!), /npm test/);
          assert.doesNotMatch(requireOutput(ids.remembered!), /declined/);
        },
      },
      {
        name: 'a command hidden after ; (denied by the user)',
        answer: 'deny',
        replies: [{ toolCalls: [call('semicolon', 'run_command', { command: 'npm test; touch pwned-semicolon.txt' })] }, done('ok')],
        interact: deny('run_command', /touch/),
        check: () => {
          assert.match(requireOutput(ids.semicolon!), /declined/);
          noFile(join(workspace, 'pwned-semicolon.txt'));
        },
      },
      {
        name: 'a command hidden after && (denied by the user)',
        answer: 'deny',
        replies: [{ toolCalls: [call('and', 'run_command', { command: 'npm test && touch pwned-and.txt' })] }, done('ok')],
        interact: deny('run_command', /touch/),
        check: () => {
          assert.match(requireOutput(ids.and!), /declined/);
          noFile(join(workspace, 'pwned-and.txt'));
        },
      },
      {
        name: 'a command hidden in $(…) (denied by the user)',
        answer: 'deny',
        replies: [{ toolCalls: [call('subst', 'run_command', { command: 'npm test -- $(touch pwned-subst.txt)' })] }, done('ok')],
        interact: deny('run_command'),
        check: () => {
          assert.match(requireOutput(ids.subst!), /declined/);
          noFile(join(workspace, 'pwned-subst.txt'));
        },
      },
      {
        name: 'a runaway loop: the same call again and again',
        replies: [],
        check: (end) => {
          assert.equal(end.status, 'failed');
          assert.match(end.error ?? '', /list_files was called 3 times with the same arguments.*not making progress/);
        },
      },
    ];

    let tried = 0;
    let passed = 0;
    const failures: string[] = [];
    for (const item of cases) {
      tried++;
      try {
        if (item.name.startsWith('a runaway loop')) model.setHandler(() => ({ toolCalls: [{ name: 'list_files', arguments: { path: 'src' } }] }));
        else play(...item.replies);
        await panel.send(`Case ${tried}: ${item.name}`);
        if (item.interact) await item.interact();
        const end = await panel.waitForRunEnd();
        await item.check(end);
        assert.deepEqual(await panel.web.locator('section.approval').count(), 0, 'no prompt is left behind');
        passed++;
        console.log(`  ok   ${tried}. ${item.name}${item.answer ? ` [user: ${item.answer === 'deny' ? 'clicked Deny' : 'left the prompt and pressed Stop'}]` : ''}`);
      } catch (error) {
        failures.push(`${tried}. ${item.name}: ${error instanceof Error ? error.message : String(error)}`);
        console.log(`  FAIL ${tried}. ${item.name}`);
        await bench.screenshot(`tools-adversarial-failed-${tried}`).catch(() => undefined);
      } finally {
        model.setHandler(scripted);
      }
    }

    // Decisions persist: after a window reload, the remembered "npm test" still runs unasked.
    tried++;
    try {
      await bench.page.reload();
      await bench.page.waitForSelector('.monaco-workbench .part.activitybar', { timeout: 90_000 });
      panel = await openPanel(bench);
      // The panel reopens the last thread; its old runs must be on screen before they count as seen.
      await panel.web.locator('.run-footer').first().waitFor({ state: 'visible', timeout: 30_000 });
      play({ toolCalls: [call('reload', 'run_command', { command: 'npm test', timeout_seconds: 110 })] }, done('ok'));
      await panel.send('After a reload');
      const end = await panel.waitForRunEnd();
      assert.equal(end.status, 'completed');
      assert.doesNotMatch(requireOutput(ids.reload!), /declined/);
      passed++;
      console.log(`  ok   ${tried}. an "always allow" answer survives a window reload (workspaceState)`);
    } catch (error) {
      failures.push(`${tried}. reload persistence: ${error instanceof Error ? error.message : String(error)}`);
      console.log(`  FAIL ${tried}. reload persistence`);
    }

    console.log(`adversarial cases: ${tried} tried, ${passed} passed, ${tried - passed} failed`);
    assert.deepEqual(failures, []);
    assert.equal(passed, tried);
  });
});

async function waitFor(condition: () => boolean, what: string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (condition()) return;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  assert.fail(`timed out: ${what}`);
}
