/**
 * Attachments in the composer: the paperclip button (the host opens a file picker and uploads the
 * choice) and one chip per file waiting to go out with the next message, each removable.
 */
import type { AttachedFile } from '../../src/protocol/chatModel.ts';
import { h } from '../dom.ts';

export interface AttachmentBarCallbacks {
  onAttach(): void;
  onRemove(fileId: string): void;
}

export interface AttachmentBarState {
  pending: readonly AttachedFile[];
  isAttaching: boolean;
  isDisabled: boolean;
}

export class AttachmentBar {
  /** The paperclip, for the composer's button row. */
  readonly button: HTMLButtonElement;
  /** The chips, shown above the message box while there are any. */
  readonly chips: HTMLElement;
  private readonly callbacks: AttachmentBarCallbacks;
  private shown: readonly AttachedFile[] | null = null;

  constructor(callbacks: AttachmentBarCallbacks) {
    this.callbacks = callbacks;
    this.button = h('button', {
      className: 'attach-button',
      attrs: { type: 'button', title: 'Attach files (the code interpreter can read them)', 'aria-label': 'Attach files' },
      on: { click: () => callbacks.onAttach() },
    }, paperclipIcon());
    this.chips = h('ul', { className: 'attachment-chips', attrs: { 'aria-label': 'Attached files' } });
    this.chips.hidden = true;
  }

  update(state: AttachmentBarState): void {
    this.button.disabled = state.isAttaching || state.isDisabled;
    this.button.classList.toggle('busy', state.isAttaching);
    if (state.pending === this.shown) return;
    this.shown = state.pending;
    this.chips.replaceChildren(...state.pending.map((file) => this.chip(file)));
    this.chips.hidden = state.pending.length === 0;
  }

  private chip(file: AttachedFile): HTMLElement {
    return h('li', { className: 'attachment-chip', attrs: { 'data-file-id': file.fileId, title: `${file.filename} · ${formatSize(file.bytes)} · for ${file.tools.join(' and ')}` } },
      h('span', { className: 'attachment-name' }, file.filename),
      h('span', { className: 'attachment-size' }, formatSize(file.bytes)),
      h('button', {
        className: 'attachment-remove',
        attrs: { type: 'button', 'aria-label': `Remove ${file.filename}` },
        on: { click: () => this.callbacks.onRemove(file.fileId) },
      }, '×'));
  }
}

export function formatSize(bytes: number): string {
  if (bytes >= 1024 * 1024) return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
  if (bytes >= 1024) return `${Math.round(bytes / 1024)} KB`;
  return `${bytes} B`;
}

/** Drawn as DOM (not markup), so no string ever becomes HTML; no emoji font needed. */
export function paperclipIcon(): SVGElement {
  const ns = 'http://www.w3.org/2000/svg';
  const svg = document.createElementNS(ns, 'svg');
  svg.setAttribute('viewBox', '0 0 16 16');
  svg.setAttribute('width', '16');
  svg.setAttribute('height', '16');
  svg.setAttribute('aria-hidden', 'true');
  const path = document.createElementNS(ns, 'path');
  path.setAttribute('d', 'M10.5 4.5 5.3 9.7a1.4 1.4 0 0 0 2 2l5.6-5.6a2.8 2.8 0 0 0-4-4L3.2 7.8a4.2 4.2 0 0 0 6 6l4.3-4.3');
  path.setAttribute('fill', 'none');
  path.setAttribute('stroke', 'currentColor');
  path.setAttribute('stroke-width', '1.3');
  path.setAttribute('stroke-linecap', 'round');
  svg.appendChild(path);
  return svg;
}
