/**
 * The message box. Enter sends, Shift+Enter breaks the line, Up on the first line recalls earlier
 * messages (Down walks forward again). While a run is going, Send becomes Stop.
 */
import { custom, h } from '../dom.ts';

export interface ComposerCallbacks {
  onSend(text: string): void;
  onStop(): void;
  onDraft(text: string): void;
  /** Messages sent before, oldest first. */
  history(): readonly string[];
}

export interface ComposerState {
  isRunning: boolean;
  isStopping: boolean;
  isSending: boolean;
  isDisabled: boolean;
  placeholder: string;
}

export class Composer {
  readonly element: HTMLElement;
  readonly input: HTMLTextAreaElement;
  private readonly sendButton: HTMLElement;
  private readonly stopButton: HTMLElement;
  private readonly callbacks: ComposerCallbacks;
  /** Position while walking back through history; -1 when editing a fresh message. */
  private recallIndex = -1;
  private draftBeforeRecall = '';
  private state: ComposerState = { isRunning: false, isStopping: false, isSending: false, isDisabled: false, placeholder: '' };

  /** `leading` goes at the start of the button row (the assistant picker). */
  constructor(callbacks: ComposerCallbacks, draft: string, leading?: HTMLElement) {
    this.callbacks = callbacks;
    this.input = h('textarea', {
      className: 'composer-input',
      attrs: { rows: '1', 'aria-label': 'Message to Threadwork. Enter sends, Shift+Enter adds a line, Up recalls earlier messages.' },
      on: { keydown: (event) => this.onKeyDown(event as KeyboardEvent), input: () => this.onInput() },
    });
    this.input.value = draft;
    this.sendButton = custom('vscode-button', { className: 'send-button', attrs: { 'aria-label': 'Send message' }, on: { click: () => this.send() } }, 'Send');
    this.stopButton = custom('vscode-button', { className: 'stop-button', attrs: { secondary: '', 'aria-label': 'Stop the run' }, on: { click: () => callbacks.onStop() } }, 'Stop');
    this.element = h('footer', { className: 'composer' }, this.input, h('div', { className: 'composer-actions' }, leading ?? null, h('span', { className: 'composer-spacer' }), this.stopButton, this.sendButton));
    this.resize();
  }

  update(state: ComposerState): void {
    const previous = this.state;
    this.state = state;
    if (previous.placeholder !== state.placeholder) this.input.placeholder = state.placeholder;
    this.stopButton.hidden = !state.isRunning;
    this.sendButton.hidden = state.isRunning;
    toggleAttribute(this.stopButton, 'disabled', state.isStopping);
    toggleAttribute(this.sendButton, 'disabled', state.isSending || state.isDisabled);
    this.input.disabled = state.isDisabled;
  }

  focus(): void {
    this.input.focus();
  }

  private send(): void {
    const text = this.input.value;
    if (text.trim().length === 0 || this.state.isRunning || this.state.isSending || this.state.isDisabled) return;
    this.callbacks.onSend(text);
    this.input.value = '';
    this.recallIndex = -1;
    this.resize();
  }

  private onKeyDown(event: KeyboardEvent): void {
    if (event.isComposing) return;
    if (event.key === 'Enter' && !event.shiftKey && !event.altKey && !event.ctrlKey && !event.metaKey) {
      event.preventDefault();
      this.send();
    } else if (event.key === 'ArrowUp' && this.caretOnFirstLine()) {
      if (this.recall(1)) event.preventDefault();
    } else if (event.key === 'ArrowDown' && this.recallIndex >= 0 && this.caretOnLastLine()) {
      if (this.recall(-1)) event.preventDefault();
    }
  }

  /** Moves through sent messages: +1 is older, -1 newer; past the newest restores the draft. */
  private recall(step: 1 | -1): boolean {
    const history = this.callbacks.history();
    const next = this.recallIndex + step;
    if (next >= history.length || next < -1) return false;
    if (this.recallIndex === -1) this.draftBeforeRecall = this.input.value;
    this.recallIndex = next;
    this.input.value = next === -1 ? this.draftBeforeRecall : history[history.length - 1 - next]!;
    const end = this.input.value.length;
    this.input.setSelectionRange(end, end);
    this.resize();
    return true;
  }

  private caretOnFirstLine(): boolean {
    const { selectionStart, selectionEnd, value } = this.input;
    return selectionStart === selectionEnd && !value.slice(0, selectionStart).includes('\n');
  }

  private caretOnLastLine(): boolean {
    const { selectionStart, selectionEnd, value } = this.input;
    return selectionStart === selectionEnd && !value.slice(selectionEnd).includes('\n');
  }

  private onInput(): void {
    this.recallIndex = -1;
    this.resize();
    this.callbacks.onDraft(this.input.value);
  }

  private resize(): void {
    this.input.style.height = 'auto';
    this.input.style.height = `${Math.min(this.input.scrollHeight, 240)}px`;
  }
}

function toggleAttribute(element: HTMLElement, name: string, on: boolean): void {
  if (on) element.setAttribute(name, '');
  else element.removeAttribute(name);
}
