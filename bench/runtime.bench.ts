// bench:runtime — the same scripted 2,000-token streamed reply, consumed directly through the
// openai SDK (the floor) and through the engine's event stream, side by side in one run.
// Prints time to first token and to last token for both, and the engine's overhead.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import OpenAI from 'openai';
import { Engine } from '../src/engine/engine.ts';
import { createModelBackend } from '../src/providers/createModelBackend.ts';
import { startScriptedModelServer } from '../test/support/modelServer/index.ts';

const TOKENS = 2000;
const ROUNDS = Number(process.env['ROUNDS'] ?? 7);
// One "token" is four characters: the scripted server sends one per delta.
const text = Array.from({ length: TOKENS }, (_, i) => `w${String(i % 1000).padStart(3, '0')}`).join('');

interface Timing {
  first: number;
  last: number;
}

const median = (values: number[]): number => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

async function main(): Promise<void> {
  const model = await startScriptedModelServer();
  const dir = mkdtempSync(join(tmpdir(), 'threadwork-bench-'));
  const engine = new Engine({
    databasePath: join(dir, 'bench.sqlite'),
    modelBackend: createModelBackend({ kind: 'chat-completions', baseURL: model.url, maxAttempts: 1 }),
  });
  const client = new OpenAI({ baseURL: model.url, apiKey: 'bench', maxRetries: 0 });
  const assistant = engine.assistants.create({ model: 'scripted-model', instructions: 'Answer.' });

  async function direct(delayMs: number): Promise<Timing> {
    model.enqueue({ text, chunkSize: 4, delayMs });
    const start = performance.now();
    let first = 0;
    const stream = await client.chat.completions.create({ model: 'scripted-model', stream: true, messages: [{ role: 'user', content: 'go' }] });
    for await (const chunk of stream) {
      if (!first && chunk.choices[0]?.delta?.content) first = performance.now() - start;
    }
    return { first, last: performance.now() - start };
  }

  async function throughEngine(delayMs: number): Promise<Timing> {
    model.enqueue({ text, chunkSize: 4, delayMs });
    const thread = engine.threads.create({ messages: [{ role: 'user', content: 'go' }] });
    const start = performance.now();
    let first = 0;
    const run = engine.runs.create(thread.id, { assistant_id: assistant.id });
    for await (const event of engine.hub.stream(run.id, 0)) {
      if (!first && event.event === 'thread.message.delta') first = performance.now() - start;
      if (event.event === 'thread.message.completed') break;
    }
    return { first, last: performance.now() - start };
  }

  const rows: string[] = [];
  for (const [label, delayMs] of [
    ['paced (1 ms between deltas, ~a fast model)', 1],
    ['unpaced (deltas as fast as loopback allows)', 0],
  ] as const) {
    const sdk: Timing[] = [];
    const eng: Timing[] = [];
    await direct(delayMs); // warm both paths once
    await throughEngine(delayMs);
    for (let round = 0; round < ROUNDS; round++) {
      // Alternate the order so drift on a shared machine hits both sides alike.
      if (round % 2 === 0) {
        sdk.push(await direct(delayMs));
        eng.push(await throughEngine(delayMs));
      } else {
        eng.push(await throughEngine(delayMs));
        sdk.push(await direct(delayMs));
      }
    }
    const sFirst = median(sdk.map((t) => t.first));
    const eFirst = median(eng.map((t) => t.first));
    const sLast = median(sdk.map((t) => t.last));
    const eLast = median(eng.map((t) => t.last));
    rows.push(
      `${label}\n` +
        `  time to first token   SDK ${sFirst.toFixed(2)} ms   engine ${eFirst.toFixed(2)} ms   added ${(eFirst - sFirst).toFixed(2)} ms (target < 2 ms)\n` +
        `  time to last token    SDK ${sLast.toFixed(1)} ms   engine ${eLast.toFixed(1)} ms   ratio ${(eLast / sLast).toFixed(3)} (+${((eLast / sLast - 1) * 100).toFixed(1)}%, target < 5%)`,
    );
  }
  console.log(`bench:runtime — ${TOKENS}-token scripted reply, median of ${ROUNDS} rounds each\n`);
  console.log(rows.join('\n\n'));
  await engine.close();
  await model.close();
  rmSync(dir, { recursive: true, force: true });
}

await main();
