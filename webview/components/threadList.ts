/**
 * The history panel: search, then one row per thread with Open, Rename and Delete. Rename and the
 * delete confirmation happen inline (webviews have no confirm dialog).
 */
import type { ThreadSummary } from '../../src/protocol/chatModel.ts';
import { clear, custom, h } from '../dom.ts';

export interface ThreadListCallbacks {
  onOpen(threadId: string): void;
  onNew(): void;
  onRename(threadId: string, title: string): void;
  onDelete(threadId: string): void;
  onSearch(query: string): void;
}

export class ThreadList {
  readonly element: HTMLElement;
  private readonly list: HTMLElement;
  private readonly search: HTMLElement & { value: string };
  private readonly callbacks: ThreadListCallbacks;
  /** The row being renamed or asked to confirm deletion. */
  private editing: { threadId: string; mode: 'rename' | 'delete' } | null = null;
  private lastThreads: readonly ThreadSummary[] = [];
  private lastCurrent: string | null = null;

  constructor(callbacks: ThreadListCallbacks) {
    this.callbacks = callbacks;
    this.search = custom('vscode-textfield', {
      className: 'thread-search',
      attrs: { placeholder: 'Search conversations', 'aria-label': 'Search conversations', type: 'search' },
      on: { input: () => callbacks.onSearch(this.search.value) },
    }) as HTMLElement & { value: string };
    this.list = h('ul', { className: 'thread-list', attrs: { 'aria-label': 'Conversations' } });
    this.element = h('section', { className: 'history-panel', attrs: { 'aria-label': 'Conversation history' } },
      h('div', { className: 'history-toolbar' },
        this.search,
        custom('vscode-button', { className: 'new-thread-button', attrs: { 'aria-label': 'Start a new conversation' }, on: { click: () => callbacks.onNew() } }, 'New')),
      this.list);
  }

  focusSearch(): void {
    this.search.focus();
  }

  update(threads: readonly ThreadSummary[], currentThreadId: string | null): void {
    if (threads === this.lastThreads && currentThreadId === this.lastCurrent) return;
    this.lastThreads = threads;
    this.lastCurrent = currentThreadId;
    clear(this.list);
    if (threads.length === 0) {
      this.list.appendChild(h('li', { className: 'thread-empty' }, 'No conversations yet.'));
      return;
    }
    for (const thread of threads) this.list.appendChild(this.renderThread(thread, thread.id === currentThreadId));
  }

  private redraw(): void {
    const threads = this.lastThreads;
    this.lastThreads = [];
    this.update(threads, this.lastCurrent);
  }

  private renderThread(thread: ThreadSummary, isCurrent: boolean): HTMLElement {
    const item = h('li', { className: `thread-item${isCurrent ? ' current' : ''}`, attrs: { 'data-thread-id': thread.id } });
    if (this.editing?.threadId === thread.id && this.editing.mode === 'rename') {
      const input = h('input', { className: 'thread-rename-input', attrs: { type: 'text', 'aria-label': 'New title', value: thread.title } });
      let isDone = false;
      const finish = (save: boolean): void => {
        if (isDone) return;
        isDone = true;
        this.editing = null;
        if (save && input.value.trim().length > 0 && input.value !== thread.title) this.callbacks.onRename(thread.id, input.value);
        this.redraw();
      };
      input.addEventListener('keydown', (event) => {
        if (event.key === 'Enter') finish(true);
        else if (event.key === 'Escape') finish(false);
      });
      input.addEventListener('blur', () => finish(true));
      item.appendChild(input);
      queueMicrotask(() => input.select());
      return item;
    }
    item.appendChild(h('button', {
      className: 'thread-open',
      attrs: { type: 'button', 'aria-current': isCurrent ? 'true' : undefined, title: thread.title },
      on: { click: () => this.callbacks.onOpen(thread.id) },
    }, h('span', { className: 'thread-title' }, thread.title), h('span', { className: 'thread-date' }, formatDate(thread.createdAt))));
    if (this.editing?.threadId === thread.id && this.editing.mode === 'delete') {
      item.appendChild(h('span', { className: 'thread-confirm', attrs: { role: 'group', 'aria-label': 'Confirm delete' } },
        h('button', { className: 'thread-action danger', attrs: { type: 'button', 'aria-label': `Really delete ${thread.title}` }, on: { click: () => {
          this.editing = null;
          this.callbacks.onDelete(thread.id);
        } } }, 'Delete'),
        h('button', { className: 'thread-action', attrs: { type: 'button' }, on: { click: () => {
          this.editing = null;
          this.redraw();
        } } }, 'Keep')));
      return item;
    }
    item.appendChild(h('span', { className: 'thread-actions' },
      h('button', { className: 'thread-action', attrs: { type: 'button', 'aria-label': `Rename ${thread.title}`, title: 'Rename' }, on: { click: () => this.edit(thread.id, 'rename') } }, 'Rename'),
      h('button', { className: 'thread-action', attrs: { type: 'button', 'aria-label': `Delete ${thread.title}`, title: 'Delete' }, on: { click: () => this.edit(thread.id, 'delete') } }, 'Delete')));
    return item;
  }

  private edit(threadId: string, mode: 'rename' | 'delete'): void {
    this.editing = { threadId, mode };
    this.redraw();
  }
}

function formatDate(seconds: number): string {
  const date = new Date(seconds * 1000);
  const today = new Date();
  return date.toDateString() === today.toDateString()
    ? date.toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit' })
    : date.toLocaleDateString(undefined, { month: 'short', day: 'numeric' });
}
