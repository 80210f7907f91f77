import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { createEmbeddingsBackend } from '../../../src/providers/embeddingsBackend.ts';
import type { EmbeddingsBackend } from '../../../src/engine/ports/embeddings.ts';
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { pathToFileURL } from 'node:url';
import { syncFolder } from '../../../src/engine/retrieval/folderSync.ts';
import { createWorkspace, sourceAbout } from './workspaceFixture.ts';
import type { WorkspaceFixture } from './workspaceFixture.ts';

/** The longest the caller's event loop may be held by indexing or searching (CPU time on it). */
const MAX_STALL_MS = 100;

/**
 * The scripted model server runs in a child process here: in-process, its own work (computing
 * embeddings, serialising them) would land on the very event loop this test watches.
 */
let server: ChildProcess;
let embeddings: EmbeddingsBackend;
before(async () => {
  const serverModule = pathToFileURL(path.join(import.meta.dirname, '../../support/modelServer/index.ts')).href;
  server = spawn(process.execPath, ['--input-type=module', '-e', `const { startScriptedModelServer } = await import(${JSON.stringify(serverModule)}); const server = await startScriptedModelServer(); console.log(server.url); process.on('SIGTERM', () => server.close().then(() => process.exit(0)));`], { stdio: ['ignore', 'pipe', 'inherit'] });
  const [line] = (await once(createInterface({ input: server.stdout! }), 'line')) as [string];
  embeddings = await createEmbeddingsBackend({ baseURL: line.trim(), model: 'scripted-embedding-model', dimensions: 256, maxAttempts: 1 });
});
after(async () => {
  const exited = once(server, 'exit');
  server.kill('SIGTERM');
  await exited;
});

function manyFiles(count: number): Record<string, string> {
  const files: Record<string, string> = {};
  for (let i = 0; i < count; i++) files[`pkg${i % 7}/module${i}.ts`] = sourceAbout(`topic${String.fromCharCode(97 + (i % 26))}${String.fromCharCode(97 + Math.floor(i / 26) % 26)}q`, 40);
  return files;
}

/**
 * Loads what a first index and search load (modules, statements, worker threads): start-up
 * happens once per session and is not what this measures.
 */
async function warmUp(fixture: WorkspaceFixture): Promise<void> {
  for (let i = 0; i < 4; i++) await fixture.index.upsert('warm-up', `file${i}.ts`, new TextEncoder().encode(sourceAbout(`warm${i}`)));
  await fixture.index.search({ collections: ['warm-up'], query: 'warm step' });
  await syncFolder(fixture.index, 'warm-up', fixture.workspace, fixture.folder, { exclude: ['**'] });
}

interface Stalls {
  /** Longest stretch of this thread's own CPU work between two 5 ms heartbeats. */
  maxWorkMs: number;
  /** Longest wall-clock gap between heartbeats (includes time the OS gave other processes). */
  maxDelayMs: number;
  searches: number;
}

/**
 * Runs `work` while searching every 15 ms, with a 5 ms heartbeat on this thread. A stall is CPU
 * time this thread spent between two beats: on a machine shared with other processes the
 * wall-clock gap also counts time the scheduler gave away, which no code here can prevent.
 */
async function measureStalls(work: () => Promise<unknown>, search: () => Promise<unknown>): Promise<Stalls> {
  const histogram = monitorEventLoopDelay({ resolution: 5 });
  histogram.enable();
  let lastCpu = process.threadCpuUsage();
  let maxWorkMs = 0;
  const heartbeat = setInterval(() => {
    const used = process.threadCpuUsage(lastCpu);
    lastCpu = process.threadCpuUsage();
    maxWorkMs = Math.max(maxWorkMs, (used.user + used.system) / 1000);
  }, 5);
  let running = true;
  let searches = 0;
  const searching = (async () => {
    while (running) {
      await search();
      searches++;
      await new Promise((resolve) => setTimeout(resolve, 15));
    }
  })();
  try {
    await work();
  } finally {
    running = false;
    await searching;
    clearInterval(heartbeat);
    histogram.disable();
  }
  return { maxWorkMs, maxDelayMs: histogram.max / 1e6, searches };
}

describe('the caller’s event loop', () => {
  test(`keyword indexing of 400 files with searches alongside never stalls it over ${MAX_STALL_MS} ms`, async (t) => {
    const fixture = await createWorkspace(manyFiles(400));
    try {
      await warmUp(fixture);
      const stalls = await measureStalls(
        () => fixture.sync(),
        () => fixture.index.search({ collections: ['ws'], query: 'how does topicabq step work?' }),
      );
      t.diagnostic(`longest work on the event loop ${stalls.maxWorkMs.toFixed(1)} ms; longest wall-clock delay ${stalls.maxDelayMs.toFixed(1)} ms; ${stalls.searches} searches`);
      assert.equal(fixture.index.files('ws').size, 400);
      assert.ok(stalls.searches > 3, `${stalls.searches} searches ran during indexing`);
      assert.ok(stalls.maxWorkMs < MAX_STALL_MS, `event loop held by ${stalls.maxWorkMs.toFixed(1)} ms of work (wall-clock delay ${stalls.maxDelayMs.toFixed(1)} ms)`);
    } finally {
      await fixture.close();
    }
  });

  test(`embedding, vector loading and brute-force vector search run off it (no stall over ${MAX_STALL_MS} ms)`, async (t) => {
    const fixture = await createWorkspace(manyFiles(150), { database: 'memory', index: { embeddings } });
    try {
      await warmUp(fixture);
      const stalls = await measureStalls(
        async () => {
          await fixture.sync({ limits: { maxTokens: 100, overlapTokens: 0 } });
          for (let i = 0; i < 10; i++) await fixture.index.search({ collections: ['ws'], query: `topic${String.fromCharCode(97 + i)}aq step input`, maxNumResults: 50 });
        },
        () => fixture.index.search({ collections: ['ws'], query: 'trim the input string' }),
      );
      t.diagnostic(`longest work on the event loop ${stalls.maxWorkMs.toFixed(1)} ms; longest wall-clock delay ${stalls.maxDelayMs.toFixed(1)} ms; ${stalls.searches} searches`);
      const vectors = fixture.db.prepare('SELECT count(*) AS n FROM retrieval_vectors').get() as { n: number };
      assert.ok(Number(vectors.n) > 1000, `${vectors.n} vectors`);
      assert.ok(stalls.searches > 3);
      assert.ok(stalls.maxWorkMs < MAX_STALL_MS, `event loop held by ${stalls.maxWorkMs.toFixed(1)} ms of work (wall-clock delay ${stalls.maxDelayMs.toFixed(1)} ms)`);
    } finally {
      await fixture.close();
    }
  });
});
