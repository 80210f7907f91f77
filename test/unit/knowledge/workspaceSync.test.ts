// The workspace index's sync policy on a real folder and a real index: what gets indexed (the same
// answer from a full walk and from the watcher's per-path rules), and how watcher events — an edit,
// a rename, a deleted or moved-in folder, an ignore-file change, a branch switch — end in the state
// a fresh full sync would give. Also: a reload resumes without re-reading, and a stop can resume.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { ChangeBatcher, type ChangeBatch, type ChangeKind } from '../../../src/vscode/knowledge/changeBatcher.ts';
import { FolderIndex } from '../../../src/vscode/knowledge/folderIndex.ts';
import { enabledExcludeGlobs } from '../../../src/vscode/knowledge/indexFilter.ts';
import { codeAbout, createFolderFixture, type FolderFixture } from './knowledgeFixture.ts';

const MAX_BYTES = 8_000;

const FILES: Record<string, string | Uint8Array> = {
  '.gitignore': 'dist/\n*.log\n!important.log\n',
  'README.md': '# Sample\n\nThe invoice pipeline lives in src/.\n',
  'src/invoice.ts': codeAbout('invoice'),
  'src/format.ts': codeAbout('currency'),
  'src/.gitignore': 'secret.ts\n',
  'src/secret.ts': codeAbout('password'),
  'src/old/legacy.ts': codeAbout('legacy'),
  'src/old/shim.ts': codeAbout('shim'),
  'dist/bundle.js': codeAbout('bundled'),
  'logs/debug.log': 'debug output\n',
  'logs/important.log': 'important audit trail\n',
  'node_modules/left-pad/index.js': codeAbout('padding'),
  'web/app.min.js': codeAbout('minified'),
  'tests/__snapshots__/invoice.snap': 'snapshot\n',
  'docs/archive/2019.md': 'old notes\n',
  'docs/guide.md': 'How to send an invoice.\n',
  'assets/logo.png': new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0, 0, 0, 0]),
  'data/huge.txt': 'x'.repeat(MAX_BYTES + 1),
  '.git/config': '[core]\n',
  '.git/HEAD': 'ref: refs/heads/main\n',
};

/** What the policy must index from FILES: every rule above leaves the others out. */
const EXPECTED = ['.gitignore', 'README.md', 'docs/guide.md', 'logs/important.log', 'src/.gitignore', 'src/format.ts', 'src/invoice.ts', 'src/old/legacy.ts', 'src/old/shim.ts'];

const OPTIONS = {
  // files.exclude as VS Code stores it: only the globs set to true count.
  exclude: [...enabledExcludeGlobs({ '**/*.snap': true, '**/*.md': false, '**/*.ts': { when: '$(basename).js' } }), 'docs/archive/**'],
  maxFileBytes: MAX_BYTES,
};

describe('the workspace index: what is indexed', { timeout: 120_000 }, () => {
  let f: FolderFixture;
  before(async () => (f = await createFolderFixture(FILES, OPTIONS)));
  after(async () => f.close());

  test('a full sync takes exactly the files that .gitignore (nested, negated), files.exclude, the exclude setting, the defaults, binaries and the size cap let through', async () => {
    const report = await f.folderIndex.syncAll();
    assert.deepEqual(f.indexed(), EXPECTED);
    assert.equal(report.failed.length, 0);
    assert.ok(report.skipped >= 2, 'the binary and the oversized file are skipped before reading');
  });

  test('the per-path rules the watcher uses agree with the full walk on every path', async () => {
    for (const path of Object.keys(FILES)) {
      const verdict = await f.folderIndex.filter.verdict(path);
      assert.equal(verdict === 'index', EXPECTED.includes(path), `${path}: ${verdict}`);
    }
    assert.equal(await f.folderIndex.filter.verdict('src/old'), 'directory');
    assert.equal(await f.folderIndex.filter.verdict('dist'), 'ignored');
    assert.equal(await f.folderIndex.filter.verdict('nowhere.ts'), 'missing');
  });
});

describe('the workspace index: watcher events', { timeout: 120_000 }, () => {
  let f: FolderFixture;
  let batcher: ChangeBatcher;
  const batches: ChangeBatch[] = [];
  const push = (changes: Array<[string, ChangeKind]>) => {
    for (const [path, kind] of changes) batcher.push(path, kind);
    return batcher.flush();
  };

  before(async () => {
    f = await createFolderFixture(FILES, OPTIONS);
    await f.folderIndex.syncAll();
    batcher = new ChangeBatcher({
      debounceMs: 20,
      run: async (batch) => {
        batches.push(batch);
        if (batch.fullSync) await f.folderIndex.syncAll();
        else await f.folderIndex.applyBatch(batch);
      },
    });
  });
  after(async () => {
    batcher.dispose();
    await f.close();
  });

  test('an edit is re-indexed: the new words are found and the old ones are not', async () => {
    assert.deepEqual(await f.search('currency'), ['src/format.ts']);
    f.write('src/format.ts', codeAbout('exchangeRate'));
    // An editor save reports several events for one file; they become one change.
    await push([['src/format.ts', 'changed'], ['src/format.ts', 'changed'], ['src/format.ts', 'changed']]);
    assert.equal(batches.at(-1)?.changes.size, 1);
    assert.deepEqual(await f.search('exchangeRate'), ['src/format.ts']);
    assert.deepEqual(await f.search('currency'), []);
  });

  test('a rename (delete + create) moves the file in the index', async () => {
    f.remove('src/invoice.ts');
    f.write('src/billing/invoice.ts', codeAbout('invoice'));
    await push([['src/invoice.ts', 'deleted'], ['src/billing/invoice.ts', 'created']]);
    assert.ok(f.indexed().includes('src/billing/invoice.ts'));
    assert.ok(!f.indexed().includes('src/invoice.ts'));
    const hits = await f.search('invoicePart1');
    assert.equal(hits[0], 'src/billing/invoice.ts');
    assert.ok(!hits.includes('src/invoice.ts'), 'the old path is gone from results');
  });

  test('a deleted folder takes every file under it out, from the one event the watcher sends for it', async () => {
    f.remove('src/old');
    await push([['src/old', 'deleted']]);
    assert.deepEqual(f.indexed().filter((path) => path.startsWith('src/old/')), []);
    assert.deepEqual(await f.search('legacy'), []);
  });

  test('a folder moved in is walked, with its ignore rules; changes to ignored or excluded files are left out', async () => {
    f.write('lib/tax.ts', codeAbout('taxRate'));
    f.write('lib/nested/vat.ts', codeAbout('vatRate'));
    f.write('lib/trace.log', 'ignored by *.log\n');
    f.write('dist/bundle.js', codeAbout('rebuilt'));
    f.write('web/other.min.js', codeAbout('minified'));
    await push([['lib', 'created'], ['dist/bundle.js', 'changed'], ['web/other.min.js', 'created']]);
    const indexed = f.indexed();
    assert.ok(indexed.includes('lib/tax.ts') && indexed.includes('lib/nested/vat.ts'));
    for (const left of ['lib/trace.log', 'dist/bundle.js', 'web/other.min.js']) assert.ok(!indexed.includes(left), left);
  });

  test('a file that grows past the size cap or becomes ignored leaves the index', async () => {
    f.write('docs/guide.md', 'y'.repeat(MAX_BYTES + 10));
    await push([['docs/guide.md', 'changed']]);
    assert.ok(!f.indexed().includes('docs/guide.md'));
  });

  test('an ignore-file change syncs the whole folder with the new rules', async () => {
    f.write('.gitignore', 'dist/\n*.log\n!important.log\nREADME.md\n');
    await push([['.gitignore', 'changed']]);
    assert.match(batches.at(-1)?.fullSync ?? '', /\.gitignore changed/);
    assert.ok(!f.indexed().includes('README.md'));
  });

  test('a branch switch (HEAD moves, many files change) ends exactly where a fresh full sync ends', async () => {
    for (let i = 0; i < 40; i++) f.write(`feature/module${i}.ts`, codeAbout(`feature${i}`));
    f.write('src/format.ts', codeAbout('branchOnly'));
    f.remove('lib');
    const events: Array<[string, ChangeKind]> = [['.git/HEAD', 'changed'], ['src/format.ts', 'changed'], ['lib', 'deleted']];
    for (let i = 0; i < 40; i++) events.push([`feature/module${i}.ts`, 'created']);
    await push(events);
    assert.match(batches.at(-1)?.fullSync ?? '', /branch/);
    const afterSwitch = f.indexed();
    // The same folder indexed from scratch, by one full walk, into another collection is the reference.
    const reference = new FolderIndex(f.index, f.files, f.files.folders()[0]!.path, 'reference', OPTIONS);
    await reference.syncAll();
    assert.deepEqual(afterSwitch, reference.indexedPaths().filter((path) => f.index.file('reference', path)?.status === 'indexed').sort());
    const rewalk = await f.folderIndex.syncAll();
    assert.equal(rewalk.indexed, 0, 'nothing was left to do after the switch');
    assert.equal(rewalk.removed, 0);
    assert.ok(afterSwitch.includes('feature/module39.ts'));
    assert.ok(!afterSwitch.some((path) => path.startsWith('lib/')));
    assert.deepEqual(await f.search('branchOnly'), ['src/format.ts']);
  });

  test('more changed paths than one batch should handle become a full sync', async () => {
    const events: Array<[string, ChangeKind]> = [];
    for (let i = 0; i < 350; i++) events.push([`generated/file${i}.ts`, 'created']);
    for (let i = 0; i < 350; i++) f.write(`generated/file${i}.ts`, codeAbout(`generated${i}`, 1));
    await push(events);
    assert.match(batches.at(-1)?.fullSync ?? '', /files changed at once/);
    assert.ok(f.indexed().includes('generated/file349.ts'));
  });
});

describe('the workspace index: resuming', { timeout: 120_000 }, () => {
  test('after a reload nothing is read again; a stopped sync resumes where it stopped', async () => {
    // More files than a sync keeps in flight (64), so that stopping after 20 leaves some unread.
    const COUNT = 160;
    const files: Record<string, string> = {};
    for (let i = 0; i < COUNT; i++) files[`src/file${i}.ts`] = codeAbout(`topic${i}`);
    const f = await createFolderFixture(files);
    try {
      const stop = new AbortController();
      let seen = 0;
      await assert.rejects(f.folderIndex.syncAll({
        signal: stop.signal,
        onProgress: () => {
          if (++seen === 20) stop.abort();
        },
      }), { name: 'AbortError' });
      const partial = f.indexed().length;
      assert.ok(partial > 0 && partial < COUNT, `stopped part-way (${partial})`);
      // A stopped sync has settled when it rejects: nothing it started writes afterwards.
      await new Promise((resolve) => setTimeout(resolve, 300));
      assert.equal(f.indexed().length, partial, 'no write lands after the stop');

      await f.reopen();
      const resumed = await f.folderIndex.syncAll();
      assert.equal(f.indexed().length, COUNT);
      assert.ok(resumed.unchanged >= partial, `${resumed.unchanged} skipped of ${partial} done before the stop`);
      assert.equal(resumed.indexed, COUNT - resumed.unchanged);

      await f.reopen();
      const again = await f.folderIndex.syncAll();
      assert.deepEqual({ indexed: again.indexed, unchanged: again.unchanged, bytesRead: again.bytesRead }, { indexed: 0, unchanged: COUNT, bytesRead: 0 });
    } finally {
      await f.close();
    }
  });
});
