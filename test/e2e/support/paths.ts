// Where the end-to-end tooling lives. scripts/setup.sh installs code-server into .tools/; test
// artifacts (screenshots, logs) go to .test-output/, which git ignores.
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';

export const repoRoot = resolve(import.meta.dirname, '..', '..', '..');
export const testOutputDir = join(repoRoot, '.test-output');
export const screenshotDir = join(testOutputDir, 'screenshots');
export const logDir = join(testOutputDir, 'logs');
export const packagedVsix = join(repoRoot, 'dist', 'threadwork.vsix');
export const sampleWorkspace = join(repoRoot, 'samples', 'workspace');
export const extensionId = 'threadwork.threadwork';

export const codeServerEntry = join(repoRoot, '.tools', 'code-server', 'node_modules', 'code-server', 'out', 'node', 'entry.js');
export const chromiumPath = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium';

/** Throws a message that says how to get code-server, instead of a spawn ENOENT. */
export function assertCodeServerInstalled(): void {
  if (!existsSync(codeServerEntry)) {
    throw new Error(`code-server is not installed at ${codeServerEntry}; run: npm run setup -- code-server`);
  }
  const major = Number(process.versions.node.split('.')[0]);
  if (major < 22) {
    throw new Error(`Node ${process.version} cannot run code-server 4.139; run through npm so node_modules/.bin/node (v24) is used`);
  }
}

export function assertChromiumInstalled(): void {
  if (!existsSync(chromiumPath)) {
    throw new Error(`Chromium not found at ${chromiumPath}; run: npm run setup -- system (or set CHROMIUM_PATH)`);
  }
}
