import assert from 'node:assert/strict';
import { symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { listFilesTool } from '../../../src/engine/tools/listFilesTool.ts';
import { NodeWorkspace } from '../../../src/engine/tools/nodeWorkspace.ts';
import { searchTextTool } from '../../../src/engine/tools/searchTextTool.ts';
import { toolsConfig } from '../../../src/engine/tools/toolsConfig.ts';
import { PathResolver } from '../../../src/engine/tools/paths.ts';
import { ToolError } from '../../../src/engine/tools/tool.ts';
import type { Fixture } from './workspaceFixture.ts';
import { createFixture } from './workspaceFixture.ts';

describe('tool paths stay inside the workspace', () => {
  let fixture: Fixture;
  before(() => {
    fixture = createFixture({ 'src/app.ts': 'x', 'docs/readme.md': 'y' });
    writeFileSync(path.join(fixture.outside, 'secret.txt'), 'outside');
    symlinkSync(fixture.outside, path.join(fixture.root, 'escape'));
    symlinkSync(path.join(fixture.outside, 'secret.txt'), path.join(fixture.root, 'src/link.txt'));
    symlinkSync(path.join(fixture.outside, 'not-yet'), path.join(fixture.root, 'dangling'));
    symlinkSync(path.join(fixture.root, 'src'), path.join(fixture.root, 'alias'));
  });
  after(() => fixture.cleanup());

  const refused = async (input: string, pattern: RegExp) => {
    await assert.rejects(fixture.paths.resolve(input), (error: unknown) => {
      assert.ok(ToolError.is(error), `expected ToolError, got ${String(error)}`);
      assert.match(error.message, pattern);
      return true;
    });
  };

  test('relative, ./ and absolute paths inside resolve to the real file', async () => {
    const plain = await fixture.paths.resolve('src/app.ts');
    assert.equal(plain.real, path.join(fixture.root, 'src/app.ts'));
    assert.equal(plain.display, 'src/app.ts');
    assert.equal(plain.exists, true);
    assert.equal((await fixture.paths.resolve('./src/../src/app.ts')).relative, 'src/app.ts');
    assert.equal((await fixture.paths.resolve(path.join(fixture.root, 'docs/readme.md'))).relative, 'docs/readme.md');
    assert.equal((await fixture.paths.resolve('src\\app.ts')).relative, 'src/app.ts');
  });

  test('../ out of the workspace is refused', async () => {
    await refused('../outside/secret.txt', /outside the workspace/);
    await refused('src/../../outside/secret.txt', /outside the workspace/);
  });

  test('absolute paths elsewhere are refused', async () => {
    await refused('/etc/passwd', /outside the workspace/);
    await refused(path.join(fixture.outside, 'secret.txt'), /outside the workspace/);
  });

  test('percent-encoded traversal is refused, not decoded', async () => {
    await refused('%2e%2e/outside/secret.txt', /percent-encoded/);
    await refused('src%2f..%2f..%2fetc', /percent-encoded/);
    await refused('%252e%252e/x', /percent-encoded/);
  });

  test('~ points at the home directory, which is outside', async () => {
    await refused('~/.ssh/id_rsa', /outside the workspace/);
    await refused('~root/.bashrc', /another user's home/);
    assert.ok(!os.homedir().startsWith(fixture.root));
  });

  test('a symlink to a directory outside is refused, also for files that do not exist yet', async () => {
    await refused('escape/secret.txt', /symbolic link to a location outside/);
    await refused('escape/new-file.txt', /symbolic link to a location outside/);
    await refused('src/link.txt', /symbolic link to a location outside/);
  });

  test('a dangling symlink is not written through', async () => {
    await refused('dangling', /broken links/);
  });

  test('a symlink inside the workspace resolves to its real target, keeping the written path for rules', async () => {
    const resolved = await fixture.paths.resolve('alias/app.ts');
    assert.equal(resolved.relative, 'src/app.ts');
    assert.equal(resolved.lexicalRelative, 'alias/app.ts');
  });

  test('a new file under a new directory resolves inside', async () => {
    const resolved = await fixture.paths.resolve('src/new/deep/file.ts');
    assert.equal(resolved.exists, false);
    assert.equal(resolved.real, path.join(fixture.root, 'src/new/deep/file.ts'));
  });

  test('file:// URIs and empty paths', async () => {
    assert.equal((await fixture.paths.resolve(`file://${path.join(fixture.root, 'src/app.ts')}`)).relative, 'src/app.ts');
    await refused('   ', /non-empty path/);
    await refused('a\0b', /NUL/);
  });
});

test('multi-root: a leading folder name picks that folder and displays are prefixed', async () => {
  const first = createFixture({ 'a.txt': '' });
  const second = createFixture({ 'b.txt': '' });
  try {
    const files = new NodeWorkspace([{ name: 'front', path: first.root }, { name: 'back', path: second.root }]);
    const resolver = new PathResolver(files);
    const resolved = await resolver.resolve('back/b.txt');
    assert.equal(resolved.folder.name, 'back');
    assert.equal(resolved.display, 'back/b.txt');
    assert.equal((await resolver.resolve('a.txt')).display, 'front/a.txt');
    assert.equal((await resolver.resolve(path.join(second.root, 'b.txt'))).display, 'back/b.txt');
    const context = { files, paths: resolver, config: toolsConfig() };
    const signal = new AbortController().signal;
    assert.equal(await (await listFilesTool.prepare({}, context)).execute(signal), '2 paths in the workspace:\nfront/a.txt\nback/b.txt');
    writeFileSync(path.join(second.root, 'b.txt'), 'needle\n');
    writeFileSync(path.join(first.root, 'a.txt'), 'needle\n');
    assert.equal(await (await searchTextTool.prepare({ query: 'needle' }, context)).execute(signal), '2 matching lines in 2 files for "needle":\nfront/a.txt\n  1: needle\nback/b.txt\n  1: needle');
  } finally {
    first.cleanup();
    second.cleanup();
  }
});

