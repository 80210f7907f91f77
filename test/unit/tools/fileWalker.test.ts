import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { walkFolder } from '../../../src/engine/tools/fileWalker.ts';
import { compileGlob, compileGlobs } from '../../../src/engine/tools/glob.ts';
import type { Fixture } from './workspaceFixture.ts';
import { createFixture } from './workspaceFixture.ts';

describe('globs', () => {
  test('slash-free patterns match at any depth; others are anchored', () => {
    assert.ok(compileGlob('*.ts')('a/b/c.ts'));
    assert.ok(!compileGlob('src/*.ts')('lib/src/a.ts'));
    assert.ok(compileGlob('src/**/*.ts')('src/a.ts'));
    assert.ok(compileGlob('src/**/*.ts')('src/x/y/a.ts'));
    assert.ok(compileGlob('*.{ts,tsx}')('a/b.tsx'));
    assert.ok(!compileGlob('*.{ts,tsx}')('a/b.js'));
    assert.ok(compileGlob('file?.[ch]')('file1.c'));
    assert.ok(compileGlob('.VSCode/**', { caseSensitive: false })('.vscode/settings.json'));
    assert.ok(compileGlobs(['**/node_modules/**'])('node_modules/'));
  });
});

describe('walker', () => {
  let fixture: Fixture;
  before(() => {
    fixture = createFixture({
      '.gitignore': 'dist/\n*.log\n!keep.log\n/rootonly.txt\n',
      'src/a.ts': '',
      'src/b.log': '',
      'src/keep.log': '',
      'src/.gitignore': 'generated.ts\n',
      'src/generated.ts': '',
      'src/rootonly.txt': '',
      'rootonly.txt': '',
      'dist/out.js': '',
      'node_modules/pkg/index.js': '',
      '.git/HEAD': 'ref',
      '.env': 'A=1',
      'docs/guide.md': '',
    });
  });
  after(() => fixture.cleanup());

  test('honours nested .gitignore files, negation, anchoring and exclude globs, and skips .git', async () => {
    const result = await walkFolder(fixture.files, { folderPath: fixture.root, exclude: compileGlobs(['**/node_modules/**']) });
    const paths = result.entries.map((entry) => entry.path).sort();
    assert.deepEqual(paths, ['.env', '.gitignore', 'docs/guide.md', 'src/.gitignore', 'src/a.ts', 'src/keep.log', 'src/rootonly.txt']);
    assert.equal(result.truncated, false);
  });

  test('starting in a subdirectory still applies the ignore files above it', async () => {
    const result = await walkFolder(fixture.files, { folderPath: fixture.root, startAt: 'src' });
    assert.deepEqual(result.entries.map((entry) => entry.path).sort(), ['src/.gitignore', 'src/a.ts', 'src/keep.log', 'src/rootonly.txt']);
  });

  test('caps results and says so', async () => {
    const result = await walkFolder(fixture.files, { folderPath: fixture.root, maxResults: 2 });
    assert.equal(result.entries.length, 2);
    assert.equal(result.truncated, true);
  });
});
