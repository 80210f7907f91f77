/**
 * Lays out the panel and keeps it in step with the store: the header, the setup notice, the history
 * or the conversation, a notice line for errors, and the composer. Store changes are coalesced into
 * one redraw per animation frame, so a burst of deltas costs one paint.
 */
import type { ChatStore } from './chatStore.ts';
import { Composer } from './components/composer.ts';
import { Header } from './components/header.ts';
import { MessageList } from './components/messageList.ts';
import { SetupNotice } from './components/setupNotice.ts';
import { ThreadList } from './components/threadList.ts';
import { custom, h } from './dom.ts';

export class ChatApp {
  private readonly store: ChatStore;
  private readonly header: Header;
  private readonly setup: SetupNotice;
  private readonly history: ThreadList;
  private readonly messages: MessageList;
  private readonly empty: HTMLElement;
  private readonly conversation: HTMLElement;
  private readonly notice: HTMLElement;
  private readonly composer: Composer;
  private frame = 0;
  private lastPanel = this.panelOf();

  constructor(root: HTMLElement, store: ChatStore) {
    this.store = store;
    this.header = new Header({
      onToggleHistory: () => store.showPanel(store.panel === 'history' ? 'chat' : 'history'),
      onSelectAssistant: (id) => void store.selectAssistant(id),
    });
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
    this.composer = new Composer({
      onSend: (text) => void store.send(text),
      onStop: () => void store.stop(),
      onDraft: (text) => store.saveDraft(text),
      history: () => store.persisted.sentHistory,
    }, store.persisted.draft);
    root.replaceChildren(h('div', { className: 'chat-app' }, this.header.element, this.setup.element, this.history.element, this.conversation, this.notice, this.composer.element));
    store.onChange(() => this.schedule());
    this.render();
  }

  private schedule(): void {
    if (this.frame !== 0) return;
    this.frame = requestAnimationFrame(() => {
      this.frame = 0;
      this.render();
    });
  }

  private panelOf(): string {
    return this.store?.panel ?? 'chat';
  }

  private render(): void {
    const store = this.store;
    const isHistory = store.panel === 'history';
    this.header.update(store.currentTitle(), isHistory, store.assistants, store.selectedAssistantId);
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
