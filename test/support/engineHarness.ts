/**
 * An engine on a real SQLite file in a temp folder, talking to the scripted model server through
 * the real provider and the real `openai` SDK. Tests get the engine, the server and helpers to
 * wait for a run to settle and collect its events.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Engine, type EngineOptions } from '../../src/engine/engine.ts';
import type { Run } from '../../src/engine/types/run.ts';
import type { StreamEvent } from '../../src/engine/types/streamEvent.ts';
import { createModelBackend, type ModelApiKind } from '../../src/providers/createModelBackend.ts';
import { startScriptedModelServer, type ScriptedModelServer } from './modelServer/index.ts';

export interface EngineHarness {
  engine: Engine;
  model: ScriptedModelServer;
  dir: string;
  databasePath: string;
  /** A fresh assistant on the scripted model. */
  assistant(overrides?: Parameters<Engine['assistants']['create']>[0] extends infer P ? Partial<P> : never): ReturnType<Engine['assistants']['create']>;
  /** Collects one stream segment of a run (up to and including `done`). */
  collect(runId: string, fromSeq?: number): Promise<StreamEvent[]>;
  /** Waits until the run leaves queued/in_progress/cancelling. */
  settle(threadId: string, runId: string): Promise<Run>;
  close(): Promise<void>;
}

export interface HarnessOptions extends Partial<Omit<EngineOptions, 'databasePath' | 'modelBackend'>> {
  kind?: ModelApiKind;
  /** Reuse a database folder (crash and restart tests). */
  dir?: string;
  noModel?: boolean;
  idleTimeoutMs?: number;
}

export async function createEngineHarness(options: HarnessOptions = {}): Promise<EngineHarness> {
  const dir = options.dir ?? mkdtempSync(join(tmpdir(), 'threadwork-engine-'));
  const databasePath = join(dir, 'threadwork.sqlite');
  const model = await startScriptedModelServer();
  const backend = createModelBackend({
    kind: options.kind ?? 'chat-completions',
    baseURL: model.url,
    maxAttempts: 3,
    retryBaseDelayMs: 10,
    idleTimeoutMs: options.idleTimeoutMs ?? 5_000,
  });
  const { kind: _kind, dir: _dir, noModel, idleTimeoutMs: _idle, ...engineOptions } = options;
  const engine = new Engine({ databasePath, modelBackend: noModel ? null : backend, ...engineOptions });
  const harness: EngineHarness = {
    engine,
    model,
    dir,
    databasePath,
    assistant: (overrides = {}) => engine.assistants.create({ model: 'scripted-model', instructions: 'You are a test assistant.', ...overrides }),
    collect: async (runId, fromSeq = 0) => {
      const events: StreamEvent[] = [];
      for await (const event of engine.hub.stream(runId, fromSeq)) events.push(event);
      return events;
    },
    settle: async (threadId, runId) => {
      for (let attempt = 0; attempt < 2000; attempt++) {
        const run = engine.runs.retrieve(threadId, runId);
        if (!['queued', 'in_progress', 'cancelling'].includes(run.status)) return run;
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
      throw new Error(`run ${runId} did not settle`);
    },
    close: async () => {
      await engine.close();
      await model.close();
      if (!options.dir) rmSync(dir, { recursive: true, force: true });
    },
  };
  return harness;
}

export function eventNames(events: StreamEvent[]): string[] {
  return events.map((event) => event.event);
}
