/** A real folder on disk and a real RetrievalIndex (SQLite file, worker threads) for the knowledge tests. */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { RetrievalIndex } from '../../../src/engine/retrieval/retrievalIndex.ts';
import { openDatabase, type Database } from '../../../src/engine/store/sqlite.ts';
import { NodeWorkspace } from '../../../src/engine/tools/nodeWorkspace.ts';
import { FolderIndex, type FolderIndexOptions } from '../../../src/vscode/knowledge/folderIndex.ts';

export const COLLECTION = 'vs_workspace_test';

export interface FolderFixture {
  root: string;
  folder: string;
  databasePath: string;
  db: Database;
  index: RetrievalIndex;
  files: NodeWorkspace;
  folderIndex: FolderIndex;
  write(relative: string, content: string | Uint8Array): void;
  remove(relative: string): void;
  /** Paths the index holds, sorted. */
  indexed(): string[];
  /** Paths of the chunks a keyword search returns, best first. */
  search(query: string): Promise<string[]>;
  /** Closes the index and opens a new one on the same database (a window reload). */
  reopen(): Promise<void>;
  close(): Promise<void>;
}

export async function createFolderFixture(files: Record<string, string | Uint8Array>, options: FolderIndexOptions = { exclude: [], maxFileBytes: 2 * 1024 * 1024 }): Promise<FolderFixture> {
  const root = mkdtempSync(path.join(tmpdir(), 'threadwork-knowledge-'));
  const folder = path.join(root, 'workspace');
  mkdirSync(folder);
  const write = (relative: string, content: string | Uint8Array): void => {
    const target = path.join(folder, relative);
    mkdirSync(path.dirname(target), { recursive: true });
    writeFileSync(target, content);
  };
  for (const [relative, content] of Object.entries(files)) write(relative, content);
  const databasePath = path.join(root, 'knowledge.sqlite');
  const workspace = new NodeWorkspace([folder]);
  const fixture = {
    root,
    folder,
    databasePath,
    files: workspace,
    write,
    remove: (relative: string) => rmSync(path.join(folder, relative), { recursive: true, force: true }),
  } as FolderFixture;
  const open = (): void => {
    fixture.db = openDatabase(databasePath);
    fixture.index = new RetrievalIndex(fixture.db);
    fixture.folderIndex = new FolderIndex(fixture.index, workspace, workspace.folders()[0]!.path, COLLECTION, options);
  };
  const shut = async (): Promise<void> => {
    await fixture.index.close();
    if (fixture.db.isOpen) fixture.db.close();
  };
  open();
  fixture.indexed = () => [...fixture.index.files(COLLECTION).values()].filter((file) => file.status === 'indexed').map((file) => file.path).sort();
  fixture.search = async (query) => (await fixture.index.search({ collections: [COLLECTION], query, preferSource: false })).chunks.map((chunk) => chunk.path);
  fixture.reopen = async () => {
    await shut();
    open();
  };
  fixture.close = async () => {
    await shut();
    rmSync(root, { recursive: true, force: true });
  };
  return fixture;
}

/** A few lines of code about one word, so keyword searches can tell files apart. */
export function codeAbout(word: string, lines = 3): string {
  return Array.from({ length: lines }, (_, i) => `export function ${word}Part${i}(value: number): number {\n  return value * ${i + 2}; // ${word}\n}\n`).join('\n');
}
