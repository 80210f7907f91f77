/**
 * The code interpreter in the extension: v2's `code_interpreter` tool registered on the engine,
 * running in a sandbox host that is created on the first code cell (never during activation),
 * follows the settings (a changed runner or time limit takes effect on the next cell, with fresh
 * sessions), and is disposed with the engine. No `vscode` import: settings come in as a function.
 */
import { join } from 'node:path';
import { createCodeInterpreterTool } from '../../engine/builtinTools/engineCodeInterpreter.ts';
import { SandboxedCodeInterpreterHost, type CodeInterpreterHostOptions } from '../../engine/interpreter/codeInterpreterHost.ts';
import { bundledInterpreterPaths, type InterpreterPaths } from '../../engine/interpreter/interpreterPaths.ts';
import type { CodeInterpreterHost, CodeSandbox, SandboxRunRequest, SandboxRunResult } from '../../engine/ports/codeInterpreter.ts';
import type { EngineAddOn } from '../engineHost.ts';
import type { InterpreterSettings } from './interpreterSettings.ts';

export interface CodeInterpreterAddOnOptions {
  /** The extension's dist/ folder, where esbuild put the worker, Pyodide and the Python helpers. */
  distDir?: string;
  /** Overrides for tests that run from the source tree. */
  paths?: Partial<InterpreterPaths>;
  settings: () => InterpreterSettings;
  log: (message: string) => void;
  /** Creates the sandbox host (tests pass a stand-in); the real one by default. */
  createHost?: (options: CodeInterpreterHostOptions) => CodeInterpreterHost;
}

export const TURNED_OFF_MESSAGE =
  'The code interpreter is turned off in this editor (setting threadwork.codeInterpreter.enabled), so no code ran. ' +
  'Answer without running code, and tell the user they can turn it on in the settings if they want code run.';

/** The add-on for EngineHost: registers the tool when the engine opens, disposes the sandbox when it closes. */
export function codeInterpreterAddOn(options: CodeInterpreterAddOnOptions): (storageDir: string) => EngineAddOn {
  return (storageDir) => {
    const host = new SettingsFollowingHost(options, storageDir);
    return {
      attach: (engine) => engine.registerBuiltinTool(createCodeInterpreterTool(engine, host)),
      close: () => host.dispose(),
    };
  };
}

/**
 * A CodeInterpreterHost whose real sandbox host is built on the first cell from the settings of
 * that moment, and rebuilt when they change. Sessions are handed out as thin proxies, so the engine
 * can hold one across a settings change and still reach the current host.
 */
export class SettingsFollowingHost implements CodeInterpreterHost {
  private readonly options: CodeInterpreterAddOnOptions;
  private readonly storageDir: string;
  private current: { key: string; host: CodeInterpreterHost } | undefined;
  private disposed = false;

  constructor(options: CodeInterpreterAddOnOptions, storageDir: string) {
    this.options = options;
    this.storageDir = storageDir;
  }

  /** Whether a sandbox host has been built (tests check that opening the engine builds none). */
  get isStarted(): boolean {
    return this.current !== undefined;
  }

  sessionFor(threadId: string): CodeSandbox {
    return {
      run: (request, signal) => this.run(threadId, request, signal),
      // The real session belongs to the current host, which closes it when idle or disposed.
      dispose: () => Promise.resolve(),
    };
  }

  async dispose(): Promise<void> {
    this.disposed = true;
    const current = this.current;
    this.current = undefined;
    await current?.host.dispose();
  }

  private async run(threadId: string, request: SandboxRunRequest, signal: AbortSignal): Promise<SandboxRunResult> {
    if (this.disposed) return unavailable('The code interpreter has been shut down (the extension is stopping).');
    const settings = this.options.settings();
    if (!settings.enabled) return unavailable(TURNED_OFF_MESSAGE);
    return this.hostFor(settings).sessionFor(threadId).run(request, signal);
  }

  private hostFor(settings: InterpreterSettings): CodeInterpreterHost {
    const key = JSON.stringify([settings.runner, settings.timeoutSeconds, settings.allowPackageDownloads]);
    if (this.current?.key === key) return this.current.host;
    const previous = this.current;
    if (previous) {
      this.options.log('Code interpreter settings changed: its sessions start afresh.');
      void previous.host.dispose();
    }
    const hostOptions: CodeInterpreterHostOptions = {
      paths: { ...(this.options.distDir ? bundledInterpreterPaths(this.options.distDir) : {}), ...this.options.paths },
      python: settings.runner,
      limits: { timeoutMs: settings.timeoutSeconds * 1000 },
      pyodide: { packageCacheDir: join(this.storageDir, 'pyodide-packages'), allowPackageDownloads: settings.allowPackageDownloads },
    };
    const host = (this.options.createHost ?? ((options) => new SandboxedCodeInterpreterHost(options)))(hostOptions);
    this.options.log(`Code interpreter started (${settings.runner === 'local' ? 'local python3 under bubblewrap' : 'Pyodide'}, ${settings.timeoutSeconds} s per cell).`);
    this.current = { key, host };
    return host;
  }
}

function unavailable(message: string): SandboxRunResult {
  return { logs: '', images: [], files: [], error: { kind: 'unavailable', message } };
}
