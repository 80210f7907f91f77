/**
 * Threadwork in the status bar: the assistant and model, an answer being written, and how much the
 * next answer will send against the model's context window; the tooltip adds the last answer's
 * tokens and cost (from the provider's reported usage and the user's price table), the
 * conversation's total, the knowledge base and the local API server. Clicking it opens the chat
 * panel (or, before a model is set up, Select Model). It never opens the database itself: it starts
 * listening when something else first uses the engine.
 */
import * as vscode from 'vscode';
import type { Engine } from '../engine/engine.ts';
import type { Run } from '../engine/types/run.ts';
import type { ToolDefinition } from '../engine/types/tools.ts';
import type { ChatMemory, ProviderPort } from './chatPorts.ts';
import { COMMANDS } from './commands/commandTable.ts';
import { ensureAssistants, isDefaultAssistant, runParamsFor } from './defaultAssistant.ts';
import type { ServerInfo } from './server/localApiServer.ts';
import { allMessagesOf } from '../engine/transfer/threadArchive.ts';
import { describeContext, estimateContext, type ContextEstimate } from './usage/contextEstimate.ts';
import { formatCost, formatTokens, runCost, type PriceTable } from './usage/runCost.ts';

export interface StatusBarDependencies {
  provider: ProviderPort;
  memory: ChatMemory;
  prices(): PriceTable;
  contextWindow(model: string): number | null;
  runTools(): ToolDefinition[];
  allowTools(): boolean;
  isEnabled(): boolean;
  /** One line about the knowledge base, or undefined when there is none. */
  knowledge(): string | undefined;
  server(): ServerInfo | undefined;
  /** Told about every run that ends, after the status bar has read it. */
  onRunEnded?(run: Run): void;
}

const ACTIVE_EVENTS = new Set(['thread.run.created', 'thread.run.queued', 'thread.run.in_progress', 'thread.run.requires_action', 'thread.run.cancelling']);
const ENDED_EVENTS = new Set(['thread.run.completed', 'thread.run.incomplete', 'thread.run.failed', 'thread.run.cancelled', 'thread.run.expired']);
const REFRESH_DELAY_MS = 250;

interface LastRun {
  model: string;
  usage: Run['usage'];
  cost: number | undefined;
  status: string;
}

export class ThreadworkStatusBar implements vscode.Disposable {
  private readonly deps: StatusBarDependencies;
  private readonly item: vscode.StatusBarItem;
  private readonly activeRuns = new Set<string>();
  private engine: Engine | undefined;
  private unsubscribe: (() => void) | undefined;
  private lastRun: LastRun | undefined;
  private estimate: ContextEstimate | undefined;
  private threadCost: { tokens: number; cost: number | undefined } | undefined;
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(deps: StatusBarDependencies) {
    this.deps = deps;
    this.item = vscode.window.createStatusBarItem('threadwork.status', vscode.StatusBarAlignment.Right, 100);
    this.item.name = 'Threadwork';
    this.render();
  }

  /** Starts following an engine's runs; called each time the engine is handed out (idempotent). */
  attach(engine: Engine): void {
    if (this.engine === engine) return;
    this.unsubscribe?.();
    this.engine = engine;
    this.unsubscribe = engine.hub.subscribeAll(({ runId, event }) => {
      if (ACTIVE_EVENTS.has(event.event)) {
        if (!this.activeRuns.has(runId)) {
          this.activeRuns.add(runId);
          this.render();
        }
      } else if (ENDED_EVENTS.has(event.event)) {
        this.activeRuns.delete(runId);
        const run = event.data as Run;
        this.lastRun = { model: run.model, usage: run.usage, cost: runCost(run.model, run.usage, this.deps.prices()), status: run.status };
        this.deps.onRunEnded?.(run);
        this.refresh();
      }
    });
    this.refresh();
  }

  /** Recomputes the context estimate soon (thread, settings or provider changed). */
  refresh(): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.recompute();
      this.render();
    }, REFRESH_DELAY_MS);
  }

  dispose(): void {
    clearTimeout(this.timer);
    this.unsubscribe?.();
    this.item.dispose();
  }

  private recompute(): void {
    const engine = this.engine;
    const status = this.deps.provider.status();
    if (!engine || !status.isConfigured) {
      this.estimate = undefined;
      this.threadCost = undefined;
      return;
    }
    try {
      const assistant = this.assistant(engine, status.model);
      const threadId = this.deps.memory.get('lastThreadId');
      const thread = threadId ? engine.store.threads.get(threadId) : undefined;
      const messages = thread ? allMessagesOf(engine, thread.id) : [];
      const tools = assistant ? runParamsFor(assistant, status.model, undefined, this.deps.allowTools() ? this.deps.runTools() : []).tools ?? assistant.tools : [];
      this.estimate = estimateContext({ instructions: assistant?.instructions ?? '', tools: this.deps.allowTools() ? tools : [], messages, window: this.deps.contextWindow(status.model) });
      this.threadCost = thread ? this.costOfThread(engine, thread.id) : undefined;
    } catch {
      // A thread deleted meanwhile, or the engine closing: show what we had.
    }
  }

  private costOfThread(engine: Engine, threadId: string): { tokens: number; cost: number | undefined } {
    const runs = engine.runs.list(threadId, { limit: 100 }).data;
    const prices = this.deps.prices();
    let tokens = 0;
    let cost: number | undefined = 0;
    for (const run of runs) {
      tokens += run.usage?.total_tokens ?? 0;
      const each = runCost(run.model, run.usage, prices);
      cost = each === undefined || cost === undefined ? (run.usage ? undefined : cost) : cost + each;
    }
    return { tokens, cost };
  }

  private assistant(engine: Engine, model: string) {
    const chosen = this.deps.memory.get('selectedAssistantId');
    const assistant = chosen ? engine.store.assistants.get(chosen) : undefined;
    return assistant ?? ensureAssistants(engine, model)[0];
  }

  private render(): void {
    if (!this.deps.isEnabled()) {
      this.item.hide();
      return;
    }
    const status = this.deps.provider.status();
    if (!status.isConfigured) {
      this.item.text = '$(warning) Threadwork: connect a model';
      this.item.tooltip = new vscode.MarkdownString(`**Threadwork** has no model yet.\n\n${status.problem ?? ''}\n\nClick to choose one.`);
      this.item.command = COMMANDS.selectModel;
      this.item.backgroundColor = new vscode.ThemeColor('statusBarItem.warningBackground');
      this.item.show();
      return;
    }
    this.item.backgroundColor = undefined;
    this.item.command = COMMANDS.openChat;
    const assistantName = this.assistantName(status.model);
    const running = this.activeRuns.size > 0;
    const context = this.estimate ? ` · ${this.estimate.window ? `${formatTokens(this.estimate.total)}/${formatTokens(this.estimate.window)}` : formatTokens(this.estimate.total)}` : '';
    const server = this.deps.server();
    this.item.text = `${running ? '$(loading~spin)' : '$(comment-discussion)'} ${assistantName} · ${status.model}${running ? ' · answering…' : context}${server ? ' · $(radio-tower)' : ''}`;
    this.item.tooltip = this.tooltip(assistantName, status.model, status.kind, status.baseUrl, running, server);
    this.item.show();
  }

  private assistantName(model: string): string {
    const engine = this.engine;
    if (!engine) return 'Threadwork';
    try {
      const assistant = this.assistant(engine, model);
      return assistant && !isDefaultAssistant(assistant) ? assistant.name ?? 'Assistant' : 'Threadwork';
    } catch {
      return 'Threadwork';
    }
  }

  private tooltip(assistant: string, model: string, kind: string, baseUrl: string, running: boolean, server: ServerInfo | undefined): vscode.MarkdownString {
    const lines = [
      `**Threadwork** — ${assistant} on \`${model}\` (${kind === 'vscode-lm' ? 'VS Code language model' : `${kind} at ${baseUrl}`})`,
      '',
      running ? '$(loading~spin) An answer is being written.' : '$(check) Idle.',
    ];
    if (this.estimate) {
      lines.push('', `**Next answer sends** about ${describeContext(this.estimate, formatTokens)}: instructions ${formatTokens(this.estimate.instructions)}, tools ${formatTokens(this.estimate.tools)}, conversation ${formatTokens(this.estimate.messages)}.`);
    }
    if (this.lastRun) {
      const usage = this.lastRun.usage;
      lines.push('', usage
        ? `**Last answer** (${this.lastRun.status}, \`${this.lastRun.model}\`): ${formatTokens(usage.prompt_tokens)} in, ${formatTokens(usage.completion_tokens)} out · ${formatCost(this.lastRun.cost)}`
        : `**Last answer** (${this.lastRun.status}): tokens not reported by the provider.`);
    }
    if (this.threadCost && this.threadCost.tokens > 0) lines.push('', `**This conversation**: ${formatTokens(this.threadCost.tokens)} tokens · ${formatCost(this.threadCost.cost)}`);
    lines.push('', `**Knowledge base**: ${this.deps.knowledge() ?? 'none yet (right-click files: Add to Knowledge Base)'}`);
    lines.push('', server ? `$(radio-tower) **Local API server** at \`${server.url}\`` : 'Local API server: stopped');
    lines.push('', 'Click to open the chat panel.');
    const markdown = new vscode.MarkdownString(lines.join('\n'), true);
    return markdown;
  }
}

/** A ChatMemory that also says when a value changed (the status bar follows the open thread). */
export function observableMemory(memory: ChatMemory, onChange: () => void): ChatMemory {
  return {
    get: (key) => memory.get(key),
    set: async (key, value) => {
      const changed = memory.get(key) !== value;
      await memory.set(key, value);
      if (changed) onChange();
    },
  };
}
