// Runs INSIDE code-server's extension host (loaded through --extensionTestsPath), with the real
// `vscode` API. Bundled to CommonJS by test/integration/extensionHost.test.ts. A tiny runner instead
// of mocha: each check is a named async function; results go to the console (which the shim
// relays) and to the JSON file named by THREADWORK_HOST_RESULTS, and a failure rejects run().
import * as vscode from 'vscode';
import { writeFileSync } from 'node:fs';
import { isDeepStrictEqual } from 'node:util';

const extensionId = 'threadwork.threadwork';

interface ContributedSetting { default?: unknown }
interface Contributes {
  commands?: { command: string }[];
  configuration?: { properties?: Record<string, ContributedSetting> }[] | { properties?: Record<string, ContributedSetting> };
}

function ourExtension(): vscode.Extension<unknown> {
  const extension = vscode.extensions.getExtension(extensionId);
  if (!extension) throw new Error(`${extensionId} is not among the ${vscode.extensions.all.length} extensions the host knows`);
  return extension;
}

function contributes(): Contributes {
  return (ourExtension().packageJSON as { contributes?: Contributes }).contributes ?? {};
}

const checks: [string, () => Promise<void>][] = [
  ['the extension is present and activates', async () => {
    const extension = ourExtension();
    await extension.activate();
    if (!extension.isActive) throw new Error('activate() resolved but isActive is false');
  }],
  ['the host runs a Node with node:sqlite (the store needs it)', async () => {
    const major = Number(process.versions.node.split('.')[0]);
    if (major < 22) throw new Error(`extension host Node is ${process.version}`);
    await import('node:sqlite');
  }],
  ['every contributed command is registered', async () => {
    const declared = (contributes().commands ?? []).map((c) => c.command);
    if (declared.length === 0) throw new Error('the manifest contributes no commands');
    const registered = new Set(await vscode.commands.getCommands(true));
    const missing = declared.filter((id) => !registered.has(id));
    if (missing.length > 0) throw new Error(`declared but not registered after activation: ${missing.join(', ')}`);
  }],
  ['every contributed setting reads back its declared default', async () => {
    const raw = contributes().configuration ?? [];
    const sections = Array.isArray(raw) ? raw : [raw];
    const wrong: string[] = [];
    for (const section of sections) {
      for (const [key, setting] of Object.entries(section.properties ?? {})) {
        const seen = vscode.workspace.getConfiguration().inspect(key)?.defaultValue;
        if (setting.default !== undefined && !isDeepStrictEqual(seen, setting.default)) {
          wrong.push(`${key}: declared ${JSON.stringify(setting.default)}, got ${JSON.stringify(seen)}`);
        }
      }
    }
    if (wrong.length > 0) throw new Error(wrong.join('; '));
  }],
  ['the workspace folder given on the command line is open', async () => {
    const expected = process.env['THREADWORK_EXPECTED_FOLDER'];
    const folders = (vscode.workspace.workspaceFolders ?? []).map((f) => f.uri.path);
    if (!expected || !folders.includes(expected)) throw new Error(`expected ${expected}, open: ${folders.join(', ') || 'none'}`);
  }],
];

export async function run(): Promise<void> {
  const results: { name: string; ok: boolean; error?: string; ms: number }[] = [];
  for (const [name, check] of checks) {
    const started = Date.now();
    try {
      await check();
      results.push({ name, ok: true, ms: Date.now() - started });
      console.log(`  ok   ${name}`);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      results.push({ name, ok: false, error: message, ms: Date.now() - started });
      console.log(`  FAIL ${name}: ${message}`);
    }
  }
  const failed = results.filter((r) => !r.ok).length;
  console.log(`in-host suite: ${results.length - failed} passed, ${failed} failed`);
  const out = process.env['THREADWORK_HOST_RESULTS'];
  if (out) writeFileSync(out, JSON.stringify({ node: process.version, vscode: vscode.version, results }, null, 2));
  if (failed > 0) throw new Error(`${failed} in-host check(s) failed`);
}
