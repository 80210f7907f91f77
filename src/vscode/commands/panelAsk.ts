/**
 * Puts a question from an editor action into the chat panel: adds it to a thread (a new one, or the
 * one on screen when the user prefers), starts a run with the selected assistant, and has the panel
 * open that thread, where the run streams as if the user had typed the question. No `vscode`
 * import: the editor commands gather the question, the panel shows it, and this joins the two, so
 * a plain-Node test can drive it against a real engine.
 */
import type { Engine } from '../../engine/engine.ts';
import type { Assistant } from '../../engine/types/assistant.ts';
import type { ChatMemory, ProviderPort, WorkspaceToolsPort } from '../chatPorts.ts';
import { ensureAssistants, runParamsFor } from '../defaultAssistant.ts';
import { titleFromText, TITLE_KEY } from '../threadSnapshots.ts';

export interface PanelAskDependencies {
  engine(): Engine;
  provider: ProviderPort;
  memory: ChatMemory;
  tools?: WorkspaceToolsPort;
  /** Reveals the panel on this thread; its run's events follow. */
  showThread(threadId: string): Promise<void>;
  conversation(): 'newThread' | 'currentThread';
  /** False when the model refuses tool calls: runs then get none. */
  allowTools(): boolean;
  /** Called instead of asking when no model is set up; `problem` says what is missing. */
  onNotConfigured(problem: string): void;
}

export interface AskResult {
  threadId: string;
  runId: string;
}

const ACTIVE = new Set(['queued', 'in_progress', 'requires_action', 'cancelling']);

export class PanelAsk {
  private readonly deps: PanelAskDependencies;

  constructor(deps: PanelAskDependencies) {
    this.deps = deps;
  }

  /** Undefined when nothing was asked (no model set up). */
  async ask(text: string): Promise<AskResult | undefined> {
    await this.deps.provider.whenReady();
    const status = this.deps.provider.status();
    if (!status.isConfigured) {
      this.deps.onNotConfigured(status.problem ?? 'No model is set up yet.');
      return undefined;
    }
    const engine = this.deps.engine();
    const assistant = this.assistant(engine, status.model);
    const threadId = this.targetThread(engine) ?? engine.threads.create({ metadata: { [TITLE_KEY]: titleFromText(text) } }).id;
    const message = engine.messages.create(threadId, { role: 'user', content: text });
    const allowTools = this.deps.allowTools();
    const params = runParamsFor(assistant, status.model, message.id, allowTools ? this.deps.tools?.runTools() : []);
    const run = engine.runs.create(threadId, allowTools ? params : { ...params, tool_choice: 'none' });
    await this.deps.memory.set('lastThreadId', threadId);
    await this.deps.showThread(threadId);
    return { threadId, runId: run.id };
  }

  private assistant(engine: Engine, model: string): Assistant {
    const chosen = this.deps.memory.get('selectedAssistantId');
    if (chosen && engine.store.assistants.get(chosen)) return engine.assistants.retrieve(chosen);
    const fallback = ensureAssistants(engine, model)[0];
    if (!fallback) throw new Error('No assistant is available.');
    return fallback;
  }

  /** The thread on screen, when the user asked for that and it is free to take a message. */
  private targetThread(engine: Engine): string | undefined {
    if (this.deps.conversation() !== 'currentThread') return undefined;
    const current = this.deps.memory.get('lastThreadId');
    if (!current || !engine.store.threads.get(current)) return undefined;
    const active = engine.store.activeRunOf(current);
    return active && ACTIVE.has(active.status) ? undefined : current;
  }
}
