/** The panel's top bar: the conversation's title, which also opens and closes the history. */
import { h } from '../dom.ts';

export class Header {
  readonly element: HTMLElement;
  private readonly title: HTMLElement;
  private readonly historyButton: HTMLButtonElement;

  constructor(onToggleHistory: () => void) {
    this.title = h('span', { className: 'header-title-text' });
    this.historyButton = h('button', {
      className: 'header-title',
      attrs: { type: 'button', 'aria-label': 'Show conversation history', 'aria-expanded': 'false' },
      on: { click: () => onToggleHistory() },
    }, h('span', { className: 'header-chevron', attrs: { 'aria-hidden': 'true' } }, '☰'), this.title);
    this.element = h('header', { className: 'chat-header' }, this.historyButton);
  }

  update(title: string, isHistoryOpen: boolean): void {
    if (this.title.textContent !== title) this.title.textContent = title;
    this.historyButton.setAttribute('aria-expanded', String(isHistoryOpen));
    this.historyButton.title = title;
  }
}
