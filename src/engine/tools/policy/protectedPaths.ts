/**
 * Paths that always need the user, whatever rule or remembered decision says otherwise.
 * Writing them is how prompt injection turns itself into persistence (CVE-2025-53773 wrote
 * `chat.tools.autoApprove` into .vscode/settings.json); reading secrets is how it exfiltrates.
 * Matching is case-insensitive so `.VSCode/` on a case-insensitive disk cannot slip by.
 */
import { compileGlobs } from '../glob.ts';

/** Files whose contents are credentials: reading them asks, writing them asks. */
export const SECRET_GLOBS: readonly string[] = [
  '**/.env',
  '**/.env.*',
  '**/*.pem',
  '**/*.key',
  '**/*.p12',
  '**/*.pfx',
  '**/*.jks',
  '**/*.keystore',
  '**/id_rsa*',
  '**/id_dsa*',
  '**/id_ecdsa*',
  '**/id_ed25519*',
  '**/.ssh/**',
  '**/.npmrc',
  '**/.yarnrc.yml',
  '**/.pypirc',
  '**/.netrc',
  '**/.git-credentials',
  '**/.aws/credentials',
  '**/.docker/config.json',
];

/** Templates meant to be committed; they hold no secrets. */
const SECRET_EXCEPTIONS: readonly string[] = ['**/.env.example', '**/.env.sample', '**/.env.template', '**/.env.dist'];

/** Editor, VCS, CI and agent configuration: changing it changes what runs or what is trusted. */
export const PROTECTED_WRITE_GLOBS: readonly string[] = [
  '**/.vscode/**',
  '**/*.code-workspace',
  '**/.idea/**',
  '**/.git/**',
  '**/.gitmodules',
  '**/.husky/**',
  '**/.github/workflows/**',
  '**/.devcontainer/**',
  '**/.threadwork/**',
  '**/AGENTS.md',
  '**/CLAUDE.md',
  '**/.cursorrules',
  '**/.clinerules',
  '**/.github/copilot-instructions.md',
  ...SECRET_GLOBS,
];

const isSecretMatch = compileGlobs(SECRET_GLOBS, { caseSensitive: false });
const isSecretException = compileGlobs(SECRET_EXCEPTIONS, { caseSensitive: false });
const isProtectedMatch = compileGlobs(PROTECTED_WRITE_GLOBS, { caseSensitive: false });

/** `relativePath` is folder-relative with forward slashes. */
export function isSecretPath(relativePath: string): boolean {
  const path = relativePath.replace(/\\/g, '/');
  return isSecretMatch(path) && !isSecretException(path);
}

export function isProtectedPath(relativePath: string): boolean {
  const path = relativePath.replace(/\\/g, '/');
  return (isProtectedMatch(path) || isProtectedMatch(`${path}/`)) && !isSecretException(path);
}
