// `npm start`: the packaged extension in a real VS Code (code-server) on 127.0.0.1, with fresh
// throwaway settings and extensions, opened on samples/workspace. Ctrl+C stops it and its children.
// Runs under the project's Node 24 (scripts/start.sh builds and packages first).
import { packagedVsix, sampleWorkspace, startCodeServer } from '../test/e2e/support/codeServer.ts';

const requestedPort = process.env['THREADWORK_PORT'] ? Number(process.env['THREADWORK_PORT']) : undefined;
const folder = process.argv[2] ?? sampleWorkspace;

const server = await startCodeServer({ name: 'start', vsix: packagedVsix, ...(requestedPort ? { port: requestedPort } : {}) });
let stopping = false;
async function stop(): Promise<void> {
  if (stopping) return;
  stopping = true;
  console.log('\n[start] stopping code-server...');
  await server.stop();
  console.log('[start] stopped (logs: .test-output/logs/start/)');
  process.exit(0);
}
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(signal, () => void stop());

const url = `${server.url}/?folder=${encodeURIComponent(folder)}`;
console.log(`
[start] Threadwork is running in VS Code (code-server ${server.port === requestedPort ? 'on the requested port' : 'on a free port'}).
[start] Open this in a browser on this machine:

    ${url}

[start] The Threadwork icon is in the activity bar; set a model with "Threadwork: Set API Key" and
[start] the threadwork.provider.* settings. Press Ctrl+C to stop.
`);
// Keep running until a signal arrives; code-server is in its own process group and needs us to stop it.
setInterval(() => undefined, 1 << 30);
