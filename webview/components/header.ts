/**
 * The panel's top bar: the conversation's title (which opens the history) and the assistant picker.
 */
import type { AssistantSummary } from '../../src/protocol/chatModel.ts';
import { clear, custom, h } from '../dom.ts';

export interface HeaderCallbacks {
  onToggleHistory(): void;
  onSelectAssistant(assistantId: string): void;
}

export class Header {
  readonly element: HTMLElement;
  private readonly title: HTMLElement;
  private readonly historyButton: HTMLButtonElement;
  private readonly picker: HTMLElement & { value: string };
  private lastAssistants: readonly AssistantSummary[] = [];

  constructor(callbacks: HeaderCallbacks) {
    this.title = h('span', { className: 'header-title-text' });
    this.historyButton = h('button', {
      className: 'header-title',
      attrs: { type: 'button', 'aria-label': 'Show conversation history', 'aria-expanded': 'false' },
      on: { click: () => callbacks.onToggleHistory() },
    }, h('span', { className: 'header-chevron', attrs: { 'aria-hidden': 'true' } }, '☰'), this.title);
    this.picker = custom('vscode-single-select', {
      className: 'assistant-picker',
      attrs: { 'aria-label': 'Assistant' },
      on: { change: () => callbacks.onSelectAssistant(this.picker.value) },
    }) as HTMLElement & { value: string };
    this.element = h('header', { className: 'chat-header' }, this.historyButton, this.picker);
  }

  update(title: string, isHistoryOpen: boolean, assistants: readonly AssistantSummary[], selectedAssistantId: string | null): void {
    if (this.title.textContent !== title) this.title.textContent = title;
    this.historyButton.setAttribute('aria-expanded', String(isHistoryOpen));
    if (assistants !== this.lastAssistants) {
      this.lastAssistants = assistants;
      clear(this.picker);
      for (const assistant of assistants) {
        this.picker.appendChild(custom('vscode-option', { attrs: { value: assistant.id, description: assistant.model } }, `${assistant.name} · ${assistant.model}`));
      }
    }
    this.picker.hidden = assistants.length === 0;
    if (selectedAssistantId && this.picker.value !== selectedAssistantId) this.picker.value = selectedAssistantId;
  }
}
