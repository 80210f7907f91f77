/**
 * Turns settings and the stored key into a model backend and a status the panel can show, and owns
 * the "Set API Key" flow. A missing key is only a problem for remote servers: local ones (Ollama,
 * LM Studio, llama.cpp, a test server on 127.0.0.1) usually take none.
 */
import * as vscode from 'vscode';
import type { ModelBackend } from '../engine/ports/modelBackend.ts';
import type { ProviderStatus } from '../protocol/chatModel.ts';
import { createModelBackend } from '../providers/createModelBackend.ts';
import type { ApiKeyStore } from './apiKeyStore.ts';
import type { ProviderPort } from './chatPorts.ts';
import { LanguageModelBackend } from './lm/languageModelBackend.ts';
import { onDidChangeProviderSettings, PROVIDER_SECTION, readProviderSettings, type ProviderSettingsValues } from './providerConfiguration.ts';

export class ProviderSetup implements ProviderPort, vscode.Disposable {
  private readonly keys: ApiKeyStore;
  private readonly changed = new vscode.EventEmitter<void>();
  private readonly subscriptions: vscode.Disposable[];
  private settings: ProviderSettingsValues = readProviderSettings();
  private backend: { signature: string; backend: ModelBackend } | undefined;

  constructor(keys: ApiKeyStore) {
    this.keys = keys;
    this.subscriptions = [
      onDidChangeProviderSettings(() => {
        this.settings = readProviderSettings();
        this.changed.fire();
      }),
      keys.onDidChange(() => this.changed.fire()),
      this.changed,
    ];
  }

  whenReady(): Promise<void> {
    return this.keys.whenLoaded();
  }

  onDidChange(listener: () => void): () => void {
    const subscription = this.changed.event(listener);
    return () => subscription.dispose();
  }

  status(): ProviderStatus {
    const { kind, baseUrl, model } = this.settings;
    const hasApiKey = this.keys.current !== undefined;
    return { isConfigured: problemWith(this.settings, hasApiKey) === null, kind, baseUrl, model, hasApiKey, problem: problemWith(this.settings, hasApiKey) };
  }

  /** The engine asks at each run; the backend is rebuilt only when settings or the key changed. */
  modelBackend(): ModelBackend | null {
    if (!this.status().isConfigured) return null;
    const { kind, baseUrl, model } = this.settings;
    const apiKey = this.keys.current;
    const signature = JSON.stringify([kind, baseUrl, apiKey ?? '', kind === 'vscode-lm' ? model : '']);
    if (this.backend?.signature !== signature) {
      // VS Code's own models need neither a base URL nor a key (src/vscode/lm/).
      const backend = kind === 'vscode-lm' ? new LanguageModelBackend(model) : createModelBackend({ kind, baseURL: baseUrl, ...(apiKey ? { apiKey } : {}) });
      this.backend = { signature, backend };
    }
    return this.backend.backend;
  }

  /** "Threadwork: Set API Key": a password box; an empty answer removes the key. */
  async promptForApiKey(): Promise<void> {
    const key = await vscode.window.showInputBox({
      title: 'Threadwork: API key for the model provider',
      prompt: `Stored in the OS keychain (SecretStorage), used for ${this.settings.baseUrl || 'the configured base URL'}. Leave empty to remove the stored key.`,
      password: true,
      ignoreFocusOut: true,
    });
    if (key === undefined) return;
    if (key.trim().length === 0) await this.keys.clear();
    else await this.keys.set(key.trim());
  }

  async openSettings(): Promise<void> {
    await vscode.commands.executeCommand('workbench.action.openSettings', PROVIDER_SECTION);
  }

  dispose(): void {
    for (const subscription of this.subscriptions) subscription.dispose();
  }
}

function problemWith(settings: ProviderSettingsValues, hasApiKey: boolean): string | null {
  if (settings.kind === 'vscode-lm') return settings.model.length === 0 ? 'Choose one of VS Code\'s language models: run "Threadwork: Select Model".' : null;
  if (settings.baseUrl.length === 0) return 'Set threadwork.provider.baseUrl to the address of an OpenAI-compatible model API.';
  if (!/^https?:\/\//i.test(settings.baseUrl)) return `threadwork.provider.baseUrl must start with http:// or https:// (it is "${settings.baseUrl}").`;
  if (settings.model.length === 0) return 'Choose a model: set threadwork.provider.model (for example gpt-4.1-mini, or a model your local server serves).';
  if (!hasApiKey && !isLoopback(settings.baseUrl)) return `No API key is stored for ${settings.baseUrl}. Run "Threadwork: Set API Key".`;
  return null;
}

function isLoopback(baseUrl: string): boolean {
  try {
    const host = new URL(baseUrl).hostname;
    return host === 'localhost' || host === '[::1]' || host.startsWith('127.');
  } catch {
    return false;
  }
}
