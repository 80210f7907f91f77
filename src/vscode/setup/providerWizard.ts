/**
 * "Threadwork: Select Model": from nothing to a working model in a few choices. It offers the
 * servers found running on this machine (with their models), OpenAI (key into SecretStorage), any
 * OpenAI-compatible endpoint (base URL, optional key) and VS Code's own language models; then it
 * probes the endpoint (which API, tool calls, context window), writes the settings, and says in one
 * sentence what Threadwork will use. With arguments it does the same without asking (walkthrough
 * links, scripts, tests).
 */
import * as vscode from 'vscode';
import { probeEndpoint, type EndpointCapabilities } from '../../providers/capabilityProbe.ts';
import { listModels } from '../../providers/listModels.ts';
import { detectLocalServers, type DetectedServer } from '../../providers/localServerDetection.ts';
import type { ProviderKind } from '../../protocol/chatModel.ts';
import { PROVIDER_SECTION, readProviderSettings } from '../providerConfiguration.ts';
import type { ApiKeyRing } from './apiKeyRing.ts';
import type { CapabilityStore } from './capabilityStore.ts';
import { VSCODE_LM_KIND } from './providerKinds.ts';
import { availableLanguageModels } from '../lm/languageModelBackend.ts';
import { localServers } from './setupConfiguration.ts';

/** What `threadwork.selectModel` accepts as its argument to configure without asking. */
export interface SelectModelArgs {
  kind: ProviderKind;
  baseUrl?: string;
  model: string;
  apiKey?: string;
  /** Probe the endpoint first (default true). */
  probe?: boolean;
}

export interface WizardDependencies {
  keys: ApiKeyRing;
  capabilities: CapabilityStore;
  log: vscode.LogOutputChannel;
}

const OPENAI_BASE_URL = 'https://api.openai.com/v1';

type Choice =
  | { kind: 'local'; server: DetectedServer }
  | { kind: 'openai' }
  | { kind: 'compatible' }
  | { kind: 'vscode-lm' };

interface ChoiceItem extends vscode.QuickPickItem {
  choice?: Choice;
}

export class ProviderWizard {
  private readonly deps: WizardDependencies;

  constructor(deps: WizardDependencies) {
    this.deps = deps;
  }

  /** True when a model was set up. */
  async run(args?: SelectModelArgs): Promise<boolean> {
    if (args && typeof args === 'object' && typeof args.model === 'string') return this.apply(args);
    const choice = await this.pickProvider();
    if (!choice) return false;
    if (choice.kind === 'vscode-lm') return this.pickLanguageModel();
    if (choice.kind === 'local') {
      const model = await this.pickModel(choice.server.models, `${choice.server.name} at ${choice.server.baseUrl}`);
      return model ? this.apply({ kind: 'chat-completions', baseUrl: choice.server.baseUrl, model }) : false;
    }
    const baseUrl = choice.kind === 'openai' ? OPENAI_BASE_URL : await this.askBaseUrl();
    if (!baseUrl) return false;
    const existingKey = await this.deps.keys.keyFor(baseUrl);
    const key = await vscode.window.showInputBox({
      title: choice.kind === 'openai' ? 'OpenAI API key' : `API key for ${baseUrl}`,
      prompt: `${choice.kind === 'openai' ? 'Your key from platform.openai.com.' : 'Leave empty if the server takes no key.'} It is kept in the OS keychain (SecretStorage), never in settings.${existingKey ? ' Leave empty to keep the stored key.' : ''}`,
      password: true,
      ignoreFocusOut: true,
    });
    if (key === undefined) return false;
    const apiKey = key.trim() || existingKey;
    if (choice.kind === 'openai' && !apiKey) {
      void vscode.window.showWarningMessage('OpenAI needs an API key. Run "Threadwork: Select Model" again with one, or choose a local server.');
      return false;
    }
    const models = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `Listing the models at ${baseUrl}…` }, () => listModels({ baseURL: baseUrl, ...(apiKey ? { apiKey } : {}), maxAttempts: 1 }).catch((error: unknown) => {
      this.deps.log.warn(`Listing models at ${baseUrl} failed: ${error instanceof Error ? error.message : String(error)}`);
      return [] as string[];
    }));
    const preferred = choice.kind === 'openai' ? models.filter((id) => /^(gpt-|o\d)/.test(id) && !/audio|realtime|image|tts|transcribe|search/.test(id)) : models;
    const model = await this.pickModel(preferred, baseUrl);
    return model ? this.apply({ kind: choice.kind === 'openai' ? 'responses' : 'chat-completions', baseUrl, model, ...(apiKey ? { apiKey } : {}) }) : false;
  }

  /** Writes the settings (after probing), swaps in the endpoint's key, and tells the user the outcome. */
  async apply(args: SelectModelArgs): Promise<boolean> {
    const previous = readProviderSettings();
    if (args.kind === VSCODE_LM_KIND) {
      await this.writeSettings(VSCODE_LM_KIND, previous.baseUrl, args.model);
      void vscode.window.showInformationMessage(`Threadwork now uses VS Code's language model "${args.model}".`);
      return true;
    }
    const baseUrl = (args.baseUrl ?? previous.baseUrl).trim().replace(/\/+$/, '');
    if (!/^https?:\/\//i.test(baseUrl)) {
      void vscode.window.showErrorMessage(`"${baseUrl}" is not an http(s) base URL.`);
      return false;
    }
    const apiKey = args.apiKey ?? (await this.deps.keys.keyFor(baseUrl));
    let kind: ProviderKind = args.kind;
    let capabilities: EndpointCapabilities | undefined;
    if (args.probe !== false) {
      capabilities = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `Checking what ${args.model} can do at ${baseUrl}…` }, () =>
        probeEndpoint({ baseUrl, model: args.model, ...(apiKey ? { apiKey } : {}) }).catch((error: unknown) => {
          const message = error instanceof Error ? error.message : String(error);
          this.deps.log.warn(`Probing ${args.model} at ${baseUrl} failed: ${message}`);
          void vscode.window.showWarningMessage(`${args.model} at ${baseUrl} did not answer: ${message}`);
          return undefined;
        }));
      if (!capabilities) return false;
      kind = capabilities.api;
      await this.deps.capabilities.put(capabilities);
      this.deps.log.info(`Capabilities of ${args.model} at ${baseUrl}: ${capabilities.api}, tool calls ${capabilities.toolCalls}${capabilities.streamedToolArguments ? ' (streamed)' : ''}, context window ${capabilities.contextWindow ?? 'unknown'}.`);
    }
    await this.deps.keys.switchTo(previous.baseUrl, baseUrl, args.apiKey);
    await this.writeSettings(kind, baseUrl, args.model);
    void vscode.window.showInformationMessage(summary(args.model, baseUrl, kind, capabilities));
    for (const note of capabilities?.notes ?? []) if (/tool/i.test(note)) void vscode.window.showWarningMessage(note);
    return true;
  }

  private async writeSettings(kind: ProviderKind, baseUrl: string, model: string): Promise<void> {
    const section = vscode.workspace.getConfiguration(PROVIDER_SECTION);
    await section.update('kind', kind, vscode.ConfigurationTarget.Global);
    await section.update('baseUrl', baseUrl, vscode.ConfigurationTarget.Global);
    await section.update('model', model, vscode.ConfigurationTarget.Global);
  }

  /** The provider list appears at once; servers found on this machine are added when detection answers. */
  private async pickProvider(): Promise<Choice | undefined> {
    const pick = vscode.window.createQuickPick<ChoiceItem>();
    pick.title = 'Threadwork: connect a model';
    pick.placeholder = 'Looking for model servers on this machine…';
    pick.ignoreFocusOut = true;
    pick.busy = true;
    const fixed: ChoiceItem[] = [
      { label: '$(key) OpenAI', description: 'api.openai.com, with your API key', choice: { kind: 'openai' } },
      { label: '$(globe) OpenAI-compatible endpoint…', description: 'any base URL: OpenRouter, Azure, a server elsewhere', choice: { kind: 'compatible' } },
    ];
    pick.items = fixed;
    const candidates = localServers();
    const detection = Promise.all([detectLocalServers(candidates), availableLanguageModels()]).then(([servers, languageModels]) => {
      const local: ChoiceItem[] = servers.map((server) => ({
        label: `$(vm) ${server.name}`,
        description: server.baseUrl,
        detail: `Running on this machine: ${server.models.length} model${server.models.length === 1 ? '' : 's'}${server.models.length > 0 ? ` (${server.models.slice(0, 4).join(', ')}${server.models.length > 4 ? ', …' : ''})` : ''}. No key needed.`,
        choice: { kind: 'local', server },
      }));
      const lm: ChoiceItem[] = languageModels.length > 0
        ? [{ label: '$(sparkle) VS Code language models', description: `${languageModels.length} offered by other extensions`, detail: 'No key needed: uses a subscription you already have in VS Code.', choice: { kind: 'vscode-lm' } }]
        : [];
      const ports = candidates.map((candidate) => new URL(candidate.baseUrl).port || candidate.baseUrl).join(', ');
      pick.items = [
        ...(local.length > 0 ? [{ label: 'Found on this machine', kind: vscode.QuickPickItemKind.Separator }, ...local] : []),
        { label: 'Other', kind: vscode.QuickPickItemKind.Separator },
        ...fixed,
        ...lm,
      ];
      pick.placeholder = local.length > 0 ? 'Choose where Threadwork sends questions' : `No local server answered (ports ${ports}); choose where Threadwork sends questions`;
      pick.busy = false;
      this.deps.log.info(`Local server detection: ${servers.length > 0 ? servers.map((server) => `${server.name} at ${server.baseUrl} (${server.models.length} models)`).join(', ') : `none on ${ports}`}.`);
    });
    return new Promise<Choice | undefined>((resolve) => {
      pick.onDidAccept(() => {
        const chosen = pick.selectedItems[0]?.choice;
        if (!chosen) return;
        resolve(chosen);
        pick.hide();
      });
      pick.onDidHide(() => {
        resolve(undefined);
        pick.dispose();
      });
      pick.show();
      void detection.catch((error: unknown) => {
        pick.busy = false;
        this.deps.log.warn(`Local server detection failed: ${String(error)}`);
      });
    });
  }

  private async askBaseUrl(): Promise<string | undefined> {
    const current = readProviderSettings().baseUrl;
    const value = await vscode.window.showInputBox({
      title: 'Base URL of the OpenAI-compatible API',
      prompt: 'Including the version path, e.g. https://openrouter.ai/api/v1 or http://192.168.1.20:11434/v1',
      value: current && current !== OPENAI_BASE_URL ? current : '',
      ignoreFocusOut: true,
      validateInput: (text) => (/^https?:\/\/[^\s/]+/i.test(text.trim()) ? undefined : 'Start with http:// or https://'),
    });
    return value?.trim().replace(/\/+$/, '') || undefined;
  }

  private async pickModel(models: readonly string[], where: string): Promise<string | undefined> {
    const other = '$(edit) Another model…';
    const items: vscode.QuickPickItem[] = [...models.map((id) => ({ label: id })), { label: other, description: 'type its name' }];
    const picked = await vscode.window.showQuickPick(items, { title: `Model at ${where}`, placeHolder: models.length > 0 ? 'Choose the model to chat with' : 'The server listed no models; type one', ignoreFocusOut: true });
    if (!picked) return undefined;
    if (picked.label !== other) return picked.label;
    const typed = await vscode.window.showInputBox({ title: `Model name at ${where}`, ignoreFocusOut: true });
    return typed?.trim() || undefined;
  }

  private async pickLanguageModel(): Promise<boolean> {
    const models = await availableLanguageModels();
    const picked = await vscode.window.showQuickPick(models.map((model) => ({ label: model.name, description: `${model.vendor} · ${model.family}`, detail: `${model.maxInputTokens} input tokens`, id: model.id })), { title: 'VS Code language model', ignoreFocusOut: true });
    return picked ? this.apply({ kind: VSCODE_LM_KIND, model: picked.id }) : false;
  }
}

function summary(model: string, baseUrl: string, kind: ProviderKind, capabilities: EndpointCapabilities | undefined): string {
  const api = kind === 'responses' ? 'the Responses API' : 'Chat Completions';
  if (!capabilities) return `Threadwork now uses ${model} at ${baseUrl} (${api}).`;
  const tools = capabilities.toolCalls === 'refused' ? 'no tools (the model refuses them)' : capabilities.streamedToolArguments ? 'tool calls, streamed' : 'tool calls';
  const window = capabilities.contextWindow ? `, ${Math.round(capabilities.contextWindow / 1000)}k context` : '';
  return `Threadwork now uses ${model} at ${baseUrl}: ${api}, ${tools}${window}.`;
}
