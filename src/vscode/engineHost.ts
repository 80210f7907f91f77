/**
 * Owns the engine for the extension's lifetime and creates it on first use: opening the database
 * (and repairing runs a crash left behind) waits until the panel or a command needs it, so
 * activation stays cheap.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { Engine, type EngineOptions } from '../engine/engine.ts';
import type { ModelBackend } from '../engine/ports/modelBackend.ts';

/** A part built together with the engine (the knowledge base's index) and closed after it. */
export interface EngineAddOn {
  options?: Partial<Pick<EngineOptions, 'vectorIndex' | 'builtinTools'>>;
  attach?(engine: Engine): void;
  close?(): Promise<void>;
}

export interface EngineHostOptions {
  /** The extension's global storage folder; the database lives there. */
  storageDir: string;
  modelBackend: () => ModelBackend | null;
  log: (message: string) => void;
  /** Context window of a model in tokens, for truncation (the engine's default otherwise). */
  contextWindowFor?: (model: string) => number;
  /** Built when the engine is, in this order. */
  addOns?: Array<(storageDir: string) => EngineAddOn>;
}

export class EngineHost {
  private readonly options: EngineHostOptions;
  private engine: Engine | undefined;
  private addOns: EngineAddOn[] = [];

  constructor(options: EngineHostOptions) {
    this.options = options;
  }

  /** Whether the database is open (the status bar reads it without opening it). */
  get isOpen(): boolean {
    return this.engine !== undefined;
  }

  get(): Engine {
    if (!this.engine) {
      mkdirSync(this.options.storageDir, { recursive: true });
      const databasePath = join(this.options.storageDir, 'threadwork.sqlite');
      const started = performance.now();
      this.addOns = (this.options.addOns ?? []).map((create) => create(this.options.storageDir));
      this.engine = new Engine({
        databasePath,
        modelBackend: this.options.modelBackend,
        ...(this.options.contextWindowFor ? { contextWindowFor: this.options.contextWindowFor } : {}),
        ...Object.assign({}, ...this.addOns.map((addOn) => addOn.options ?? {})),
      });
      for (const addOn of this.addOns) addOn.attach?.(this.engine);
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
    for (const addOn of this.addOns.splice(0).reverse()) await addOn.close?.();
  }

  dispose(): void {
    void this.close();
  }
}
