/**
 * Prism in proxy mode with `--errors` in front of the server (docs/assistants-v2.md §9): it
 * checks every request against the spec (422 when invalid, never forwarded) and every response
 * (500 problem+json listing the violations). Clients use Prism's root as base URL (no `/v1`);
 * Prism forwards to the upstream given with `/v1`.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';

const PRISM_CLI = fileURLToPath(new URL('../../../node_modules/@stoplight/prism-cli/dist/index.js', import.meta.url));
export const SPEC_FIXTURE = fileURLToPath(new URL('../../fixtures/openapi-assistants.yaml', import.meta.url));

export interface PrismProxy {
  /** Base URL for SDK clients (Prism's root). */
  readonly url: string;
  /** Prism's own log, for failure messages. */
  output(): string;
  close(): Promise<void>;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

export async function startPrism(upstreamUrl: string, timeoutMs = 60_000): Promise<PrismProxy> {
  const port = await freePort();
  const child: ChildProcess = spawn(process.execPath, [PRISM_CLI, 'proxy', SPEC_FIXTURE, upstreamUrl, '--errors', '-h', '127.0.0.1', '-p', String(port)], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0' },
  });
  let log = '';
  const append = (chunk: Buffer): void => {
    log = (log + chunk.toString()).slice(-200_000);
  };
  child.stdout!.on('data', append);
  child.stderr!.on('data', append);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const started = Date.now();
  while (!/listening on/i.test(log)) {
    if (child.exitCode !== null) throw new Error(`Prism exited with ${child.exitCode}:\n${log}`);
    if (Date.now() - started > timeoutMs) {
      child.kill('SIGKILL');
      throw new Error(`Prism did not start within ${timeoutMs} ms:\n${log}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return {
    url: `http://127.0.0.1:${port}`,
    output: () => log,
    close: async () => {
      if (child.exitCode === null) child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
      await exited;
      clearTimeout(timer);
    },
  };
}
