/**
 * The panel's state and every conversation with the host. Run events are applied in seq order; while
 * a snapshot or a send is on its way they are held back and replayed after it, and a gap in a run's
 * seq makes the panel ask for the thread's snapshot again. Views subscribe to `onChange` and draw
 * from the fields here; nothing else talks to the host.
 */
import type { AssistantSummary, ProviderStatus, RunEventParams, ThreadSnapshot, ThreadSummary } from '../src/protocol/chatModel.ts';
import * as protocol from '../src/protocol/messages.ts';
import { ApprovalState } from './approvalState.ts';
import { FileState } from './fileState.ts';
import { localUserMessage } from './localUserMessage.ts';
import type { HostClient, PersistedState } from './hostClient.ts';
import { errorMessage, type PanelStateHost } from './panelStateHost.ts';
import { ThreadView } from './threadView.ts';

export type Panel = 'chat' | 'history';

/** A problem shown in place, with the action that would try again. */
export interface Notice {
  message: string;
  retryLabel?: string;
  retry?: () => void;
}

export class ChatStore {
  threads: ThreadSummary[] = [];
  /** Search results in the history panel; null when no search is active. */
  searchResults: ThreadSummary[] | null = null;
  searchQuery = '';
  view: ThreadView | null = null;
  assistants: AssistantSummary[] = [];
  selectedAssistantId: string | null = null;
  provider: ProviderStatus | null = null;
  panel: Panel = 'chat';
  notice: Notice | null = null;
  isLoaded = false;
  isSending = false;
  isStopping = false;
  readonly persisted: PersistedState;
  /** Attachments waiting for the next message, and the images and files messages show. */
  readonly files: FileState;
  /** Tool approvals waiting for the user. */
  readonly approvals: ApprovalState;

  private readonly client: HostClient;
  private readonly listeners = new Set<() => void>();
  private readonly held: RunEventParams[] = [];
  private isLoading = false;
  private loadToken = 0;
  private queuedActions: Array<'newThread' | 'showHistory'> = [];
  /** A thread the host asked to show before the panel had loaded. */
  private queuedThreadId: string | null = null;
  private searchTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(client: HostClient) {
    this.client = client;
    this.persisted = client.loadState();
    const { channel } = client;
    const host: PanelStateHost = { channel, update: (change) => this.update(change), notify: (message) => this.update(() => (this.notice = { message })) };
    this.files = new FileState(host);
    this.approvals = new ApprovalState(host);
    channel.onNotification(protocol.RunEvent, (params) => this.onRunEvent(params));
    channel.onNotification(protocol.ThreadsChanged, ({ threads }) => this.onThreadsChanged(threads));
    channel.onNotification(protocol.AssistantsChanged, (params) => this.update(() => {
      this.assistants = params.assistants;
      this.selectedAssistantId ??= params.selectedAssistantId;
    }));
    channel.onNotification(protocol.ProviderChanged, (status) => this.update(() => (this.provider = status)));
    channel.onNotification(protocol.ViewAction, ({ action }) => this.onViewAction(action));
    channel.onNotification(protocol.OpenThread, ({ threadId }) => this.onOpenThread(threadId));
  }

  onChange(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** The ready handshake: the host answers with everything needed to draw the panel. */
  async start(): Promise<void> {
    const snapshot = await this.load(() => this.client.channel.request(protocol.WebviewReady, { threadId: this.persisted.threadId }).then((chat) => {
      this.threads = chat.threads;
      this.assistants = chat.assistants;
      this.selectedAssistantId = chat.selectedAssistantId;
      this.provider = chat.provider;
      this.approvals.restore(chat.approvals);
      return chat.current;
    }));
    this.update(() => {
      this.isLoaded = true;
      if (snapshot === undefined) this.notice = { message: 'The panel could not reach Threadwork.', retryLabel: 'Reload', retry: () => void this.start() };
    });
    for (const action of this.queuedActions.splice(0)) this.onViewAction(action);
    if (this.queuedThreadId !== null) this.onOpenThread(this.queuedThreadId);
  }

  currentThreadId(): string | null {
    return this.view?.thread.id ?? null;
  }

  currentTitle(): string {
    const id = this.currentThreadId();
    if (id === null) return 'New conversation';
    return this.threads.find((thread) => thread.id === id)?.title ?? this.view?.thread.title ?? 'Conversation';
  }

  async send(text: string): Promise<void> {
    const trimmed = text.trim();
    if (trimmed.length === 0 || this.isSending || this.view?.activeRun()) return;
    const attachments = this.files.attachments();
    const local = { ...localUserMessage(this.currentThreadId() ?? '', text), ...(attachments.length > 0 ? { attachments } : {}) };
    this.update(() => {
      this.isSending = true;
      this.notice = null;
      this.persisted.sentHistory = [...this.persisted.sentHistory.filter((item) => item !== text), text].slice(-50);
      this.persisted.draft = '';
      this.view ??= new ThreadView({ id: '', title: 'New conversation', createdAt: local.created_at });
      this.view.upsertMessage(local);
    });
    this.persist();
    try {
      const result = await this.client.channel.request(protocol.SendMessage, { threadId: this.currentThreadId() || null, text, assistantId: this.selectedAssistantId, ...(attachments.length > 0 ? { attachments } : {}) });
      if (attachments.length > 0) this.files.clearPending();
      this.update(() => {
        if (!this.view || this.view.thread.id !== result.thread.id) {
          const fresh = new ThreadView(result.thread);
          this.view = fresh;
        }
        this.view.replaceMessage(local.id, result.message);
        this.persisted.threadId = result.thread.id;
        this.persist();
        if (!this.threads.some((thread) => thread.id === result.thread.id)) this.threads = [result.thread, ...this.threads];
      });
    } catch (error) {
      this.update(() => {
        this.view?.removeMessage(local.id);
        if (this.view && this.view.thread.id === '') this.view = null;
        this.notice = { message: `Not sent: ${errorMessage(error)}`, retryLabel: 'Send again', retry: () => void this.send(text) };
      });
    } finally {
      this.update(() => (this.isSending = false));
      this.releaseHeld();
    }
  }

  async stop(): Promise<void> {
    const run = this.view?.activeRun();
    if (!run || !this.view) return;
    this.update(() => (this.isStopping = true));
    try {
      await this.client.channel.request(protocol.CancelRun, { threadId: this.view.thread.id, runId: run.id });
    } catch (error) {
      this.update(() => (this.notice = { message: `Could not stop the run: ${errorMessage(error)}` }));
    } finally {
      this.update(() => (this.isStopping = false));
    }
  }

  async retry(): Promise<void> {
    const threadId = this.currentThreadId();
    if (!threadId || this.view?.activeRun()) return;
    this.update(() => (this.notice = null));
    try {
      await this.client.channel.request(protocol.RetryRun, { threadId, assistantId: this.selectedAssistantId });
    } catch (error) {
      this.update(() => (this.notice = { message: `Retry failed: ${errorMessage(error)}`, retryLabel: 'Retry', retry: () => void this.retry() }));
    }
  }

  async selectThread(threadId: string): Promise<void> {
    this.update(() => (this.panel = 'chat'));
    if (threadId === this.currentThreadId()) return;
    await this.load(() => this.client.channel.request(protocol.SelectThread, { threadId }));
  }

  async newThread(): Promise<void> {
    this.update(() => {
      this.panel = 'chat';
      this.notice = null;
      this.view = null;
      this.persisted.threadId = null;
    });
    this.persist();
    this.loadToken++;
    await this.client.channel.request(protocol.SelectThread, { threadId: null }).catch(() => undefined);
  }

  async renameThread(threadId: string, title: string): Promise<void> {
    try {
      const renamed = await this.client.channel.request(protocol.RenameThread, { threadId, title });
      this.update(() => (this.threads = this.threads.map((thread) => (thread.id === threadId ? renamed : thread))));
    } catch (error) {
      this.update(() => (this.notice = { message: `Rename failed: ${errorMessage(error)}` }));
    }
  }

  async deleteThread(threadId: string): Promise<void> {
    try {
      await this.client.channel.request(protocol.DeleteThread, { threadId });
      this.update(() => {
        this.threads = this.threads.filter((thread) => thread.id !== threadId);
        if (this.searchResults) this.searchResults = this.searchResults.filter((thread) => thread.id !== threadId);
        if (this.currentThreadId() === threadId) {
          this.view = null;
          this.persisted.threadId = null;
        }
      });
      this.persist();
    } catch (error) {
      this.update(() => (this.notice = { message: `Delete failed: ${errorMessage(error)}` }));
    }
  }

  /** Filters the history; asks the host (which also searches message text) after a short pause. */
  search(query: string): void {
    this.searchQuery = query;
    clearTimeout(this.searchTimer);
    if (query.trim().length === 0) {
      this.update(() => (this.searchResults = null));
      return;
    }
    const needle = query.toLowerCase();
    this.update(() => (this.searchResults = this.threads.filter((thread) => thread.title.toLowerCase().includes(needle))));
    this.searchTimer = setTimeout(() => {
      void this.client.channel.request(protocol.ListThreads, { query }).then((threads) => {
        if (this.searchQuery === query) this.update(() => (this.searchResults = threads));
      }, () => undefined);
    }, 200);
  }

  async selectAssistant(assistantId: string): Promise<void> {
    this.update(() => (this.selectedAssistantId = assistantId));
    await this.client.channel.request(protocol.SelectAssistant, { assistantId }).catch((error: unknown) => {
      this.update(() => (this.notice = { message: `Could not select the assistant: ${errorMessage(error)}` }));
    });
  }

  insertCode(code: string, language: string | null): Promise<{ inserted: boolean; reason?: string }> {
    return this.client.channel.request(protocol.InsertCode, { code, language });
  }

  openLink(href: string): void {
    void this.client.channel.request(protocol.OpenLink, { href }).catch(() => undefined);
  }

  /** A citation footnote: the host opens the cited file at the cited lines, or says why it cannot. */
  openCitation(citation: { threadId: string; messageId: string; fileId: string; marker: string }): void {
    void this.client.channel.request(protocol.OpenCitation, citation).then(
      (result) => {
        if (!result.opened) this.update(() => (this.notice = { message: result.reason ?? 'The cited file could not be opened.' }));
      },
      () => undefined,
    );
  }

  configureProvider(action: 'setApiKey' | 'openSettings'): void {
    void this.client.channel.request(protocol.ConfigureProvider, { action }).catch(() => undefined);
  }

  showPanel(panel: Panel): void {
    this.update(() => (this.panel = panel));
  }

  saveDraft(draft: string): void {
    this.persisted.draft = draft;
    this.persist();
  }

  dismissNotice(): void {
    this.update(() => (this.notice = null));
  }

  private onRunEvent(params: RunEventParams): void {
    if (this.isLoading || this.isSending) {
      this.held.push(params);
      return;
    }
    this.update(() => this.applyRunEvent(params));
  }

  private applyRunEvent(params: RunEventParams): void {
    const view = this.view;
    if (!view || params.threadId !== view.thread.id) return;
    if (view.apply(params) === 'gap') {
      this.held.push(params);
      void this.resync(view.thread.id);
    }
  }

  /** Replays events held back during a load or send; stops if one of them starts another load. */
  private releaseHeld(): void {
    if (this.held.length === 0) return;
    this.update(() => {
      while (this.held.length > 0 && !this.isLoading && !this.isSending) this.applyRunEvent(this.held.shift()!);
    });
  }

  private async resync(threadId: string): Promise<void> {
    await this.load(() => this.client.channel.request(protocol.GetThreadSnapshot, { threadId }));
  }

  /** Loads a thread snapshot; the latest load wins, and run events wait until it is applied. */
  private async load(request: () => Promise<ThreadSnapshot | null>): Promise<ThreadSnapshot | null | undefined> {
    const token = ++this.loadToken;
    this.isLoading = true;
    try {
      const snapshot = await request();
      if (token === this.loadToken) {
        this.update(() => {
          this.view = snapshot ? ThreadView.fromSnapshot(snapshot) : null;
          this.persisted.threadId = snapshot?.thread.id ?? null;
        });
        this.persist();
      }
      return snapshot;
    } catch (error) {
      if (token === this.loadToken) this.update(() => (this.notice = { message: `Could not load the conversation: ${errorMessage(error)}` }));
      return undefined;
    } finally {
      if (token === this.loadToken) {
        this.isLoading = false;
        this.releaseHeld();
      }
    }
  }

  private onThreadsChanged(threads: ThreadSummary[]): void {
    this.update(() => {
      this.threads = threads;
      if (this.searchQuery.trim().length > 0) this.search(this.searchQuery);
    });
  }

  private onViewAction(action: 'newThread' | 'showHistory'): void {
    if (!this.isLoaded) {
      this.queuedActions.push(action);
      return;
    }
    if (action === 'newThread') void this.newThread();
    else this.showPanel(this.panel === 'history' ? 'chat' : 'history');
  }

  /** The host wrote to a thread (an editor command): load it afresh, even when it is the one on screen. */
  private onOpenThread(threadId: string): void {
    if (!this.isLoaded) {
      this.queuedThreadId = threadId;
      return;
    }
    this.queuedThreadId = null;
    this.update(() => {
      this.panel = 'chat';
      this.notice = null;
    });
    void this.load(() => this.client.channel.request(protocol.SelectThread, { threadId }));
  }

  private update(change: () => void): void {
    change();
    for (const listener of [...this.listeners]) listener();
  }

  private persist(): void {
    this.client.saveState(this.persisted);
  }
}
