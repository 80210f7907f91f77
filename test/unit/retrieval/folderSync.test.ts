import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { utimesSync } from 'node:fs';
import path from 'node:path';
import { WorkerPreparer } from '../../../src/engine/retrieval/documentPreparer.ts';
import { syncFile, syncFolder } from '../../../src/engine/retrieval/folderSync.ts';
import type { WorkspaceFiles } from '../../../src/engine/ports/workspace.ts';
import { createWorkspace, sourceAbout } from './workspaceFixture.ts';
import type { WorkspaceFixture } from './workspaceFixture.ts';

// One worker pool for the whole file: starting workers is the slow part of a small index.
const preparer = new WorkerPreparer(2);
after(() => preparer.close());

async function topPaths(fixture: WorkspaceFixture, query: string): Promise<string[]> {
  const response = await fixture.index.search({ collections: ['ws'], query, preferSource: false });
  return response.files.map((file) => file.path);
}

function chunkIds(fixture: WorkspaceFixture, key: string): number[] {
  return (fixture.db.prepare('SELECT c.id FROM retrieval_chunks c JOIN retrieval_files f ON f.id = c.file_id WHERE f.key = ? ORDER BY c.id').all(key) as Array<{ id: number }>).map((row) => Number(row.id));
}

describe('which files are indexed', () => {
  test('.gitignore (nested too), exclude globs, default excludes, binary files and the size cap', async () => {
    const fixture = await createWorkspace({
      '.gitignore': 'build/\n*.log\n',
      'src/app.ts': sourceAbout('greeting'),
      'src/generated/.gitignore': 'schema.ts\n',
      'src/generated/schema.ts': sourceAbout('ignoredschema'),
      'build/out.js': sourceAbout('builtoutput'),
      'debug.log': 'logline logline',
      'node_modules/lib/index.js': sourceAbout('dependency'),
      'vendor/big.js': sourceAbout('vendored'),
      'assets/logo.png': Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0, 0, 0]),
      'data/blob.txt': Uint8Array.from([0x68, 0x69, 0, 0, 0, 0x01, 0x02, 0x68]),
      'docs/huge.md': `# Huge\n${'enormous '.repeat(5000)}`,
      'notes/utf16.txt': Uint8Array.from([0xff, 0xfe, ...[...'widechar notes'].flatMap((char) => [char.charCodeAt(0), 0])]),
    }, { index: { preparer } });
    try {
      const report = await fixture.sync({ exclude: ['vendor/**'], maxFileBytes: 20_000 });
      const stored = fixture.index.files('ws');
      assert.deepEqual([...stored.keys()].sort(), ['.gitignore', 'data/blob.txt', 'notes/utf16.txt', 'src/app.ts', 'src/generated/.gitignore']);
      assert.equal(stored.get('data/blob.txt')?.status, 'unsupported');
      assert.equal(stored.get('data/blob.txt')?.errorCode, 'binary');
      assert.equal(report.unsupported, 1);
      assert.equal(report.skipped, 2, 'the .png by its extension, the huge file by its size');
      assert.deepEqual(await topPaths(fixture, 'widechar'), ['notes/utf16.txt']);
      for (const hidden of ['ignoredschema', 'builtoutput', 'dependency', 'vendored', 'enormous', 'logline']) {
        assert.deepEqual(await topPaths(fixture, hidden), [], hidden);
      }
    } finally {
      await fixture.close();
    }
  });
});

describe('files in flight', () => {
  test('a stop that comes when every file is already in flight still rejects the sync', async () => {
    const fixture = await createWorkspace({ 'src/a.ts': sourceAbout('alpha'), 'src/b.ts': sourceAbout('bravo'), 'src/c.ts': sourceAbout('charlie') }, { index: { preparer } });
    try {
      const stop = new AbortController();
      const sync = fixture.sync({ signal: stop.signal, onProgress: ({ done, total }) => {
        if (done === total) stop.abort();
      } });
      await assert.rejects(sync, { name: 'AbortError' });
    } finally {
      await fixture.close();
    }
  });

  test('a byte budget holds back reading until earlier files are committed, and the sync still finishes', async () => {
    const names = ['alpha', 'bravo', 'charlie', 'delta', 'echo'];
    const fixture = await createWorkspace(Object.fromEntries(names.map((name) => [`src/${name}.ts`, sourceAbout(name)])), { index: { preparer } });
    try {
      const storedWhenRead: number[] = [];
      const workspace: WorkspaceFiles = Object.create(fixture.workspace, {
        readFile: { value: (file: string) => {
          // The walk reads ignore files too; only the sources count here.
          if (file.endsWith('.ts')) storedWhenRead.push(fixture.index.files('ws').size);
          return fixture.workspace.readFile(file);
        } },
      });
      // Any file is bigger than one byte, so each waits until nothing else is held.
      const report = await syncFolder(fixture.index, 'ws', workspace, fixture.folder, { maxBytesInFlight: 1 });
      assert.equal(report.indexed, names.length);
      assert.deepEqual(storedWhenRead, [0, 1, 2, 3, 4], 'each file is read only after the one before it was stored');
      for (const name of names) assert.deepEqual(await topPaths(fixture, name), [`src/${name}.ts`]);
    } finally {
      await fixture.close();
    }
  });
});

for (const database of ['file', 'memory'] as const) {
  describe(`incremental updates (${database} database)`, () => {
    test('unchanged files are not read again; an edit re-chunks only that file', async () => {
      const fixture = await createWorkspace({ 'src/a.ts': sourceAbout('alpha'), 'src/b.ts': sourceAbout('bravo'), 'src/c.ts': sourceAbout('charlie') }, { database, index: { preparer } });
      try {
        const first = await fixture.sync();
        assert.equal(first.indexed, 3);
        const bravoChunks = chunkIds(fixture, 'src/b.ts');
        const again = await fixture.sync();
        assert.deepEqual([again.indexed, again.unchanged, again.bytesRead], [0, 3, 0]);

        fixture.write('src/a.ts', sourceAbout('zulu'));
        const edited = await fixture.sync();
        assert.deepEqual([edited.indexed, edited.unchanged], [1, 2]);
        assert.deepEqual(chunkIds(fixture, 'src/b.ts'), bravoChunks, 'untouched files keep their chunks');
        assert.deepEqual(await topPaths(fixture, 'zulu'), ['src/a.ts']);
        assert.deepEqual(await topPaths(fixture, 'alpha'), []);

        // Touched, not changed: read and hashed again, but not re-chunked.
        const later = new Date(Date.now() + 60_000);
        utimesSync(path.join(fixture.folder, 'src/c.ts'), later, later);
        const charlieChunks = chunkIds(fixture, 'src/c.ts');
        const touched = await fixture.sync();
        assert.equal(touched.indexed, 0);
        assert.ok(touched.bytesRead > 0);
        assert.deepEqual(chunkIds(fixture, 'src/c.ts'), charlieChunks);
        const settled = await fixture.sync();
        assert.equal(settled.bytesRead, 0, 'the new mtime was remembered');
      } finally {
        await fixture.close();
      }
    });

    test('rename and delete', async () => {
      const fixture = await createWorkspace({ 'src/old-name.ts': sourceAbout('renamed'), 'src/gone.ts': sourceAbout('deleted') }, { database, index: { preparer } });
      try {
        await fixture.sync();
        fixture.write('src/new-name.ts', sourceAbout('renamed'));
        fixture.remove('src/old-name.ts');
        fixture.remove('src/gone.ts');
        const report = await fixture.sync();
        assert.deepEqual([report.indexed, report.removed], [1, 2]);
        assert.deepEqual(await topPaths(fixture, 'renamed'), ['src/new-name.ts']);
        assert.deepEqual(await topPaths(fixture, 'deleted'), []);
        assert.deepEqual([...fixture.index.files('ws').keys()], ['src/new-name.ts']);
        const orphans = fixture.db.prepare('SELECT count(*) AS n FROM retrieval_chunks WHERE file_id NOT IN (SELECT id FROM retrieval_files)').get() as { n: number };
        assert.equal(Number(orphans.n), 0);
      } finally {
        await fixture.close();
      }
    });

    test('a branch switch: many files changed, added and deleted at once', async () => {
      // Letters only: digits would split off as their own (dropped) parts.
      const tag = (i: number): string => `${String.fromCharCode(97 + (i % 26))}${String.fromCharCode(97 + Math.floor(i / 26))}q`;
      const files: Record<string, string> = {};
      for (let i = 0; i < 60; i++) files[`pkg/module${i}.ts`] = sourceAbout(`mainline${tag(i)}`);
      const fixture = await createWorkspace(files, { database, index: { preparer } });
      try {
        await fixture.sync();
        for (let i = 0; i < 30; i++) fixture.write(`pkg/module${i}.ts`, sourceAbout(`feature${tag(i)}`));
        for (let i = 50; i < 60; i++) fixture.remove(`pkg/module${i}.ts`);
        for (let i = 0; i < 10; i++) fixture.write(`pkg/added${i}.ts`, sourceAbout(`addition${tag(i)}`));
        const report = await fixture.sync();
        assert.deepEqual([report.indexed, report.unchanged, report.removed], [40, 20, 10]);
        assert.deepEqual(await topPaths(fixture, `feature${tag(7)}`), ['pkg/module7.ts']);
        assert.deepEqual(await topPaths(fixture, `mainline${tag(7)}`), []);
        assert.deepEqual(await topPaths(fixture, `mainline${tag(40)}`), ['pkg/module40.ts']);
        assert.deepEqual(await topPaths(fixture, `mainline${tag(55)}`), []);
        assert.deepEqual(await topPaths(fixture, `addition${tag(3)}`), ['pkg/added3.ts']);
        assert.equal(fixture.index.files('ws').size, 60);
      } finally {
        await fixture.close();
      }
    });

    test('one saved file is searchable as soon as syncFile resolves', async () => {
      const fixture = await createWorkspace({ 'src/live.ts': sourceAbout('before') }, { database, index: { preparer } });
      try {
        await fixture.sync();
        fixture.write('src/live.ts', sourceAbout('afterwards'));
        assert.equal(await syncFile(fixture.index, 'ws', fixture.workspace, fixture.folder, 'src/live.ts'), 'indexed');
        assert.deepEqual(await topPaths(fixture, 'afterwards'), ['src/live.ts']);
        assert.equal(await syncFile(fixture.index, 'ws', fixture.workspace, fixture.folder, 'src/live.ts'), 'unchanged');
        fixture.remove('src/live.ts');
        assert.equal(await syncFile(fixture.index, 'ws', fixture.workspace, fixture.folder, 'src/live.ts'), 'removed');
        assert.deepEqual(await topPaths(fixture, 'afterwards'), []);
        fixture.write('node_modules/x/index.js', sourceAbout('excluded'));
        assert.equal(await syncFile(fixture.index, 'ws', fixture.workspace, fixture.folder, 'node_modules/x/index.js'), 'excluded');
      } finally {
        await fixture.close();
      }
    });
  });
}
