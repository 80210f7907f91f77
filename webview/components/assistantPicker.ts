/** Which assistant answers the next message; it sits in the composer, next to Send. */
import type { AssistantSummary } from '../../src/protocol/chatModel.ts';
import { clear, custom } from '../dom.ts';

export class AssistantPicker {
  readonly element: HTMLElement & { value: string };
  private lastAssistants: readonly AssistantSummary[] = [];

  constructor(onSelect: (assistantId: string) => void) {
    this.element = custom('vscode-single-select', {
      className: 'assistant-picker',
      // It sits at the bottom of the panel, so its list opens upwards.
      attrs: { 'aria-label': 'Assistant', position: 'above' },
      on: { change: () => onSelect(this.element.value) },
    }) as HTMLElement & { value: string };
  }

  update(assistants: readonly AssistantSummary[], selectedAssistantId: string | null): void {
    if (assistants !== this.lastAssistants) {
      this.lastAssistants = assistants;
      clear(this.element);
      for (const assistant of assistants) {
        this.element.appendChild(custom('vscode-option', { attrs: { value: assistant.id, description: assistant.model } }, `${assistant.name} · ${assistant.model}`));
      }
    }
    this.element.hidden = assistants.length === 0;
    if (selectedAssistantId && this.element.value !== selectedAssistantId) this.element.value = selectedAssistantId;
  }
}
