/** A real temporary folder and a real SQLite index over it, for the retrieval tests. */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Database } from '../../../src/engine/store/sqlite.ts';
import { openDatabase } from '../../../src/engine/store/sqlite.ts';
import type { FolderSyncOptions, FolderSyncReport } from '../../../src/engine/retrieval/folderSync.ts';
import { syncFolder } from '../../../src/engine/retrieval/folderSync.ts';
import type { RetrievalIndexOptions } from '../../../src/engine/retrieval/retrievalIndex.ts';
import { RetrievalIndex } from '../../../src/engine/retrieval/retrievalIndex.ts';
import { NodeWorkspace } from '../../../src/engine/tools/nodeWorkspace.ts';

export interface WorkspaceFixture {
  root: string;
  folder: string;
  db: Database;
  index: RetrievalIndex;
  workspace: NodeWorkspace;
  write(relative: string, content: string | Uint8Array): void;
  remove(relative: string): void;
  sync(options?: FolderSyncOptions): Promise<FolderSyncReport>;
  close(): Promise<void>;
}

/**
 * `database: 'file'` puts the index in a file, where document writes go through the preparation
 * workers' own connections; `'memory'` keeps every write on this thread.
 */
export async function createWorkspace(files: Record<string, string | Uint8Array>, options: { database?: 'file' | 'memory'; index?: RetrievalIndexOptions } = {}): Promise<WorkspaceFixture> {
  const root = mkdtempSync(path.join(tmpdir(), 'threadwork-retrieval-'));
  const folder = path.join(root, 'workspace');
  mkdirSync(folder);
  const write = (relative: string, content: string | Uint8Array): void => {
    const target = path.join(folder, relative);
    mkdirSync(path.dirname(target), { recursive: true });
    writeFileSync(target, content);
  };
  for (const [relative, content] of Object.entries(files)) write(relative, content);
  const db = openDatabase(options.database === 'memory' ? ':memory:' : path.join(root, 'index.sqlite'));
  const index = new RetrievalIndex(db, options.index ?? {});
  const workspace = new NodeWorkspace([folder]);
  return {
    root,
    folder,
    db,
    index,
    workspace,
    write,
    remove: (relative) => rmSync(path.join(folder, relative), { force: true }),
    sync: (syncOptions) => syncFolder(index, 'ws', workspace, folder, syncOptions),
    close: async () => {
      await index.close();
      db.close();
      rmSync(root, { recursive: true, force: true });
    },
  };
}

/** A source file of roughly `functions` × 60 tokens about `topic`. */
export function sourceAbout(topic: string, functions = 3): string {
  return Array.from({ length: functions }, (_, i) => `/** ${topic} step ${i}. */\nexport function ${topic}Step${i}(input: string): string {\n  return input.trim() + '${topic}-${i}';\n}\n`).join('\n');
}
