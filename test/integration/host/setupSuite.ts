// Runs INSIDE code-server's extension host (through --extensionTestsPath) with the real `vscode` API,
// in two phases on two profiles (THREADWORK_SETUP_PHASE). "first": every command registered with
// its `when` clauses, setting defaults, the API key through SecretStorage (per endpoint), an editor
// action answered by the scripted model, the local API server, and exports written to
// THREADWORK_TRANSFER_DIR. "fresh": a new profile imports that export and exports it again, so the
// outer test (test/integration/setupCommands.test.ts) can compare message by message.
// Bundled to CommonJS by the outer test; results go to THREADWORK_HOST_RESULTS.
import * as vscode from 'vscode';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { COMMAND_TABLE, COMMANDS, commandContributions, CONTEXT_KEYS, EDITOR_SUBMENU, keybindingContributions, menuContributions } from '../../../src/vscode/commands/commandTable.ts';
import { SETUP_SETTINGS } from '../../../src/vscode/setup/setupSettings.ts';

const extensionId = 'threadwork.threadwork';
const phase = process.env['THREADWORK_SETUP_PHASE'] ?? 'first';
const transferDir = process.env['THREADWORK_TRANSFER_DIR'] ?? '';
const modelUrl = process.env['THREADWORK_MODEL_URL'] ?? '';
const apiKey = process.env['THREADWORK_TEST_KEY'] ?? '';
const MODEL = 'scripted-chat-model';

interface PackageJson {
  contributes: {
    commands: Array<{ command: string }>;
    menus: Record<string, Array<{ command?: string; submenu?: string; when?: string; group?: string }>>;
    keybindings: Array<{ command: string; key: string; mac?: string; when?: string }>;
    views?: Record<string, Array<{ id: string }>>;
  };
}

interface ArchiveFile {
  threads: Array<{ thread: { metadata: Record<string, string> }; messages: Array<{ role: string; created_at: number; status: string; content: unknown[] }> }>;
}

function manifest(): PackageJson {
  const extension = vscode.extensions.getExtension(extensionId);
  if (!extension) throw new Error(`${extensionId} is not installed in this host`);
  return extension.packageJSON as PackageJson;
}

function check(condition: unknown, message: string): asserts condition {
  if (!condition) throw new Error(message);
}

async function waitFor<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/**
 * A remote extension host hands the manifest over with each `when` clause parsed and printed
 * again: terms reordered, and `resourceScheme == file` written as the remote scheme (VS Code maps
 * local-file clauses for workspace extensions). Compared as sets of terms with that mapping undone.
 */
function normalizeWhen<T extends { when?: string }>(entry: T): T {
  if (!entry.when) return entry;
  const terms = entry.when.split('&&').map((term) => term.trim().replace(/^resourceScheme == '?vscode-remote'?$/, 'resourceScheme == file')).sort();
  return { ...entry, when: terms.join(' && ') };
}

function readArchive(file: string): ArchiveFile {
  return JSON.parse(readFileSync(file, 'utf8')) as ArchiveFile;
}

/** Asks Explain Selection about a function of the sample workspace and waits for the answer. */
async function explainAndWait(label: string): Promise<{ threadId: string; archive: ArchiveFile }> {
  const folder = vscode.workspace.workspaceFolders?.[0];
  check(folder, 'no workspace folder is open');
  const document = await vscode.workspace.openTextDocument(vscode.Uri.joinPath(folder.uri, 'src', 'invoice.js'));
  const editor = await vscode.window.showTextDocument(document);
  editor.selection = new vscode.Selection(3, 0, 9, 0);
  const result = await vscode.commands.executeCommand<{ threadId: string; runId: string } | undefined>(COMMANDS.explainSelection);
  check(result?.threadId, 'Explain Selection started no run (is a model set up?)');
  const file = join(transferDir, `${label}.json`);
  const archive = await waitFor(`the answer in ${result.threadId}`, async () => {
    await vscode.commands.executeCommand(COMMANDS.exportThread, { threadIds: [result.threadId], format: 'json', uri: vscode.Uri.file(file).toString() });
    const read = readArchive(file);
    const answer = read.threads[0]?.messages.find((message) => message.role === 'assistant');
    return answer?.status === 'completed' ? read : undefined;
  });
  return { threadId: result.threadId, archive };
}

const firstPhase: Array<[string, () => Promise<void>]> = [
  ['the extension activates', async () => {
    const extension = vscode.extensions.getExtension(extensionId);
    await extension?.activate();
    check(extension?.isActive, 'not active after activate()');
  }],
  ['every command of the table is registered, and every registered threadwork command is contributed', async () => {
    const registered = new Set(await vscode.commands.getCommands(true));
    const missing = Object.keys(COMMAND_TABLE).filter((id) => !registered.has(id));
    check(missing.length === 0, `declared but not registered: ${missing.join(', ')}`);
    const contributed = new Set(manifest().contributes.commands.map((entry) => entry.command));
    // VS Code itself registers focus/visibility commands for each view and container; they are not ours to declare.
    const views = Object.values(manifest().contributes.views ?? {}).flat().map((view) => view.id);
    const isViewCommand = (id: string) => views.some((view) => id.startsWith(`${view}.`) && /\.(focus|resetViewLocation|toggleVisibility|removeView|open)$/.test(id));
    const undeclared = [...registered].filter((id) => id.startsWith('threadwork.') && !isViewCommand(id) && !contributed.has(id));
    check(undeclared.length === 0, `registered but not contributed: ${undeclared.join(', ')}`);
  }],
  ['the installed manifest carries the table: commands, every menu entry with its when clause, keybindings', async () => {
    const contributes = manifest().contributes;
    for (const expected of commandContributions()) {
      check(isDeepStrictEqual(contributes.commands.find((entry) => entry.command === expected.command), expected), `command ${expected.command}`);
    }
    for (const [menu, entries] of Object.entries(menuContributions())) {
      const actual = (contributes.menus[menu] ?? []).filter((entry) => (entry.command && entry.command in COMMAND_TABLE) || entry.submenu === EDITOR_SUBMENU);
      check(isDeepStrictEqual(actual.map(normalizeWhen), entries.map(normalizeWhen)), `menu ${menu}: ${JSON.stringify(actual)}`);
    }
    const bindings = contributes.keybindings.filter((binding) => binding.command in COMMAND_TABLE);
    check(isDeepStrictEqual(bindings, keybindingContributions()), `keybindings: ${JSON.stringify(bindings)}`);
  }],
  ['setup settings read back their declared defaults', async () => {
    const wrong: string[] = [];
    for (const [key, schema] of Object.entries(SETUP_SETTINGS)) {
      const seen = vscode.workspace.getConfiguration().inspect(key)?.defaultValue;
      if (!isDeepStrictEqual(seen, schema.default)) wrong.push(`${key}: ${JSON.stringify(seen)}`);
    }
    check(wrong.length === 0, wrong.join('; '));
    check(vscode.workspace.getConfiguration('threadwork.provider').get('model') === '', 'a fresh profile has no model');
  }],
  ['Select Model stores the key in SecretStorage (not in settings) and runs use it; another endpoint never gets it', async () => {
    check(modelUrl && apiKey, 'THREADWORK_MODEL_URL and THREADWORK_TEST_KEY are required');
    const configured = await vscode.commands.executeCommand<boolean>(COMMANDS.selectModel, { kind: 'chat-completions', baseUrl: modelUrl, model: MODEL, apiKey });
    check(configured === true, 'Select Model did not configure');
    const provider = vscode.workspace.getConfiguration('threadwork.provider');
    check(provider.get('baseUrl') === modelUrl && provider.get('model') === MODEL && provider.get('kind') === 'chat-completions', 'provider settings not written');
    const inspected = JSON.stringify(vscode.workspace.getConfiguration('threadwork').inspect('provider'));
    check(!inspected.includes(apiKey), 'the key is in settings');
    const { archive } = await explainAndWait('with-key');
    const question = JSON.stringify(archive.threads[0]?.messages[0]?.content);
    check(question.includes('return line.unitCents * line.quantity;'), 'the question lacks the selection');
    // The same server under another origin: a keyless endpoint must not receive the stored key.
    const otherOrigin = modelUrl.replace('127.0.0.1', 'localhost');
    check(await vscode.commands.executeCommand<boolean>(COMMANDS.selectModel, { kind: 'chat-completions', baseUrl: otherOrigin, model: MODEL, probe: false }) === true, 'switch to localhost failed');
    await explainAndWait('other-origin');
    // Back to the first endpoint without giving the key: it comes back out of SecretStorage.
    check(await vscode.commands.executeCommand<boolean>(COMMANDS.selectModel, { kind: 'chat-completions', baseUrl: modelUrl, model: MODEL, probe: false }) === true, 'switch back failed');
    await explainAndWait('key-restored');
  }],
  ['Export Thread writes Markdown and JSON; Import Threads reads what the Assistants API listed', async () => {
    const { threadId } = await explainAndWait('export');
    const markdownFile = join(transferDir, 'export.md');
    await vscode.commands.executeCommand(COMMANDS.exportThread, { threadIds: [threadId], format: 'markdown', uri: vscode.Uri.file(markdownFile).toString() });
    const markdown = readFileSync(markdownFile, 'utf8');
    check(/^# Explain `src\/invoice\.js` lines 4–9\n/.test(markdown), `markdown title: ${markdown.slice(0, 80)}`);
    check(markdown.includes(`## Assistant (${MODEL})`), 'markdown names the model');
    const v2File = join(transferDir, 'assistants-v2.json');
    writeFileSync(v2File, JSON.stringify({ object: 'list', data: [
      { id: 'msg_2', object: 'thread.message', created_at: 1_700_000_100, thread_id: 'thread_saved', role: 'assistant', content: [{ type: 'text', text: { value: 'Saved answer', annotations: [] } }], assistant_id: 'asst_x', run_id: 'run_x', attachments: [], metadata: {} },
      { id: 'msg_1', object: 'thread.message', created_at: 1_700_000_000, thread_id: 'thread_saved', role: 'user', content: [{ type: 'text', text: { value: 'Saved question', annotations: [] } }], assistant_id: null, run_id: null, attachments: [], metadata: {} },
    ], first_id: 'msg_2', last_id: 'msg_1', has_more: false }));
    const report = await vscode.commands.executeCommand<{ threadIds: string[]; messages: number }>(COMMANDS.importThreads, { uri: vscode.Uri.file(v2File).toString() });
    check(report?.threadIds.length === 1 && report.messages === 2, `import report ${JSON.stringify(report)}`);
    const back = join(transferDir, 'v2-reexport.json');
    await vscode.commands.executeCommand(COMMANDS.exportThread, { threadIds: report.threadIds, format: 'json', uri: vscode.Uri.file(back).toString() });
    const texts = readArchive(back).threads[0]?.messages.map((message) => `${message.role}:${JSON.stringify(message.content)}`) ?? [];
    check(texts.length === 2 && texts[0]!.startsWith('user:') && texts[0]!.includes('Saved question') && texts[1]!.includes('Saved answer'), `order after import: ${texts.join(' | ')}`);
  }],
  ['Start Local API Server serves the Assistants API with its token, and Stop ends it', async () => {
    const info = await vscode.commands.executeCommand<{ url: string; token: string } | undefined>(COMMANDS.startServer, { port: 0, quiet: true });
    check(info !== undefined && info.url.startsWith('http://127.0.0.1:') && info.token.startsWith('tw-'), `server info ${JSON.stringify(info)}`);
    const headers = { 'OpenAI-Beta': 'assistants=v2', 'Content-Type': 'application/json' };
    const refused = await fetch(`${info.url}/assistants`, { headers });
    check(refused.status === 401, `without the token: ${refused.status}`);
    const created = await fetch(`${info.url}/assistants`, { method: 'POST', headers: { ...headers, Authorization: `Bearer ${info.token}` }, body: JSON.stringify({ model: 'gpt-4o', name: 'From an app' }) });
    const body = await created.text();
    check(created.status === 200, `create assistant: ${created.status} ${body}`);
    const assistant = JSON.parse(body) as { id: string; object: string };
    check(assistant.object === 'assistant' && assistant.id.startsWith('asst_'), JSON.stringify(assistant));
    const again = await vscode.commands.executeCommand<{ url: string } | undefined>(COMMANDS.startServer, { quiet: true });
    check(again?.url === info.url, 'a second start reuses the running server');
    check(await vscode.commands.executeCommand<boolean>(COMMANDS.stopServer) === true, 'stop reported nothing to stop');
    const afterStop = await fetch(`${info.url}/assistants`, { headers }).then(() => 'answered', () => 'refused');
    check(afterStop === 'refused', 'the server still answers after Stop');
    check(CONTEXT_KEYS.serverRunning === 'threadwork.serverRunning', 'context key name');
  }],
];

const freshPhase: Array<[string, () => Promise<void>]> = [
  ['a fresh profile has no model and no threads, and imports the export', async () => {
    await vscode.extensions.getExtension(extensionId)?.activate();
    check(vscode.workspace.getConfiguration('threadwork.provider').get('model') === '', 'the fresh profile already has a model');
    const report = await vscode.commands.executeCommand<{ threadIds: string[]; messages: number }>(COMMANDS.importThreads, { uri: vscode.Uri.file(join(transferDir, 'export.json')).toString() });
    check(report?.threadIds.length === 1, `import report ${JSON.stringify(report)}`);
    await vscode.commands.executeCommand(COMMANDS.exportThread, { threadIds: report.threadIds, format: 'json', uri: vscode.Uri.file(join(transferDir, 'reimported.json')).toString() });
  }],
];

export async function run(): Promise<void> {
  const checks = phase === 'fresh' ? freshPhase : firstPhase;
  const results: { name: string; ok: boolean; error?: string; ms: number }[] = [];
  for (const [name, body] of checks) {
    const started = Date.now();
    try {
      await body();
      results.push({ name, ok: true, ms: Date.now() - started });
      console.log(`  ok   ${name}`);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      results.push({ name, ok: false, error: message, ms: Date.now() - started });
      console.log(`  FAIL ${name}: ${message}`);
    }
  }
  const failed = results.filter((result) => !result.ok).length;
  console.log(`setup suite (${phase}): ${results.length - failed} passed, ${failed} failed`);
  const out = process.env['THREADWORK_HOST_RESULTS'];
  if (out) writeFileSync(out, JSON.stringify({ phase, vscode: vscode.version, results }, null, 2));
  if (failed > 0) throw new Error(`${failed} in-host check(s) failed`);
}
