/**
 * Owns the engine for the extension's lifetime and creates it on first use: opening the database
 * (and repairing runs a crash left behind) waits until the panel or a command needs it, so
 * activation stays cheap.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { Engine } from '../engine/engine.ts';
import type { ModelBackend } from '../engine/ports/modelBackend.ts';

export interface EngineHostOptions {
  /** The extension's global storage folder; the database lives there. */
  storageDir: string;
  modelBackend: () => ModelBackend | null;
  log: (message: string) => void;
}

export class EngineHost {
  private readonly options: EngineHostOptions;
  private engine: Engine | undefined;

  constructor(options: EngineHostOptions) {
    this.options = options;
  }

  get(): Engine {
    if (!this.engine) {
      mkdirSync(this.options.storageDir, { recursive: true });
      const databasePath = join(this.options.storageDir, 'threadwork.sqlite');
      const started = performance.now();
      this.engine = new Engine({ databasePath, modelBackend: this.options.modelBackend });
      const { ended, adopted } = this.engine.repair;
      this.options.log(`Engine opened ${databasePath} in ${Math.round(performance.now() - started)} ms (interrupted runs ended: ${ended.length}, adopted: ${adopted.length}).`);
    }
    return this.engine;
  }

  /** Ends this window's runs as cancelled and closes the database. */
  async close(): Promise<void> {
    const engine = this.engine;
    this.engine = undefined;
    await engine?.close();
  }

  dispose(): void {
    void this.close();
  }
}
