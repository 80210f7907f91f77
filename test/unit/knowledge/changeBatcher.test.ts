// The watcher's batching on real timers: quiet time before a batch, the last event per path wins,
// batches never overlap (events during one wait for the next), version-control noise is dropped,
// and the branch, ignore files or a flood of paths turn a batch into a full sync.
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, test } from 'node:test';
import { ChangeBatcher, type ChangeBatch } from '../../../src/vscode/knowledge/changeBatcher.ts';

function recorder(options: { debounceMs?: number; maxWaitMs?: number; maxPaths?: number; workMs?: number } = {}) {
  const batches: ChangeBatch[] = [];
  let running = 0;
  let overlapped = false;
  const batcher = new ChangeBatcher({
    debounceMs: options.debounceMs ?? 30,
    maxWaitMs: options.maxWaitMs ?? 1_000,
    ...(options.maxPaths !== undefined ? { maxPaths: options.maxPaths } : {}),
    run: async (batch) => {
      running++;
      overlapped ||= running > 1;
      batches.push(batch);
      await sleep(options.workMs ?? 0);
      running--;
    },
  });
  return { batcher, batches, overlapped: () => overlapped };
}

const entries = (batch: ChangeBatch | undefined) => [...(batch?.changes ?? new Map())].sort();

describe('watcher event batching', () => {
  test('events within the quiet time become one batch, the last event for a path winning', async () => {
    const { batcher, batches } = recorder();
    batcher.push('src/a.ts', 'changed');
    await sleep(10);
    batcher.push('src/a.ts', 'changed');
    batcher.push('src/b.ts', 'created');
    batcher.push('src/c.ts', 'changed');
    batcher.push('src/c.ts', 'deleted');
    assert.equal(batches.length, 0, 'nothing runs before the workspace is quiet');
    await sleep(120);
    assert.equal(batches.length, 1);
    assert.deepEqual(entries(batches[0]), [['src/a.ts', 'changed'], ['src/b.ts', 'created'], ['src/c.ts', 'deleted']]);
    assert.equal(batches[0]?.fullSync, undefined);
    assert.equal(batcher.isIdle, true);
    batcher.dispose();
  });

  test('a file created and then written counts as created; .git internals are not files of the workspace', async () => {
    const { batcher, batches } = recorder();
    batcher.push('new.ts', 'created');
    batcher.push('new.ts', 'changed');
    batcher.push('.git/objects/ab/cdef', 'created');
    batcher.push('.git/index', 'changed');
    await batcher.flush();
    assert.deepEqual(entries(batches[0]), [['new.ts', 'created']]);
    batcher.dispose();
  });

  test('a steady stream of events still gets a batch within maxWaitMs', async () => {
    const { batcher, batches } = recorder({ debounceMs: 40, maxWaitMs: 120 });
    const started = Date.now();
    while (batches.length === 0 && Date.now() - started < 1_000) {
      batcher.push(`file${Date.now() % 7}.ts`, 'changed');
      await sleep(15);
    }
    assert.equal(batches.length, 1);
    assert.ok(Date.now() - started < 400, `first batch after ${Date.now() - started} ms`);
    batcher.dispose();
  });

  test('batches never overlap: events that arrive while one runs wait for the next', async () => {
    const { batcher, batches, overlapped } = recorder({ debounceMs: 5, workMs: 80 });
    batcher.push('one.ts', 'changed');
    await sleep(30);
    assert.equal(batches.length, 1, 'the first batch is running');
    batcher.push('two.ts', 'changed');
    await sleep(20);
    batcher.push('three.ts', 'changed');
    await batcher.flush();
    assert.equal(overlapped(), false);
    assert.equal(batches.length, 2);
    assert.deepEqual(entries(batches[1]), [['three.ts', 'changed'], ['two.ts', 'changed']]);
  });

  test('the branch moving, an ignore file changing or a flood of paths ask for a full sync', async () => {
    const branch = recorder();
    branch.batcher.push('src/a.ts', 'changed');
    branch.batcher.push('.git/HEAD', 'changed');
    await branch.batcher.flush();
    assert.match(branch.batches[0]?.fullSync ?? '', /branch/);

    const ignore = recorder();
    ignore.batcher.push('packages/web/.gitignore', 'changed');
    await ignore.batcher.flush();
    assert.match(ignore.batches[0]?.fullSync ?? '', /packages\/web\/\.gitignore changed/);

    const flood = recorder({ maxPaths: 50 });
    for (let i = 0; i < 51; i++) flood.batcher.push(`gen/${i}.ts`, 'created');
    await flood.batcher.flush();
    assert.match(flood.batches[0]?.fullSync ?? '', /51 files changed at once/);

    const quiet = recorder({ maxPaths: 50 });
    for (let i = 0; i < 50; i++) quiet.batcher.push(`gen/${i}.ts`, 'created');
    await quiet.batcher.flush();
    assert.equal(quiet.batches[0]?.fullSync, undefined, 'at the limit it is still done path by path');
  });

  test('a disposed batcher drops what was pending and takes no more', async () => {
    const { batcher, batches } = recorder();
    batcher.push('a.ts', 'changed');
    batcher.dispose();
    batcher.push('b.ts', 'changed');
    await sleep(80);
    await batcher.flush();
    assert.equal(batches.length, 0);
  });
});
