// Invariant 1 under fire: a process running runs is SIGKILLed at random moments, 50 times. After each
// kill the database passes integrity_check, every acknowledged message is there and no run is left active.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { Engine } from '../../../src/engine/engine.ts';
import { startScriptedModelServer } from '../../support/modelServer/index.ts';

const KILLS = 50;
const child = new URL('../../support/crashChild.ts', import.meta.url).pathname;

test(`SIGKILL at random moments ${KILLS} times loses nothing acknowledged and leaves no run active`, { timeout: 300_000 }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'threadwork-crash-'));
  const databasePath = join(dir, 'threadwork.sqlite');
  const model = await startScriptedModelServer();
  model.setHandler(() => ({ text: 'a streamed answer that takes a little while to arrive', chunkSize: 3, delayMs: 4 }));
  // A deterministic spread of kill times, so a failure can be reproduced.
  let seed = 12345;
  const random = (): number => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
  const acknowledged = new Map<string, string>();
  let repairedRuns = 0;
  let completedRuns = 0;
  try {
    for (let kill = 0; kill < KILLS; kill++) {
      let firstAck: () => void = () => undefined;
      const started = new Promise<void>((resolve) => (firstAck = resolve));
      const proc = spawn(process.execPath, [child, databasePath, model.url], { stdio: ['ignore', 'pipe', 'pipe'] });
      let buffered = '';
      let stderr = '';
      proc.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
      proc.stdout.on('data', (chunk: Buffer) => {
        buffered += chunk.toString();
        const lines = buffered.split('\n');
        buffered = lines.pop()!;
        for (const line of lines) {
          const [kind, a, b] = line.split(' ');
          if (kind === 'ACK') {
            acknowledged.set(b!, a!);
            firstAck();
          }
          if (kind === 'DONE') completedRuns++;
        }
      });
      const exited = new Promise<NodeJS.Signals | null>((resolve) => proc.on('exit', (_code, signal) => resolve(signal)));
      // Start-up time varies with load; the kill lands at a random moment once the child is writing.
      await Promise.race([started, exited]);
      await new Promise((resolve) => setTimeout(resolve, random() * 800));
      proc.kill('SIGKILL');
      assert.equal(await exited, 'SIGKILL', `child exited on its own: ${stderr}`);

      const engine = new Engine({ databasePath, modelBackend: null });
      try {
        const integrity = engine.store.db.prepare('PRAGMA integrity_check').get() as { integrity_check: string };
        assert.equal(integrity.integrity_check, 'ok');
        repairedRuns += engine.repair.ended.length;
        for (const [messageId, threadId] of acknowledged) assert.equal(engine.messages.retrieve(threadId, messageId).id, messageId);
        const active = engine.store.db.prepare("SELECT COUNT(*) AS n FROM runs WHERE status IN ('queued','in_progress','cancelling','requires_action')").get() as { n: number };
        assert.equal(active.n, 0);
        const open = engine.store.db.prepare("SELECT COUNT(*) AS n FROM messages WHERE data ->> '$.status' = 'in_progress'").get() as { n: number };
        assert.equal(open.n, 0, 'no message is left in_progress');
      } finally {
        await engine.close();
      }
    }
    assert.ok(acknowledged.size > KILLS, `writes were acknowledged (${acknowledged.size})`);
    assert.ok(repairedRuns > 0, 'some kills landed mid-run and were repaired');
    assert.ok(completedRuns > 0, 'some runs completed between kills');
  } finally {
    await model.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
