// A throwaway code-server (a real VS Code, served to a browser) for end-to-end tests and `npm start`.
// Every server gets its own user-data, extensions, XDG and temp directories, so runs never see each
// other's state, and runs in its own process group, so stopping it also stops the extension host
// and file watcher it forked.
import { spawn, execFile, type ChildProcess } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, openSync, closeSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { assertCodeServerInstalled, codeServerEntry, logDir } from './paths.ts';

export { launchWorkbench, type Workbench, type WorkbenchOptions } from './workbench.ts';
export { extensionId, packagedVsix, repoRoot, sampleWorkspace, screenshotDir, testOutputDir } from './paths.ts';

const run = promisify(execFile);

/** Settings that keep the workbench quiet and offline: no welcome page, chat, update or gallery calls. */
export const quietSettings: Readonly<Record<string, unknown>> = {
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'workbench.secondarySideBar.defaultVisibility': 'hidden',
  'chat.disableAIFeatures': true,
  'extensions.autoUpdate': false,
  'extensions.autoCheckUpdates': false,
  'extensions.ignoreRecommendations': true,
  'update.mode': 'none',
  'telemetry.telemetryLevel': 'off',
  'security.workspace.trust.enabled': false,
  'git.openRepositoryInParentFolders': 'never',
};

export interface CodeServerOptions {
  /** Names the log folder under .test-output/logs/. */
  name: string;
  /** A .vsix to install before the server starts. */
  vsix?: string;
  /** User settings on top of quietSettings. */
  settings?: Record<string, unknown>;
  /** Extra environment for the server and the extension host it forks. */
  env?: Record<string, string>;
  /** Options passed straight to VS Code (`--vscode-option`), e.g. 'enable-smoke-test-driver'. */
  vscodeOptions?: string[];
  /** Listen on this port instead of a free one. */
  port?: number;
  /** Use these instead of fresh throwaway directories (they are then not deleted on stop). */
  userDataDir?: string;
  extensionsDir?: string;
}

export interface CodeServer {
  readonly url: string;
  readonly port: number;
  readonly userDataDir: string;
  readonly extensionsDir: string;
  /** Everything code-server printed so far. */
  serverLog(): string;
  /** Replaces the user settings (quietSettings + given); the running workbench picks the change up. */
  writeSettings(settings: Record<string, unknown>): void;
  readSettings(): Record<string, unknown>;
  /** `publisher.name@version` for each installed extension. */
  listExtensions(): Promise<string[]>;
  /** The text an extension's log output channel has written (read from the extension host's log files). */
  outputChannelText(channel: string, extension?: string): string;
  /** The remote extension host's own log: which extensions activated, and activation errors. */
  extensionHostLog(): string;
  /** Stops the whole process group, copies logs to .test-output/logs/<name>/, deletes the throwaway dirs. */
  stop(): Promise<void>;
}

const live = new Set<ChildProcess>();
let exitHookInstalled = false;

function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    // The group is already gone.
  }
}

function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  // A test file that crashes must not leave a server (and its extension host) running.
  process.once('exit', () => {
    for (const child of live) killGroup(child, 'SIGKILL');
  });
}

export async function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolvePort(port));
    });
  });
}

/** The environment code-server runs with: XDG and temp dirs inside `home`, nothing leaking from a parent VS Code. */
function serverEnv(home: string, extra: Record<string, string> | undefined): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const key of Object.keys(env)) {
    if (key.startsWith('VSCODE_IPC_HOOK') || key === 'ELECTRON_RUN_AS_NODE') delete env[key];
  }
  for (const sub of ['config', 'data', 'cache', 'tmp']) mkdirSync(join(home, sub), { recursive: true });
  return {
    ...env,
    XDG_CONFIG_HOME: join(home, 'config'),
    XDG_DATA_HOME: join(home, 'data'),
    XDG_CACHE_HOME: join(home, 'cache'),
    TMPDIR: join(home, 'tmp'),
    ...extra,
  };
}

function codeServerArgs(userDataDir: string, extensionsDir: string): string[] {
  return [codeServerEntry, '--user-data-dir', userDataDir, '--extensions-dir', extensionsDir];
}

/** Installs a VSIX into an extensions dir with code-server's own CLI (no server needed, works offline). */
export async function installVsix(vsix: string, dirs: { userDataDir: string; extensionsDir: string; env: NodeJS.ProcessEnv }): Promise<void> {
  if (!existsSync(vsix)) throw new Error(`${vsix} does not exist; run: npm run package`);
  const { stdout, stderr } = await run(process.execPath, [...codeServerArgs(dirs.userDataDir, dirs.extensionsDir), '--force', '--install-extension', vsix], { env: dirs.env });
  if (!/successfully installed/i.test(stdout + stderr)) {
    throw new Error(`installing ${vsix} printed no success line:\n${stdout}\n${stderr}`);
  }
}

async function waitUntilHealthy(url: string, child: ChildProcess, log: () => string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`code-server exited (${child.exitCode ?? child.signalCode}) before it was healthy:\n${log()}`);
    }
    try {
      const response = await fetch(`${url}/healthz`);
      await response.body?.cancel();
      if (response.ok) return;
    } catch {
      // Not listening yet.
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`code-server was not healthy after ${timeoutMs} ms:\n${log()}`);
}

function findFiles(dir: string, fileName: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((relative) => relative === fileName || relative.endsWith(`/${fileName}`))
    .map((relative) => join(dir, relative));
}

export async function startCodeServer(options: CodeServerOptions): Promise<CodeServer> {
  assertCodeServerInstalled();
  installExitHook();
  // The short temp path matters: VS Code puts unix sockets in TMPDIR, and socket paths are limited to 107 bytes.
  const home = mkdtempSync(join(tmpdir(), 'tw-cs-'));
  const userDataDir = options.userDataDir ?? join(home, 'user-data');
  const extensionsDir = options.extensionsDir ?? join(home, 'extensions');
  mkdirSync(join(userDataDir, 'User'), { recursive: true });
  mkdirSync(extensionsDir, { recursive: true });
  const env = serverEnv(home, options.env);
  const settingsFile = join(userDataDir, 'User', 'settings.json');
  const writeSettings = (settings: Record<string, unknown>): void => {
    writeFileSync(settingsFile, JSON.stringify({ ...quietSettings, ...settings }, null, 2));
  };
  writeSettings(options.settings ?? {});

  if (options.vsix) await installVsix(options.vsix, { userDataDir, extensionsDir, env });

  const logFile = join(home, 'code-server.log');
  const serverLog = (): string => (existsSync(logFile) ? readFileSync(logFile, 'utf8') : '');
  const vscodeOptions = (options.vscodeOptions ?? []).flatMap((option) => ['--vscode-option', option]);

  let child: ChildProcess | undefined;
  let port = 0;
  let url = '';
  // A port found free can be taken before code-server binds it; one retry covers that race.
  for (let attempt = 1; ; attempt++) {
    port = options.port ?? (await freePort());
    url = `http://127.0.0.1:${port}`;
    const out = openSync(logFile, 'a');
    child = spawn(process.execPath, [
      ...codeServerArgs(userDataDir, extensionsDir),
      '--bind-addr', `127.0.0.1:${port}`, '--auth', 'none',
      '--disable-telemetry', '--disable-update-check', '--disable-workspace-trust',
      '--disable-getting-started-override', '--ignore-last-opened',
      ...vscodeOptions,
    ], { env, detached: true, stdio: ['ignore', out, out] });
    closeSync(out);
    live.add(child);
    try {
      await waitUntilHealthy(url, child, serverLog, 60_000);
      break;
    } catch (error) {
      killGroup(child, 'SIGKILL');
      live.delete(child);
      if (attempt >= 2 || options.port !== undefined || !/EADDRINUSE/.test(serverLog())) {
        rmSync(home, { recursive: true, force: true });
        throw error;
      }
    }
  }
  const server = child;

  const stop = async (): Promise<void> => {
    if (live.has(server)) {
      const exited = new Promise<void>((r) => {
        if (server.exitCode !== null || server.signalCode !== null) r();
        else server.once('exit', () => r());
      });
      killGroup(server, 'SIGTERM');
      const timer = setTimeout(() => killGroup(server, 'SIGKILL'), 5_000);
      await exited;
      clearTimeout(timer);
      // Children that ignored SIGTERM (the file watcher, an extension host) go with the group.
      killGroup(server, 'SIGKILL');
      live.delete(server);
    }
    const keep = join(logDir, options.name);
    rmSync(keep, { recursive: true, force: true });
    mkdirSync(keep, { recursive: true });
    if (existsSync(logFile)) cpSync(logFile, join(keep, 'code-server.log'));
    if (existsSync(join(userDataDir, 'logs'))) cpSync(join(userDataDir, 'logs'), join(keep, 'vscode'), { recursive: true });
    rmSync(home, { recursive: true, force: true });
  };

  return {
    url,
    port,
    userDataDir,
    extensionsDir,
    serverLog,
    writeSettings,
    readSettings: () => JSON.parse(readFileSync(settingsFile, 'utf8')) as Record<string, unknown>,
    listExtensions: async () => {
      const { stdout } = await run(process.execPath, [...codeServerArgs(userDataDir, extensionsDir), '--list-extensions', '--show-versions'], { env });
      return stdout.split('\n').map((line) => line.trim()).filter((line) => /^[\w-]+\.[\w-]+@/.test(line));
    },
    outputChannelText: (channel, extension) => {
      const files = findFiles(join(userDataDir, 'logs'), `${channel}.log`)
        .filter((file) => extension === undefined || file.includes(`/${extension}/`));
      return files.map((file) => readFileSync(file, 'utf8')).join('');
    },
    extensionHostLog: () => findFiles(join(userDataDir, 'logs'), 'remoteexthost.log').map((file) => readFileSync(file, 'utf8')).join(''),
    stop,
  };
}
