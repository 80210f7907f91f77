/**
 * A helper extension for bench:activation that explains VS Code's activation figure. It does not
 * activate at startup (so it changes nothing it measures): the bench runs its command once a window
 * has settled, and it writes what the extension host knows to a JSON file in its global storage:
 *   - the "Extension Activation Stats" of Developer: Startup Performance (load code, call activate,
 *     finish activate per extension: the two numbers Running Extensions adds up, apart);
 *   - the extension host's raw performance marks (`code/extHost/willLoadExtensionCode/<id>` …), so
 *     each extension's clock can be laid on one timeline next to the others running at that moment.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export const PROBE_ID = 'threadwork-bench.activation-probe';
export const PROBE_COMMAND_TITLE = 'Activation Probe: Record Startup Performance';

/** One extension's row of Developer: Startup Performance, in ms. */
export interface ActivationStat {
  id: string;
  startup: boolean;
  loadCode: number;
  callActivate: number;
  finishActivate: number;
  event: string;
}

export interface ProbeRecord {
  stats: ActivationStat[];
  /** The extension host's marks, ms since its time origin (absolute, in ms since the epoch). */
  marks: { name: string; startTime: number }[];
}

// The probe's own code: plain CommonJS, run by the extension host.
const probeSource = `const vscode = require('vscode');
const { mkdirSync, writeFileSync } = require('node:fs');
const { join } = require('node:path');
exports.activate = function activate(context) {
  context.subscriptions.push(vscode.commands.registerCommand('activationProbe.record', async () => {
    await vscode.commands.executeCommand('perfview.show');
    let text = '';
    for (let tries = 0; tries < 100 && !/Extension Activation Stats/.test(text); tries++) {
      const doc = vscode.workspace.textDocuments.find((d) => d.uri.scheme === 'perf');
      text = doc ? doc.getText() : '';
      if (!/Extension Activation Stats/.test(text)) await new Promise((r) => setTimeout(r, 100));
    }
    const marks = globalThis.MonacoPerformanceMarks ? globalThis.MonacoPerformanceMarks.getMarks() : [];
    const dir = context.globalStorageUri.fsPath;
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'record-' + Date.now() + '.json'), JSON.stringify({ text, marks }));
  }));
};
exports.deactivate = function deactivate() {};
`;

/** Packages the probe into `dir` and returns its VSIX; `packageExtension` is the bench's vsce call. */
export function probeExtension(dir: string, packageExtension: (folder: string, out: string) => void): string {
  const folder = join(dir, 'probe');
  mkdirSync(folder, { recursive: true });
  writeFileSync(join(folder, 'package.json'), JSON.stringify({
    name: 'activation-probe', displayName: 'Activation Probe', publisher: 'threadwork-bench', version: '0.0.1', license: 'MIT',
    engines: { vscode: '^1.101.0' }, main: './extension.js', activationEvents: [],
    contributes: { commands: [{ command: 'activationProbe.record', title: PROBE_COMMAND_TITLE }] },
  }, null, 2));
  writeFileSync(join(folder, 'extension.js'), probeSource);
  writeFileSync(join(folder, 'README.md'), '# Activation probe\n\nRecords Developer: Startup Performance for bench:activation.\n');
  writeFileSync(join(folder, '.vscodeignore'), '');
  const vsix = join(dir, 'probe.vsix');
  packageExtension(folder, vsix);
  return vsix;
}

/** Installs a VSIX with code-server's CLI into a server's directories (as the bench does for the floor). */
export function installBeside(codeServerEntry: string, dirs: { userDataDir: string; extensionsDir: string }, env: NodeJS.ProcessEnv, vsix: string): void {
  execFileSync(process.execPath, [codeServerEntry, '--user-data-dir', dirs.userDataDir, '--extensions-dir', dirs.extensionsDir, '--install-extension', vsix], { stdio: 'pipe', env });
}

/** Rows of the "Extension Activation Stats" markdown table. */
function parseStats(text: string): ActivationStat[] {
  const section = text.split(/^## Extension Activation Stats/m)[1]?.split(/^## /m)[0] ?? '';
  const stats: ActivationStat[] = [];
  for (const line of section.split('\n')) {
    const cells = line.split('|').map((cell) => cell.trim());
    // | id | eager | load | call | finish | event | by |
    if (cells.length < 8 || !/^\d+$/.test(cells[3] ?? '')) continue;
    stats.push({ id: cells[1]!, startup: cells[2] === 'true', loadCode: Number(cells[3]), callActivate: Number(cells[4]), finishActivate: Number(cells[5]), event: cells[6]! });
  }
  return stats;
}

/** Waits for the record the probe writes after `since` (ms since the epoch), and removes it. */
export async function readProbeRecord(userDataDir: string, since: number, timeoutMs = 30_000): Promise<ProbeRecord | undefined> {
  const dir = join(userDataDir, 'User', 'globalStorage', PROBE_ID);
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const file = existsSync(dir) ? readdirSync(dir).find((name) => name.startsWith('record-') && Number(name.slice(7, -5)) >= since) : undefined;
    if (file) {
      const raw = JSON.parse(readFileSync(join(dir, file), 'utf8')) as { text: string; marks: ProbeRecord['marks'] };
      rmSync(join(dir, file), { force: true });
      return { stats: parseStats(raw.text), marks: raw.marks };
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  return undefined;
}

/** VS Code's figure for one extension in one window, taken apart. */
export interface ActivationSplit {
  /** Load code: from the start of its clock (before VS Code awaits localization) to its `require` returning. */
  loadCode: number;
  /** The part of `loadCode` spent in this extension's own `require` (between its two marks). */
  ownRequire: number;
  /** The synchronous part of `activate()`. */
  callActivate: number;
  /** Until the promise `activate()` returned settled: not part of VS Code's figure. */
  finishActivate: number;
  /** Extensions whose `require` ran while this one's clock was waiting (their own marks), in order. */
  loadedMeanwhile: { id: string; ms: number }[];
}

export function splitOf(record: ProbeRecord, id: string): ActivationSplit | undefined {
  const stat = record.stats.find((row) => row.id === id);
  if (!stat) return undefined;
  const mark = (name: string, of: string) => record.marks.find((entry) => entry.name === `code/extHost/${name}/${of}`)?.startTime;
  const willLoad = mark('willLoadExtensionCode', id);
  const didLoad = mark('didLoadExtensionCode', id);
  const ownRequire = willLoad !== undefined && didLoad !== undefined ? didLoad - willLoad : 0;
  // The clock started `loadCode` ms before its require returned; every other require inside that window ran on it.
  const clockStart = (didLoad ?? 0) - stat.loadCode;
  const loadedMeanwhile: ActivationSplit['loadedMeanwhile'] = [];
  for (const entry of record.marks) {
    const other = /^code\/extHost\/willLoadExtensionCode\/(.+)$/.exec(entry.name)?.[1];
    if (!other || other === id || entry.startTime < clockStart || entry.startTime >= (willLoad ?? 0)) continue;
    const end = mark('didLoadExtensionCode', other);
    if (end !== undefined) loadedMeanwhile.push({ id: other, ms: end - entry.startTime });
  }
  return { loadCode: stat.loadCode, ownRequire, callActivate: stat.callActivate, finishActivate: stat.finishActivate, loadedMeanwhile };
}
