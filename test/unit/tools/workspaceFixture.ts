/** A real temporary directory as a workspace, with the tool context over node:fs. */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { NodeWorkspace } from '../../../src/engine/tools/nodeWorkspace.ts';
import { PathResolver } from '../../../src/engine/tools/paths.ts';
import type { ToolContext } from '../../../src/engine/tools/tool.ts';
import type { ToolsConfig } from '../../../src/engine/tools/toolsConfig.ts';
import { toolsConfig } from '../../../src/engine/tools/toolsConfig.ts';

export interface Fixture {
  root: string;
  /** A directory next to the workspace (outside it). */
  outside: string;
  files: NodeWorkspace;
  paths: PathResolver;
  context: ToolContext;
  write(relative: string, content: string | Uint8Array): string;
  cleanup(): void;
}

export function createFixture(tree: Record<string, string | Uint8Array> = {}, config: Partial<ToolsConfig> = {}): Fixture {
  const base = mkdtempSync(path.join(os.tmpdir(), 'threadwork-tools-'));
  const root = path.join(base, 'workspace');
  const outside = path.join(base, 'outside');
  mkdirSync(root);
  mkdirSync(outside);
  const write = (relative: string, content: string | Uint8Array) => {
    const file = path.join(root, relative);
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, content);
    return file;
  };
  for (const [relative, content] of Object.entries(tree)) write(relative, content);
  const files = new NodeWorkspace([root]);
  const paths = new PathResolver(files);
  return {
    root: files.folders()[0]!.path,
    outside,
    files,
    paths,
    context: { files, paths, config: toolsConfig(config) },
    write,
    cleanup: () => rmSync(base, { recursive: true, force: true }),
  };
}
