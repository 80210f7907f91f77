/**
 * The tree-sitter runtime and grammars VS Code itself ships (@vscode/tree-sitter-wasm, under
 * `vscode.env.appRoot`). The extension is packaged without node_modules, so this is where the
 * knowledge base's syntax-aware chunking finds its parsers; without it chunks are cut by layout
 * alone. The runtime and the grammars are taken from one folder, so their versions always match.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';

/** Layouts seen across VS Code builds: desktop (asar, wasm files unpacked) and server/code-server. */
export function treeSitterCandidates(appRoot: string): string[] {
  return ['node_modules', 'node_modules.asar', 'node_modules.asar.unpacked'].map((modules) => path.join(appRoot, modules, '@vscode', 'tree-sitter-wasm', 'wasm'));
}

export function vscodeTreeSitterDirectory(appRoot: string | undefined): string | undefined {
  if (!appRoot) return undefined;
  return treeSitterCandidates(appRoot).find((directory) => ['tree-sitter.js', 'tree-sitter.wasm', 'tree-sitter-typescript.wasm'].every((file) => existsSync(path.join(directory, file))));
}
