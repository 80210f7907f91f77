/**
 * The engine `threadwork serve` runs: one database for the Assistants objects, one for the
 * knowledge base behind vector stores (keyword search), and the built-in tools — file_search
 * over those stores and code_interpreter in the sandbox — registered as the hosted API had them.
 */
import { join } from 'node:path';
import { createCodeInterpreterTool } from '../engine/builtinTools/engineCodeInterpreter.ts';
import { FileSearchTool } from '../engine/builtinTools/fileSearchTool.ts';
import type { Clock } from '../engine/clock.ts';
import { Engine } from '../engine/engine.ts';
import { SandboxedCodeInterpreterHost } from '../engine/interpreter/codeInterpreterHost.ts';
import type { CodeInterpreterHost } from '../engine/ports/codeInterpreter.ts';
import type { ModelBackend } from '../engine/ports/modelBackend.ts';
import { RetrievalIndex } from '../engine/retrieval/retrievalIndex.ts';
import { openDatabase } from '../engine/store/sqlite.ts';
import { RetrievalVectorIndex } from '../engine/vectorStores/retrievalVectorIndex.ts';

export interface ServeEngineOptions {
  dataDir: string;
  modelBackend: ModelBackend | null;
  log?: (message: string) => void;
  clock?: Clock;
  runExpirySeconds?: number;
  /** The code_interpreter sandbox host (default: Pyodide in a worker, started on first use). */
  codeInterpreterHost?: CodeInterpreterHost;
}

export interface ServeEngine {
  engine: Engine;
  /** Ends runs (cancelled), stops sandboxes and index workers, closes both databases. */
  close(): Promise<void>;
}

export const DATABASE_FILE = 'threadwork.sqlite';
export const KNOWLEDGE_FILE = 'knowledge.sqlite';

export function createServeEngine(options: ServeEngineOptions): ServeEngine {
  const knowledgeDb = openDatabase(join(options.dataDir, KNOWLEDGE_FILE));
  const retrieval = new RetrievalIndex(knowledgeDb);
  const engine = new Engine({
    databasePath: join(options.dataDir, DATABASE_FILE),
    modelBackend: options.modelBackend,
    vectorIndex: new RetrievalVectorIndex(retrieval),
    ...(options.log ? { log: options.log } : {}),
    ...(options.clock ? { clock: options.clock } : {}),
    ...(options.runExpirySeconds !== undefined ? { runExpirySeconds: options.runExpirySeconds } : {}),
  });
  const host = options.codeInterpreterHost ?? new SandboxedCodeInterpreterHost();
  engine.registerBuiltinTool(
    new FileSearchTool({
      index: new RetrievalVectorIndex(retrieval),
      storesFor: (thread, assistant) => engine.vectorStores.storesForRun(thread, assistant),
      touch: (ids) => engine.vectorStores.touch(ids),
    }),
  );
  engine.registerBuiltinTool(createCodeInterpreterTool(engine, host));
  let closing: Promise<void> | undefined;
  return {
    engine,
    close: () =>
      (closing ??= (async () => {
        await engine.close();
        await host.dispose();
        await retrieval.close();
        if (knowledgeDb.isOpen) knowledgeDb.close();
      })()),
  };
}
