/**
 * "Start / Stop Local API Server": `threadwork serve` inside the extension host. The Assistants API
 * v2 on 127.0.0.1 with its own database in the extension's storage (an app's threads and runs stay
 * apart from the chat panel's, and the panel's tool runner never answers an app's function calls),
 * on the model set up in VS Code. The bearer token is made once and kept in SecretStorage; the
 * notification shows the base URL and the token and copies either.
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { createServeEngine, type ServeEngine } from '../../cli/serveEngine.ts';
import type { ModelBackend } from '../../engine/ports/modelBackend.ts';
import { ModelError } from '../../engine/ports/modelBackend.ts';
import { startServer, type RunningServer } from '../../server/apiServer.ts';
import { CONTEXT_KEYS } from '../commands/commandTable.ts';
import type { ProviderSetup } from '../providerSetup.ts';
import { readSetting } from '../setup/setupConfiguration.ts';

const TOKEN_SECRET = 'threadwork.server.token';

export interface ServerInfo {
  url: string;
  token: string;
}

export interface LocalApiServerDependencies {
  storageDir: string;
  secrets: vscode.SecretStorage;
  provider: ProviderSetup;
  log: vscode.LogOutputChannel;
}

export class LocalApiServer implements vscode.Disposable {
  private readonly deps: LocalApiServerDependencies;
  private readonly changed = new vscode.EventEmitter<ServerInfo | undefined>();
  private running: { server: RunningServer; runtime: ServeEngine; info: ServerInfo } | undefined;
  private starting: Promise<ServerInfo | undefined> | undefined;

  /** Fires with the address when the server starts, with undefined when it stops. */
  readonly onDidChange = this.changed.event;

  constructor(deps: LocalApiServerDependencies) {
    this.deps = deps;
  }

  get info(): ServerInfo | undefined {
    return this.running?.info;
  }

  /** Starts (or shows the running server); returns its address, or undefined when it could not start. */
  start(options: { port?: number; quiet?: boolean } = {}): Promise<ServerInfo | undefined> {
    if (this.running) {
      if (!options.quiet) this.announce(this.running.info);
      return Promise.resolve(this.running.info);
    }
    this.starting ??= this.open(options).finally(() => (this.starting = undefined));
    return this.starting;
  }

  async stop(): Promise<boolean> {
    const running = this.running;
    if (!running) return false;
    this.running = undefined;
    await running.server.stopAccepting(2_000);
    await running.server.close();
    await running.runtime.close();
    await vscode.commands.executeCommand('setContext', CONTEXT_KEYS.serverRunning, false);
    this.deps.log.info(`Local API server at ${running.info.url} stopped.`);
    this.changed.fire(undefined);
    return true;
  }

  dispose(): void {
    void this.stop();
    this.changed.dispose();
  }

  private async open(options: { port?: number; quiet?: boolean }): Promise<ServerInfo | undefined> {
    const port = options.port ?? readSetting('threadwork.server.port');
    const dataDir = join(this.deps.storageDir, 'api-server');
    mkdirSync(dataDir, { recursive: true });
    const token = await this.token();
    const runtime = createServeEngine({ dataDir, modelBackend: this.followingBackend(), log: (message) => this.deps.log.info(`api server: ${message}`) });
    let server: RunningServer;
    try {
      server = await startServer({ engine: runtime.engine, port, token, log: (message) => this.deps.log.warn(`api server: ${message}`) });
    } catch (error) {
      await runtime.close();
      const inUse = (error as NodeJS.ErrnoException).code === 'EADDRINUSE';
      const message = inUse
        ? `Port ${port} on 127.0.0.1 is taken (perhaps \`threadwork serve\` already runs there). Set threadwork.server.port to another port, or 0 for any free one.`
        : `The local API server could not start: ${error instanceof Error ? error.message : String(error)}`;
      this.deps.log.error(message);
      void vscode.window.showErrorMessage(message, 'Open Setting').then((choice) => {
        if (choice) void vscode.commands.executeCommand('workbench.action.openSettings', 'threadwork.server.port');
      });
      return undefined;
    }
    const info = { url: server.url, token };
    this.running = { server, runtime, info };
    await vscode.commands.executeCommand('setContext', CONTEXT_KEYS.serverRunning, true);
    // The token is a secret: the log names the address and the data folder only.
    this.deps.log.info(`Local API server listening at ${server.url} (data in ${dataDir}).`);
    this.changed.fire(info);
    if (!options.quiet) this.announce(info);
    return info;
  }

  private announce(info: ServerInfo): void {
    void vscode.window.showInformationMessage(`Threadwork API server: ${info.url} — token ${info.token}`, 'Copy Token', 'Copy Base URL').then((choice) => {
      if (choice === 'Copy Token') void vscode.env.clipboard.writeText(info.token);
      if (choice === 'Copy Base URL') void vscode.env.clipboard.writeText(info.url);
    });
  }

  private async token(): Promise<string> {
    const existing = await this.deps.secrets.get(TOKEN_SECRET);
    if (existing) return existing;
    const token = `tw-${randomBytes(24).toString('base64url')}`;
    await this.deps.secrets.store(TOKEN_SECRET, token);
    return token;
  }

  /**
   * Runs use the model set up in VS Code at the time they start. A local or compatible server does
   * not know OpenAI's model names, so its configured model answers every run; OpenAI gets the
   * model the app asked for.
   */
  private followingBackend(): ModelBackend {
    const provider = this.deps.provider;
    return {
      async *stream(request, signal) {
        const backend = provider.modelBackend();
        if (!backend) throw new ModelError('server_error', `No model is set up in VS Code: ${provider.status().problem ?? 'run "Threadwork: Select Model"'}.`);
        const { kind, model } = provider.status();
        yield* backend.stream(kind === 'responses' ? request : { ...request, model }, signal);
      },
    };
  }
}
