/**
 * What each endpoint and model was found able to do (src/providers/capabilityProbe.ts), remembered
 * in globalState so probing happens when a model is chosen, not before every run. Runs ask it
 * whether tools may be offered and how large the model's context window is; a run that fails
 * because the server refused tools updates it too.
 */
import type * as vscode from 'vscode';
import type { EndpointCapabilities } from '../../providers/capabilityProbe.ts';
import { knownContextWindow } from '../../providers/contextWindows.ts';

const STATE_KEY = 'threadwork.capabilities.v1';
const KEEP = 50;

export class CapabilityStore {
  private readonly state: vscode.Memento;

  constructor(state: vscode.Memento) {
    this.state = state;
  }

  get(baseUrl: string, model: string): EndpointCapabilities | undefined {
    return this.all()[signature(baseUrl, model)];
  }

  async put(capabilities: EndpointCapabilities): Promise<void> {
    const all = { ...this.all(), [signature(capabilities.baseUrl, capabilities.model)]: capabilities };
    const newest = Object.entries(all).sort((a, b) => b[1].probedAt - a[1].probedAt).slice(0, KEEP);
    await this.state.update(STATE_KEY, Object.fromEntries(newest));
  }

  /** A run failed because the server refused tools: remember it, so the next runs go without. */
  async markToolsRefused(baseUrl: string, model: string, reason: string): Promise<void> {
    const known = this.get(baseUrl, model);
    const note = `This model refused tool calls (${reason}), so Threadwork runs it without workspace tools.`;
    await this.put({
      baseUrl, model, api: known?.api ?? 'chat-completions', chatCompletions: known?.chatCompletions ?? true, responses: known?.responses ?? false,
      toolCalls: 'refused', streamedToolArguments: null, contextWindow: known?.contextWindow ?? null,
      notes: [note, ...(known?.notes ?? []).filter((existing) => !existing.includes('without workspace tools'))], probedAt: Date.now(),
    });
  }

  toolsAllowed(baseUrl: string, model: string): boolean {
    return this.get(baseUrl, model)?.toolCalls !== 'refused';
  }

  /** The user's setting first, then what probing found, then OpenAI's published windows. */
  contextWindow(baseUrl: string, model: string, overrides: Readonly<Record<string, number>>): number | null {
    return overrides[model] ?? this.get(baseUrl, model)?.contextWindow ?? knownContextWindow(model);
  }

  private all(): Record<string, EndpointCapabilities> {
    return this.state.get<Record<string, EndpointCapabilities>>(STATE_KEY) ?? {};
  }
}

function signature(baseUrl: string, model: string): string {
  return `${baseUrl.replace(/\/+$/, '')}|${model}`;
}
