/**
 * Keys per endpoint, so switching providers never sends one provider's key to another: the active
 * key (ApiKeyStore, which runs use) is swapped for the key kept for the new endpoint's origin, or
 * cleared when there is none. All of it stays in SecretStorage; nothing here is logged.
 */
import type * as vscode from 'vscode';
import type { ApiKeyStore } from '../apiKeyStore.ts';

const PREFIX = 'threadwork.provider.apiKeyFor:';

export function originOf(baseUrl: string): string | undefined {
  try {
    return new URL(baseUrl).origin;
  } catch {
    return undefined;
  }
}

export class ApiKeyRing {
  private readonly secrets: vscode.SecretStorage;
  private readonly active: ApiKeyStore;

  constructor(secrets: vscode.SecretStorage, active: ApiKeyStore) {
    this.secrets = secrets;
    this.active = active;
  }

  async keyFor(baseUrl: string): Promise<string | undefined> {
    const origin = originOf(baseUrl);
    if (!origin) return undefined;
    const stored = await this.secrets.get(PREFIX + origin);
    return stored && stored.length > 0 ? stored : undefined;
  }

  /**
   * Moves from the endpoint in use to `next`: the active key is kept for the endpoint it belonged
   * to, then replaced by `newKey` (also kept for `next`) or by what was kept for `next`, or cleared.
   */
  async switchTo(previousBaseUrl: string, next: string, newKey: string | undefined): Promise<void> {
    await this.active.whenLoaded();
    const current = this.active.current;
    const previousOrigin = originOf(previousBaseUrl);
    if (current && previousOrigin && !(await this.secrets.get(PREFIX + previousOrigin))) await this.secrets.store(PREFIX + previousOrigin, current);
    const nextOrigin = originOf(next);
    if (newKey && nextOrigin) await this.secrets.store(PREFIX + nextOrigin, newKey);
    const key = newKey ?? (nextOrigin ? await this.keyFor(next) : undefined) ?? (previousOrigin === nextOrigin ? current : undefined);
    if (key) await this.active.set(key);
    else await this.active.clear();
  }
}
