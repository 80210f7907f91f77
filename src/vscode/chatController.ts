/**
 * The host side of one chat panel: one short method per protocol request, each calling the engine,
 * and the forwarding of run events, approvals and settings changes to the panel. It lives as long
 * as the webview that owns its channel; `dispose` drops every subscription it made.
 */
import type { Engine } from '../engine/engine.ts';
import type { Assistant } from '../engine/types/assistant.ts';
import type { SequencedEvent } from '../engine/types/streamEvent.ts';
import type { Channel } from '../protocol/channel.ts';
import { threadIdOf, type ChatSnapshot, type ThreadSnapshot } from '../protocol/chatModel.ts';
import { ProtocolError } from '../protocol/envelope.ts';
import * as protocol from '../protocol/messages.ts';
import type { ParamsOf, ResultOf } from '../protocol/descriptors.ts';
import type { ApprovalBroker, ApprovalChange } from './approvalBroker.ts';
import type { ChatMemory, EditorPort, ProviderPort, WorkspaceToolsPort } from './chatPorts.ts';
import { ensureAssistants, runParamsFor, summarizeAssistant } from './defaultAssistant.ts';
import { ChatFileRequests, type ChatFilesPort } from './interpreter/chatFileRequests.ts';
import type { CitationPort } from './knowledge/citationResolver.ts';
import { listThreads, summarizeRun, summarizeThread, threadSnapshot, titleFromText, TITLE_KEY } from './threadSnapshots.ts';

export interface ChatControllerDependencies {
  /** The engine, created on first use so activation stays cheap. */
  engine(): Engine;
  provider: ProviderPort;
  approvals: ApprovalBroker;
  editor: EditorPort;
  memory: ChatMemory;
  /** Absent: runs get no workspace tools. */
  tools?: WorkspaceToolsPort;
  /** Attachments, chart images and generated files (src/vscode/interpreter/); absent: no file requests. */
  files?: ChatFilesPort;
  /** Opens the file a citation points to (src/vscode/knowledge/); absent: citations do not open. */
  citations?: CitationPort;
}

type Params<T> = ParamsOf<T>;
type Result<T> = Promise<ResultOf<T>> | ResultOf<T>;

const TITLE_MAX = 200;

export class ChatController {
  private readonly channel: Channel;
  private readonly deps: ChatControllerDependencies;
  private readonly disposers: Array<() => void> = [];
  /** Which thread each run we have seen belongs to; deltas carry only a message or step id. */
  private readonly runThreads = new Map<string, string>();
  private currentThreadId: string | null = null;
  private isListeningToRuns = false;
  private readonly files: ChatFileRequests | undefined;

  constructor(channel: Channel, deps: ChatControllerDependencies) {
    this.channel = channel;
    this.deps = deps;
    this.disposers.push(
      channel.onRequest(protocol.WebviewReady, (p) => this.ready(p)),
      channel.onRequest(protocol.GetThreadSnapshot, (p) => this.snapshot(p)),
      channel.onRequest(protocol.SelectThread, (p) => this.selectThread(p)),
      channel.onRequest(protocol.ListThreads, (p) => this.listThreads(p)),
      channel.onRequest(protocol.RenameThread, (p) => this.renameThread(p)),
      channel.onRequest(protocol.DeleteThread, (p) => this.deleteThread(p)),
      channel.onRequest(protocol.SendMessage, (p) => this.sendMessage(p)),
      channel.onRequest(protocol.CancelRun, (p) => this.cancelRun(p)),
      channel.onRequest(protocol.RetryRun, (p) => this.retryRun(p)),
      channel.onRequest(protocol.SelectAssistant, (p) => this.selectAssistant(p)),
      channel.onRequest(protocol.InsertCode, (p) => deps.editor.insertCode(p.code, p.language)),
      channel.onRequest(protocol.OpenLink, (p) => this.openLink(p)),
      channel.onRequest(protocol.ConfigureProvider, (p) => this.configureProvider(p)),
      channel.onRequest(protocol.ApproveTool, (p) => this.approveTool(p)),
      channel.onRequest(protocol.ViewApprovalDiff, async (p) => ({ opened: (await deps.tools?.viewDiff(p.approvalId)) ?? false })),
      channel.onRequest(protocol.OpenCitation, (p) => deps.citations?.open(p) ?? { opened: false, reason: 'Citations cannot be opened here.' }),
      deps.approvals.onDidChange((change) => this.forwardApproval(change)),
      deps.provider.onDidChange(() => this.forwardProvider()),
    );
    if (deps.files) {
      this.files = new ChatFileRequests(() => this.engine(), deps.files);
      this.disposers.push(...this.files.register(channel));
    }
  }

  /** Asks the panel to start a new conversation or show its history (the view-title buttons). */
  viewAction(action: 'newThread' | 'showHistory'): void {
    this.channel.notify(protocol.ViewAction, { action });
  }

  /** Has the panel open a thread a command just wrote to; the panel then asks for its snapshot. */
  showThread(threadId: string): void {
    this.notifyThreads();
    this.channel.notify(protocol.OpenThread, { threadId });
  }

  dispose(): void {
    for (const dispose of this.disposers.splice(0)) dispose();
  }

  private engine(): Engine {
    const engine = this.deps.engine();
    if (!this.isListeningToRuns) {
      this.isListeningToRuns = true;
      this.disposers.push(engine.hub.subscribeAll((event) => this.forwardRunEvent(event)));
    }
    return engine;
  }

  private async ready({ threadId }: Params<typeof protocol.WebviewReady>): Promise<ChatSnapshot> {
    await this.deps.provider.whenReady();
    const engine = this.engine();
    const wanted = threadId ?? this.deps.memory.get('lastThreadId') ?? null;
    const current = wanted !== null && engine.store.threads.get(wanted) ? this.open(wanted) : null;
    if (current === null) this.currentThreadId = null;
    const { assistants, selectedAssistantId } = this.assistantList();
    return {
      threads: listThreads(engine),
      current,
      assistants,
      selectedAssistantId,
      provider: this.deps.provider.status(),
      approvals: this.deps.approvals.pending(),
    };
  }

  private snapshot({ threadId }: Params<typeof protocol.GetThreadSnapshot>): ThreadSnapshot {
    return this.open(threadId);
  }

  private selectThread({ threadId }: Params<typeof protocol.SelectThread>): ThreadSnapshot | null {
    if (threadId === null) {
      this.currentThreadId = null;
      void this.deps.memory.set('lastThreadId', undefined);
      return null;
    }
    return this.open(threadId);
  }

  private listThreads({ query }: Params<typeof protocol.ListThreads>): Result<typeof protocol.ListThreads> {
    return listThreads(this.engine(), query);
  }

  private renameThread({ threadId, title }: Params<typeof protocol.RenameThread>): Result<typeof protocol.RenameThread> {
    const engine = this.engine();
    const clean = title.replace(/\s+/g, ' ').trim().slice(0, TITLE_MAX);
    if (clean.length === 0) throw new ProtocolError('invalid_request', 'A thread title cannot be empty.');
    const thread = engine.threads.retrieve(threadId);
    const updated = engine.threads.update(threadId, { metadata: { ...thread.metadata, [TITLE_KEY]: clean } });
    this.notifyThreads();
    return summarizeThread(engine, updated);
  }

  private deleteThread({ threadId }: Params<typeof protocol.DeleteThread>): Result<typeof protocol.DeleteThread> {
    this.engine().threads.delete(threadId);
    if (this.currentThreadId === threadId) this.selectThread({ threadId: null });
    this.notifyThreads();
    return { deleted: true };
  }

  private async sendMessage({ threadId, text, assistantId, attachments }: Params<typeof protocol.SendMessage>): Promise<ResultOf<typeof protocol.SendMessage>> {
    if (text.trim().length === 0) throw new ProtocolError('invalid_request', 'The message is empty.');
    const assistant = await this.runnableAssistant(assistantId);
    const engine = this.engine();
    const thread = threadId ? engine.threads.retrieve(threadId) : engine.threads.create({ metadata: { [TITLE_KEY]: titleFromText(text) } });
    const message = engine.messages.create(thread.id, { role: 'user', content: text, ...(attachments?.length ? { attachments } : {}) });
    this.files?.markSent(attachments?.map((attachment) => attachment.file_id) ?? []);
    // The thread must be current before the run starts: its first events are published synchronously.
    this.open(thread.id, { snapshot: false });
    const run = engine.runs.create(thread.id, runParamsFor(assistant, this.deps.provider.status().model, message.id, this.deps.tools?.runTools()));
    if (!threadId) this.notifyThreads();
    return { thread: summarizeThread(engine, thread), message, runId: run.id };
  }

  private cancelRun({ threadId, runId }: Params<typeof protocol.CancelRun>): Result<typeof protocol.CancelRun> {
    const engine = this.engine();
    const current = engine.runs.retrieve(threadId, runId);
    const isActive = ['queued', 'in_progress', 'requires_action'].includes(current.status);
    this.deps.approvals.withdrawRun(runId);
    return { run: summarizeRun(isActive ? engine.runs.cancel(threadId, runId) : current) };
  }

  private async retryRun({ threadId, assistantId }: Params<typeof protocol.RetryRun>): Promise<ResultOf<typeof protocol.RetryRun>> {
    const assistant = await this.runnableAssistant(assistantId);
    this.open(threadId, { snapshot: false });
    const engine = this.engine();
    const lastUserMessage = engine.messages.list(threadId, { order: 'desc', limit: 20 }).data.find((message) => message.role === 'user' && message.run_id === null);
    const run = engine.runs.create(threadId, runParamsFor(assistant, this.deps.provider.status().model, lastUserMessage?.id, this.deps.tools?.runTools()));
    return { runId: run.id };
  }

  private selectAssistant({ assistantId }: Params<typeof protocol.SelectAssistant>): Result<typeof protocol.SelectAssistant> {
    this.engine().assistants.retrieve(assistantId);
    void this.deps.memory.set('selectedAssistantId', assistantId);
    return { assistantId };
  }

  private async openLink({ href }: Params<typeof protocol.OpenLink>): Promise<ResultOf<typeof protocol.OpenLink>> {
    // Only web links leave the panel; anything else from model output is refused here as well.
    if (!/^https?:\/\//i.test(href)) return { opened: false };
    return { opened: await this.deps.editor.openLink(href) };
  }

  private async configureProvider({ action }: Params<typeof protocol.ConfigureProvider>): Promise<ResultOf<typeof protocol.ConfigureProvider>> {
    await this.deps.editor.configureProvider(action);
    return {};
  }

  private approveTool({ approvalId, decision, rememberOptionId }: Params<typeof protocol.ApproveTool>): Result<typeof protocol.ApproveTool> {
    return { accepted: this.deps.approvals.answer(approvalId, decision, rememberOptionId) };
  }

  /** Makes a thread the one whose events the panel gets, and returns its snapshot. */
  private open(threadId: string, options: { snapshot: false }): null;
  private open(threadId: string, options?: { snapshot: true }): ThreadSnapshot;
  private open(threadId: string, options: { snapshot: boolean } = { snapshot: true }): ThreadSnapshot | null {
    const engine = this.engine();
    this.currentThreadId = threadId;
    void this.deps.memory.set('lastThreadId', threadId);
    if (!options.snapshot) return null;
    const snapshot = threadSnapshot(engine, threadId);
    if (snapshot.activeRun) this.runThreads.set(snapshot.activeRun.runId, threadId);
    return snapshot;
  }

  private async runnableAssistant(assistantId: string | null): Promise<Assistant> {
    await this.deps.provider.whenReady();
    const status = this.deps.provider.status();
    if (!status.isConfigured) throw new ProtocolError('invalid_request', status.problem ?? 'No model provider is configured.');
    const engine = this.engine();
    const chosen = assistantId ?? this.deps.memory.get('selectedAssistantId');
    if (chosen && engine.store.assistants.get(chosen)) return engine.assistants.retrieve(chosen);
    const fallback = ensureAssistants(engine, status.model)[0];
    if (!fallback) throw new ProtocolError('internal', 'No assistant is available.');
    return fallback;
  }

  private assistantList(): Pick<ChatSnapshot, 'assistants' | 'selectedAssistantId'> {
    const model = this.deps.provider.status().model;
    const assistants = ensureAssistants(this.engine(), model);
    const remembered = this.deps.memory.get('selectedAssistantId');
    const selected = assistants.find((assistant) => assistant.id === remembered) ?? assistants[0];
    return { assistants: assistants.map((assistant) => summarizeAssistant(assistant, model)), selectedAssistantId: selected?.id ?? null };
  }

  private forwardRunEvent(sequenced: SequencedEvent): void {
    const threadId = threadIdOf(sequenced.event);
    if (threadId !== null) this.runThreads.set(sequenced.runId, threadId);
    const owner = this.runThreads.get(sequenced.runId);
    if (owner === undefined || owner !== this.currentThreadId) return;
    this.channel.notify(protocol.RunEvent, { ...sequenced, threadId: owner });
  }

  private forwardApproval(change: ApprovalChange): void {
    if (change.type === 'requested') this.channel.notify(protocol.ApprovalRequested, change.request);
    else this.channel.notify(protocol.ApprovalSettled, { approvalId: change.approvalId, decision: change.decision });
  }

  private forwardProvider(): void {
    this.channel.notify(protocol.ProviderChanged, this.deps.provider.status());
    if (this.isListeningToRuns) this.channel.notify(protocol.AssistantsChanged, this.assistantList());
  }

  private notifyThreads(): void {
    this.channel.notify(protocol.ThreadsChanged, { threads: listThreads(this.engine()) });
  }
}
