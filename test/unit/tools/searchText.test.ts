import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { rgPath } from '@vscode/ripgrep';
import { javascriptSearch } from '../../../src/engine/tools/javascriptSearch.ts';
import { locateRipgrep, ripgrepSearch } from '../../../src/engine/tools/ripgrepSearch.ts';
import { searchTextTool } from '../../../src/engine/tools/searchTextTool.ts';
import type { TextSearchQuery } from '../../../src/engine/tools/textSearch.ts';
import { toolsConfig } from '../../../src/engine/tools/toolsConfig.ts';
import type { Fixture } from './workspaceFixture.ts';
import { createFixture } from './workspaceFixture.ts';

describe('search_text', () => {
  let fixture: Fixture;
  before(() => {
    fixture = createFixture({
      '.gitignore': 'build/\n',
      'src/auth.ts': 'export function login(user) {\n  return checkToken(user.token);\n}\n',
      'src/util.ts': 'export const TOKEN_TTL = 60;\n// token helpers\n',
      'src/nested/deep.py': 'def check_token(t):\n    return t\n',
      'build/auth.js': 'checkToken()\n',
      'node_modules/lib/index.js': 'checkToken()\n',
      '.env': 'API_TOKEN=secret\n',
      '.github/notes.md': 'token rotation\n',
      'image.bin': new Uint8Array([0, 1, 2, 116, 111, 107, 101, 110]),
      'long.txt': `${'x'.repeat(1000)} token ${'y'.repeat(1000)}\n`,
      'many.txt': Array.from({ length: 50 }, () => 'token').join('\n'),
    });
  });
  after(() => fixture.cleanup());

  const query = (overrides: Partial<TextSearchQuery>): TextSearchQuery => ({
    pattern: 'token',
    isRegex: false,
    folderPath: fixture.root,
    startAt: '',
    include: [],
    exclude: ['**/node_modules/**', '**/.env'],
    maxResults: 100,
    maxPerFile: 20,
    maxFileBytes: 1024 * 1024,
    ...overrides,
  });
  const summary = (matches: Array<{ path: string; line: number }>) => matches.map((match) => `${match.path}:${match.line}`);

  test('the ripgrep binary is found through @vscode/ripgrep', async () => {
    assert.equal(await locateRipgrep(), rgPath);
    assert.equal(await locateRipgrep('/no/such/rg'), rgPath);
  });

  test('ripgrep and the JavaScript fallback find the same lines, skipping ignored, excluded and binary files', async () => {
    const viaRg = await ripgrepSearch(rgPath, query({}));
    const viaJs = await javascriptSearch(fixture.files, query({}));
    assert.deepEqual(summary(viaRg.matches), summary(viaJs.matches));
    const files = new Set(viaRg.matches.map((match) => match.path));
    assert.deepEqual([...files].sort(), ['.github/notes.md', 'long.txt', 'many.txt', 'src/auth.ts', 'src/nested/deep.py', 'src/util.ts']);
    assert.equal(viaRg.matches.filter((match) => match.path === 'many.txt').length, 20, 'per-file cap');
  });

  test('regex, case sensitivity, include globs and a start directory behave the same in both', async () => {
    for (const overrides of [
      { pattern: 'check_?token', isRegex: true },
      { pattern: 'TOKEN' },
      { pattern: 'token', caseSensitive: true },
      { include: ['*.py'] },
      { startAt: 'src' },
      { startAt: 'src/util.ts' },
    ] satisfies Array<Partial<TextSearchQuery>>) {
      const viaRg = await ripgrepSearch(rgPath, query(overrides));
      const viaJs = await javascriptSearch(fixture.files, query(overrides));
      assert.deepEqual(summary(viaRg.matches), summary(viaJs.matches), JSON.stringify(overrides));
      assert.ok(viaRg.matches.length > 0, JSON.stringify(overrides));
    }
  });

  test('results stop at max_results and say they were cut off', async () => {
    const viaRg = await ripgrepSearch(rgPath, query({ maxResults: 5 }));
    assert.equal(viaRg.matches.length, 5);
    assert.equal(viaRg.truncated, true);
    const viaJs = await javascriptSearch(fixture.files, query({ maxResults: 5 }));
    assert.equal(viaJs.matches.length, 5);
    assert.equal(viaJs.truncated, true);
  });

  test('the tool formats by file, clips long lines, never shows .env, and explains a bad regex', async () => {
    for (const useRipgrep of [true, false]) {
      const context = { ...fixture.context, config: toolsConfig({ useRipgrep }) };
      const output = await (await searchTextTool.prepare({ query: 'token' }, context)).execute(new AbortController().signal);
      assert.match(output, /matching lines in 6 files for "token":/);
      assert.match(output, /^src\/auth\.ts\n {2}2: {3}return checkToken\(user\.token\);$/m);
      assert.doesNotMatch(output, /API_TOKEN|secret/);
      const longLine = output.split('\n').find((line) => line.includes('x token y'))!;
      assert.ok(longLine.length < 300 && longLine.includes('…'));
      const bad = (await searchTextTool.prepare({ query: 'check(', is_regex: true }, context)).execute(new AbortController().signal);
      await assert.rejects(bad, /could not run this search[\s\S]*set is_regex to false/);
    }
  });
});
