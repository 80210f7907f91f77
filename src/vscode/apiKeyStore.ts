/**
 * The model API key, kept in VS Code's SecretStorage (the OS keychain), never in settings or logs.
 * The engine asks for a backend synchronously at each run, so the key is cached in memory after
 * the first read and refreshed when the secret changes (also from another window).
 */
import * as vscode from 'vscode';

const SECRET_KEY = 'threadwork.provider.apiKey';

export class ApiKeyStore implements vscode.Disposable {
  private readonly secrets: vscode.SecretStorage;
  private readonly changed = new vscode.EventEmitter<void>();
  private readonly subscription: vscode.Disposable;
  private cached: string | undefined;
  private loading: Promise<void> | undefined;

  readonly onDidChange = this.changed.event;

  constructor(secrets: vscode.SecretStorage) {
    this.secrets = secrets;
    this.subscription = secrets.onDidChange((event) => {
      if (event.key === SECRET_KEY) void this.reload();
    });
  }

  /** The key as last read; call `whenLoaded` first. */
  get current(): string | undefined {
    return this.cached;
  }

  whenLoaded(): Promise<void> {
    this.loading ??= this.reload();
    return this.loading;
  }

  async set(key: string): Promise<void> {
    await this.secrets.store(SECRET_KEY, key);
    await this.reload();
  }

  async clear(): Promise<void> {
    await this.secrets.delete(SECRET_KEY);
    await this.reload();
  }

  dispose(): void {
    this.subscription.dispose();
    this.changed.dispose();
  }

  private async reload(): Promise<void> {
    const value = await this.secrets.get(SECRET_KEY);
    const next = value && value.length > 0 ? value : undefined;
    if (next === this.cached) return;
    this.cached = next;
    this.changed.fire();
  }
}
