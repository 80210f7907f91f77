import assert from 'node:assert/strict';
import { existsSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, test } from 'node:test';
import type { Database } from '../../../src/engine/store/sqlite.ts';
import { openDatabase } from '../../../src/engine/store/sqlite.ts';
import { CheckpointStore } from '../../../src/engine/tools/checkpoints.ts';
import type { Fixture } from './workspaceFixture.ts';
import { createFixture } from './workspaceFixture.ts';

describe('checkpoints', () => {
  let fixture: Fixture;
  let db: Database;
  let store: CheckpointStore;
  const at = (relative: string) => path.join(fixture.root, relative);
  const read = (relative: string) => readFileSync(at(relative), 'utf8');

  beforeEach(() => {
    fixture = createFixture({ 'a.txt': 'a original\n', 'b.txt': 'b original\n', 'c.txt': 'c untouched\n', 'dir/d.txt': 'd original\n' });
    db = openDatabase(':memory:');
    store = new CheckpointStore(db, fixture.files, fixture.paths);
  });
  afterEach(() => {
    db.close();
    fixture.cleanup();
  });

  test('restore puts back modified and deleted files, removes created ones, and touches nothing else', async () => {
    await store.capture('run_1', at('a.txt'));
    writeFileSync(at('a.txt'), 'a changed once\n');
    await store.capture('run_1', at('a.txt'));
    writeFileSync(at('a.txt'), 'a changed twice\n');
    await store.capture('run_1', at('dir/d.txt'));
    rmSync(at('dir/d.txt'));
    await store.capture('run_1', at('new/created.txt'));
    writeFileSync(at('b.txt'), 'b changed by someone else\n');
    const report = await store.restore('run_1');

    assert.equal(read('a.txt'), 'a original\n', 'restored to before the first write, not the second');
    assert.equal(read('dir/d.txt'), 'd original\n');
    assert.equal(read('b.txt'), 'b changed by someone else\n', 'a file the run did not touch stays as it is');
    assert.equal(read('c.txt'), 'c untouched\n');
    assert.deepEqual(report.restored.sort(), ['a.txt', 'dir/d.txt']);
    assert.deepEqual(report.unchanged, ['new/created.txt']);
    assert.deepEqual(report.failed, []);
  });

  test('a file the run created is deleted on restore', async () => {
    await store.capture('run_2', at('made.txt'));
    writeFileSync(at('made.txt'), 'new\n');
    const report = await store.restore('run_2');
    assert.equal(existsSync(at('made.txt')), false);
    assert.deepEqual(report.deleted, ['made.txt']);
  });

  test('runs are independent and identical content is stored once', async () => {
    writeFileSync(at('b.txt'), 'a original\n');
    await store.capture('run_a', at('a.txt'));
    await store.capture('run_b', at('b.txt'));
    assert.equal(store.totalBytes(), Buffer.byteLength('a original\n'));
    writeFileSync(at('a.txt'), 'A\n');
    writeFileSync(at('b.txt'), 'B\n');
    await store.restore('run_b');
    assert.equal(read('a.txt'), 'A\n');
    assert.equal(read('b.txt'), 'a original\n');
  });

  test('the store stays within its byte budget by dropping the oldest runs', async () => {
    let clock = 0;
    const bounded = new CheckpointStore(db, fixture.files, fixture.paths, { maxTotalBytes: 25 }, () => ++clock);
    await bounded.capture('old', at('a.txt'));
    await bounded.capture('mid', at('b.txt'));
    await bounded.capture('new', at('dir/d.txt'));
    assert.deepEqual(bounded.touched('old'), []);
    assert.equal(bounded.touched('new').length, 1);
    assert.ok(bounded.totalBytes() <= 25);
  });

  test('restore never follows a symlink planted outside the workspace after the capture', async () => {
    await store.capture('run_3', at('dir/d.txt'));
    rmSync(at('dir'), { recursive: true });
    symlinkSync(fixture.outside, at('dir'));
    const report = await store.restore('run_3');
    assert.equal(report.failed.length, 1);
    assert.match(report.failed[0]!.reason, /outside/);
    assert.equal(existsSync(path.join(fixture.outside, 'd.txt')), false);
  });

  test('files above the size limit are refused rather than edited without a checkpoint', async () => {
    const small = new CheckpointStore(db, fixture.files, fixture.paths, { maxFileBytes: 4 });
    await assert.rejects(small.capture('run_4', at('a.txt')), /too large/);
  });
});
