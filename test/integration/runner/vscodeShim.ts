// The VS Code "executable" for @vscode/test-electron, backed by code-server: it accepts Electron
// VS Code's test arguments (--extensionTestsPath=, --extensionDevelopmentPath=, --user-data-dir=,
// --extensions-dir=, a folder), starts code-server with the smoke-test driver enabled (the only
// way a built workbench honours extension-development options from the URL), opens the workbench
// in headless Chromium with those options as its `payload`, relays the test output, and exits
// with the code the extension host reports through `codeAutomationExit`.
import { format } from 'node:util';
import { resolve } from 'node:path';
import { launchWorkbench, startCodeServer, type CodeServer, type Workbench } from '../../e2e/support/codeServer.ts';

interface ShimArgs {
  testsPath?: string;
  developmentPaths: string[];
  userDataDir?: string;
  extensionsDir?: string;
  folder?: string;
}

function parseArgs(argv: string[]): ShimArgs {
  const args: ShimArgs = { developmentPaths: [] };
  for (const arg of argv) {
    const [flag, ...rest] = arg.split('=');
    const value = rest.join('=');
    if (flag === '--extensionTestsPath') args.testsPath = resolve(value);
    else if (flag === '--extensionDevelopmentPath') args.developmentPaths.push(resolve(value));
    else if (flag === '--user-data-dir') args.userDataDir = resolve(value);
    else if (flag === '--extensions-dir') args.extensionsDir = resolve(value);
    // Electron-only switches (--no-sandbox, --disable-updates, ...) mean nothing to code-server.
    else if (!arg.startsWith('-') && args.folder === undefined) args.folder = resolve(arg);
  }
  return args;
}

const timeoutMs = Number(process.env['THREADWORK_SHIM_TIMEOUT_MS'] ?? 300_000);
const args = parseArgs(process.argv.slice(2));
if (!args.testsPath || args.developmentPaths.length === 0) {
  console.error('vscode-shim: need --extensionTestsPath= and --extensionDevelopmentPath=');
  process.exit(2);
}

let server: CodeServer | undefined;
let workbench: Workbench | undefined;
async function shutDown(code: number): Promise<never> {
  await workbench?.close();
  await server?.stop();
  process.exit(code);
}
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => void shutDown(130));

try {
  server = await startCodeServer({
    name: 'integration',
    vscodeOptions: ['enable-smoke-test-driver'],
    ...(args.userDataDir ? { userDataDir: args.userDataDir } : {}),
    ...(args.extensionsDir ? { extensionsDir: args.extensionsDir } : {}),
  });
  // Paths in the payload are URIs on the remote (code-server's) file system.
  const remote = (path: string): string => `vscode-remote://127.0.0.1:${server?.port}${path}`;
  const payload = [
    ...args.developmentPaths.map((path) => ['extensionDevelopmentPath', remote(path)]),
    ['extensionTestsPath', remote(args.testsPath)],
  ];
  let reportExit: (code: number) => void = () => undefined;
  const exited = new Promise<number>((r) => { reportExit = r; });
  workbench = await launchWorkbench(server, {
    ...(args.folder ? { folder: args.folder } : {}),
    query: { payload: JSON.stringify(payload) },
    waitForExplorer: false,
    beforeNavigate: async (page) => {
      await page.exposeFunction('codeAutomationLog', (_level: unknown, parts: unknown) => {
        console.log(Array.isArray(parts) ? format(...(parts as unknown[])) : format(parts));
      });
      await page.exposeFunction('codeAutomationExit', (code: unknown) => reportExit(typeof code === 'number' ? code : 1));
    },
  });
  const timer = setTimeout(() => {
    console.error(`vscode-shim: the extension host did not report an exit within ${timeoutMs} ms`);
    reportExit(124);
  }, timeoutMs);
  const code = await exited;
  clearTimeout(timer);
  await shutDown(code);
} catch (error) {
  console.error('vscode-shim:', error instanceof Error ? error.stack : error);
  await shutDown(1);
}
