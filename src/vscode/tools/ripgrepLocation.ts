/**
 * The ripgrep binary VS Code itself ships, under `vscode.env.appRoot`. The extension is packaged
 * without node_modules, so this is the rg search_text normally uses; when none is found the engine
 * falls back to @vscode/ripgrep (development checkouts) and then to its JavaScript search.
 */
import { accessSync, constants } from 'node:fs';
import path from 'node:path';

/** Layouts seen across VS Code builds: desktop (asar-unpacked), server/code-server, and the universal package. */
export function ripgrepCandidates(appRoot: string, platform: NodeJS.Platform = process.platform, arch: string = process.arch): string[] {
  const binary = platform === 'win32' ? 'rg.exe' : 'rg';
  const out: string[] = [];
  for (const modules of ['node_modules.asar.unpacked', 'node_modules']) {
    out.push(path.join(appRoot, modules, '@vscode', 'ripgrep', 'bin', binary));
    out.push(path.join(appRoot, modules, '@vscode', 'ripgrep-universal', 'bin', `${platform}-${arch}`, binary));
    out.push(path.join(appRoot, modules, 'vscode-ripgrep', 'bin', binary));
  }
  return out;
}

export function vscodeRipgrepPath(appRoot: string | undefined): string | undefined {
  if (!appRoot) return undefined;
  return ripgrepCandidates(appRoot).find((candidate) => {
    try {
      accessSync(candidate, constants.X_OK);
      return true;
    } catch {
      return false;
    }
  });
}
