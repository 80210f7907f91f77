/**
 * Lays out the panel and keeps it in step with the store: the header, the setup notice, the history
 * or the conversation, a notice line for errors, and the composer. Store changes are coalesced into
 * one redraw per animation frame, so a burst of deltas costs one paint.
 */
import type { ChatStore } from './chatStore.ts';
import { AssistantPicker } from './components/assistantPicker.ts';
import { AttachmentBar } from './components/attachmentBar.ts';
import { Composer } from './components/composer.ts';
import { Header } from './components/header.ts';
import { MessageList } from './components/messageList.ts';
import { SetupNotice } from './components/setupNotice.ts';
import { ThreadList } from './components/threadList.ts';
import { custom, h } from './dom.ts';

export const RENDER_MEASURE = 'threadwork:render';

/** The longest pause between redraws, however slow the last one was. */
const MAX_PAUSE_MS = 120;

export class ChatApp {
  private readonly store: ChatStore;
  private readonly header: Header;
  private readonly picker: AssistantPicker;
  private readonly setup: SetupNotice;
  private readonly history: ThreadList;
  private readonly messages: MessageList;
  private readonly empty: HTMLElement;
  private readonly conversation: HTMLElement;
  private readonly notice: HTMLElement;
  private readonly composer: Composer;
  private readonly attachments: AttachmentBar;
  private frame = 0;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private lastRenderEnd = 0;
  private lastRenderCost = 0;
  private lastPanel = this.panelOf();

  constructor(root: HTMLElement, store: ChatStore) {
    this.store = store;
    this.header = new Header(() => store.showPanel(store.panel === 'history' ? 'chat' : 'history'));
    this.picker = new AssistantPicker((id) => void store.selectAssistant(id));
    this.setup = new SetupNotice((action) => store.configureProvider(action));
    this.history = new ThreadList({
      onOpen: (id) => void store.selectThread(id),
      onNew: () => void store.newThread().then(() => this.composer.focus()),
      onRename: (id, title) => void store.renameThread(id, title),
      onDelete: (id) => void store.deleteThread(id),
      onSearch: (query) => store.search(query),
    });
    this.messages = new MessageList(store);
    this.empty = h('div', { className: 'empty-state' },
      h('p', { className: 'empty-title' }, 'Ask about your code.'),
      h('p', {}, 'Conversations are kept in Threadwork\'s history, so they survive reloads and updates.'));
    this.conversation = h('main', { className: 'conversation' }, this.messages.element, this.empty);
    this.notice = h('div', { className: 'notice', attrs: { role: 'alert' } });
    this.attachments = new AttachmentBar({ onAttach: () => void store.files.attach(), onRemove: (fileId) => store.files.discard(fileId) });
    this.composer = new Composer({
      onSend: (text) => void store.send(text),
      onStop: () => void store.stop(),
      onDraft: (text) => store.saveDraft(text),
      history: () => store.persisted.sentHistory,
    }, store.persisted.draft, h('div', { className: 'composer-leading' }, this.attachments.button, this.picker.element));
    // Files waiting to go out with the message sit above the message box.
    this.composer.element.prepend(this.attachments.chips);
    root.replaceChildren(h('div', { className: 'chat-app' }, this.header.element, this.setup.element, this.history.element, this.conversation, this.notice, this.composer.element));
    store.onChange(() => this.schedule());
    this.render();
  }

  /**
   * One redraw per frame at most, and after an expensive redraw a pause of twice its cost: while a
   * long answer streams, the page keeps two thirds of its time for input and scrolling, and the
   * text still arrives in a steady flow.
   */
  private schedule(): void {
    if (this.frame !== 0 || this.timer !== undefined) return;
    const wait = this.lastRenderEnd + Math.min(MAX_PAUSE_MS, 2 * this.lastRenderCost) - performance.now();
    const request = (): void => {
      this.timer = undefined;
      this.frame = requestAnimationFrame(() => {
        this.frame = 0;
        const started = performance.now();
        this.render();
        this.lastRenderEnd = performance.now();
        this.lastRenderCost = this.lastRenderEnd - started;
        // A User Timing entry per redraw, so `npm run bench:webview` can read the panel's own cost.
        // Observers still get the entry; clearing it keeps a long session from filling the buffer.
        performance.measure(RENDER_MEASURE, { start: started, end: this.lastRenderEnd });
        performance.clearMeasures(RENDER_MEASURE);
      });
    };
    if (wait > 4) this.timer = setTimeout(request, wait);
    else request();
  }

  private panelOf(): string {
    return this.store?.panel ?? 'chat';
  }

  private render(): void {
    const store = this.store;
    const isHistory = store.panel === 'history';
    this.header.update(store.currentTitle(), isHistory);
    this.picker.update(store.assistants, store.selectedAssistantId);
    this.setup.update(store.provider);
    this.history.element.hidden = !isHistory;
    this.conversation.hidden = isHistory;
    if (isHistory) this.history.update(store.searchResults ?? store.threads, store.currentThreadId());
    this.messages.update();
    this.messages.list.flush();
    this.empty.hidden = !store.isLoaded || !this.messages.isEmpty;
    this.renderNotice();
    const view = store.view;
    const isConfigured = store.provider?.isConfigured ?? false;
    this.attachments.update({ pending: store.files.pending, isAttaching: store.files.isAttaching, isDisabled: !store.isLoaded || !isConfigured || store.isSending });
    this.composer.update({
      isRunning: Boolean(view?.activeRun()),
      isStopping: store.isStopping || view?.activeRun()?.status === 'cancelling',
      isSending: store.isSending,
      isDisabled: !store.isLoaded || !isConfigured,
      placeholder: isConfigured ? 'Ask Threadwork…' : 'Connect a model to start chatting',
    });
    const panel = this.panelOf();
    if (panel !== this.lastPanel) {
      this.lastPanel = panel;
      if (panel === 'history') this.history.focusSearch();
      else this.composer.focus();
    }
  }

  private renderNotice(): void {
    const notice = this.store.notice;
    this.notice.hidden = notice === null;
    this.notice.replaceChildren();
    if (!notice) return;
    this.notice.append(h('span', { className: 'notice-text' }, notice.message));
    if (notice.retry) {
      const retry = notice.retry;
      this.notice.append(custom('vscode-button', { className: 'notice-retry', attrs: { secondary: '' }, on: { click: () => retry() } }, notice.retryLabel ?? 'Retry'));
    }
    this.notice.append(h('button', { className: 'notice-dismiss', attrs: { type: 'button', 'aria-label': 'Dismiss' }, on: { click: () => this.store.dismissNotice() } }, '×'));
  }
}
