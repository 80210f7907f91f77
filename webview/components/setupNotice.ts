/** Shown instead of a silent failure when no model API is configured: what is missing, and the fix. */
import type { ProviderStatus } from '../../src/protocol/chatModel.ts';
import { custom, h } from '../dom.ts';

export class SetupNotice {
  readonly element: HTMLElement;
  private readonly text: HTMLElement;

  constructor(onAction: (action: 'setApiKey' | 'openSettings') => void) {
    this.text = h('p', { className: 'setup-text' });
    this.element = h('section', { className: 'setup-notice', attrs: { role: 'status', 'aria-label': 'Model provider setup' } },
      h('h2', { className: 'setup-heading' }, 'Connect a model'),
      this.text,
      h('div', { className: 'setup-actions' },
        custom('vscode-button', { className: 'setup-settings', attrs: { 'aria-label': 'Open the provider settings' }, on: { click: () => onAction('openSettings') } }, 'Open Settings'),
        custom('vscode-button', { className: 'setup-key', attrs: { secondary: '', 'aria-label': 'Set the API key' }, on: { click: () => onAction('setApiKey') } }, 'Set API Key')));
    this.element.hidden = true;
  }

  update(provider: ProviderStatus | null): void {
    const problem = provider && !provider.isConfigured ? provider.problem : null;
    this.element.hidden = problem === null;
    if (problem !== null && this.text.textContent !== problem) this.text.textContent = problem;
  }
}
