/**
 * The conversation: a virtual list of timeline rows, plus the clicks that rows delegate to it (code
 * Copy / Insert buttons and links in model output, which never navigate the webview).
 */
import type { ChatStore } from '../chatStore.ts';
import { h } from '../dom.ts';
import { buildRows, type Row } from '../timeline.ts';
import { renderApproval } from './approvalPrompt.ts';
import { citationOf } from './citations.ts';
import { renderMessageRow } from './messageRow.ts';
import { renderRunFooter } from './runFooter.ts';
import { renderToolStep } from './toolCallCard.ts';
import { VirtualList } from './virtualList.ts';

const FEEDBACK_MS = 1500;

export class MessageList {
  readonly element: HTMLElement;
  readonly list: VirtualList<Row>;
  private readonly store: ChatStore;
  private readonly openCards = new Set<string>();
  private rows: Row[] = [];
  private builtFor: { view: unknown; structure: number; approvals: number } = { view: null, structure: -1, approvals: -1 };

  constructor(store: ChatStore) {
    this.store = store;
    this.element = h('div', { className: 'message-viewport', attrs: { role: 'log', 'aria-label': 'Conversation', tabindex: '0' } });
    this.element.addEventListener('click', (event) => this.onClick(event));
    this.list = new VirtualList<Row>(this.element, {
      render: (row, previous) => this.renderRow(row, previous),
      version: (row) => this.versionOf(row),
    });
  }

  /** Rebuilds rows when the thread's shape changed, then redraws on the next frame. */
  update(): void {
    const view = this.store.view;
    const shape = { view, structure: view?.structure ?? 0, approvals: this.store.approvals.version };
    if (shape.view !== this.builtFor.view || shape.structure !== this.builtFor.structure || shape.approvals !== this.builtFor.approvals) {
      if (shape.view !== this.builtFor.view) this.list.scrollToBottom();
      this.builtFor = shape;
      this.rows = view ? buildRows(view, [...this.store.approvals.requests.values()]) : [];
      this.list.setRows(this.rows);
    } else {
      this.list.schedule();
    }
    this.element.setAttribute('aria-busy', String(Boolean(view?.activeRun())));
  }

  get isEmpty(): boolean {
    return this.rows.length === 0;
  }

  private versionOf(row: Row): number {
    const view = this.store.view;
    if (!view) return 0;
    if (row.kind === 'message') return view.version(`m:${row.messageId}`);
    if (row.kind === 'tool') return view.version(`t:${row.stepId}`);
    if (row.kind === 'approval') return this.store.approvals.version;
    // Retry shows on the latest run only, and Stop/Retry depend on whether any run is active.
    return view.version(`f:${row.runId}`) * 4 + (view.latestRunId() === row.runId ? 2 : 0) + (view.activeRun() ? 1 : 0);
  }

  private renderRow(row: Row, previous: HTMLElement | undefined): HTMLElement {
    const view = this.store.view!;
    if (row.kind === 'message') return renderMessageRow(view.messages.get(row.messageId)!, previous, this.store.files);
    if (row.kind === 'tool') return renderToolStep(view.steps.get(row.stepId)!, this.openCards);
    if (row.kind === 'approval') {
      const request = this.store.approvals.requests.get(row.approvalId);
      // A prompt settled between two rebuilds of the row list leaves an empty slot until the next one.
      if (!request) return document.createElement('div');
      return renderApproval(request, {
        isAnswering: this.store.approvals.answering.has(row.approvalId),
        onAnswer: (decision, remember) => void this.store.approvals.answer(row.approvalId, decision, remember),
        onViewDiff: () => void this.store.approvals.viewDiff(row.approvalId),
      });
    }
    return renderRunFooter(view.runs.get(row.runId)!, {
      isLatest: view.latestRunId() === row.runId && !view.activeRun(),
      streamError: view.streamErrors.get(row.runId),
      onRetry: () => void this.store.retry(),
    });
  }

  private onClick(event: MouseEvent): void {
    const target = event.target as Element | null;
    const link = target?.closest('a');
    if (link && this.element.contains(link)) {
      // Links in model output never navigate the panel; web links open outside, after VS Code asks.
      event.preventDefault();
      // A file the assistant generated (a file_path link): opens in VS Code.
      const fileId = link.dataset['fileId'];
      if (fileId) {
        void this.store.files.openGenerated(fileId, 'open');
        return;
      }
      const href = link.getAttribute('href');
      if (href && /^https?:\/\//i.test(href)) this.store.openLink(href);
      return;
    }
    const button = target?.closest<HTMLElement>('button[data-action]');
    if (!button) return;
    const citation = citationOf(button);
    if (citation) {
      this.store.openCitation(citation);
      return;
    }
    const block = button.closest('.code-block');
    const code = block?.querySelector('code')?.textContent ?? '';
    const language = block?.getAttribute('data-lang') || null;
    if (button.dataset['action'] === 'copy') void this.copy(button, code);
    else if (button.dataset['action'] === 'insert') void this.insert(button, code, language);
  }

  private async copy(button: HTMLElement, code: string): Promise<void> {
    try {
      await navigator.clipboard.writeText(code);
      flash(button, 'Copied');
    } catch {
      flash(button, 'Copy failed');
    }
  }

  private async insert(button: HTMLElement, code: string, language: string | null): Promise<void> {
    try {
      const result = await this.store.insertCode(code, language);
      flash(button, result.inserted ? 'Inserted' : 'No editor', result.reason);
    } catch {
      flash(button, 'Insert failed');
    }
  }
}

function flash(button: HTMLElement, text: string, title?: string): void {
  const original = button.textContent;
  button.textContent = text;
  if (title) button.title = title;
  setTimeout(() => {
    button.textContent = original;
    button.removeAttribute('title');
  }, FEEDBACK_MS);
}
