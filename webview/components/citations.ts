/**
 * file_search citations as footnotes. The model writes markers like `【0:1†src/config.ts】` and the
 * engine turns the ones that name a real result into `file_citation` annotations when the answer
 * ends. After the markdown is rendered and sanitized, each marker in the text becomes a numbered
 * footnote: a button (the message list opens the cited file at the cited lines through
 * `citation/open`) when an annotation backs it, a muted number while the answer still streams, and
 * plain text when the model invented it. A "Sources" list under the answer repeats them. Everything
 * is built with DOM calls on text nodes, so no model text ever becomes markup.
 */
import type { Message } from '../../src/protocol/chatModel.ts';
import { h } from '../dom.ts';

const MARKER = /【(\d+):(\d+)†([^】]*)】/g;
export const CITATION_ACTION = 'citation';

export interface CitationParams {
  threadId: string;
  messageId: string;
  fileId: string;
  marker: string;
}

interface Footnote {
  number: number;
  marker: string;
  name: string;
  fileId: string | undefined;
}

/** The file each annotated marker cites, by the marker's text. */
function citedFiles(message: Message): Map<string, string> {
  const files = new Map<string, string>();
  for (const part of message.content) {
    if (part.type !== 'text') continue;
    for (const annotation of part.text.annotations) {
      if (annotation.type === 'file_citation' && !files.has(annotation.text)) files.set(annotation.text, annotation.file_citation.file_id);
    }
  }
  return files;
}

function footnoteElement(footnote: Footnote, message: Message): HTMLElement {
  if (!footnote.fileId) {
    return h('sup', { className: 'citation pending', attrs: { 'data-marker': footnote.marker, title: footnote.name } }, `[${footnote.number}]`);
  }
  return h('sup', { className: 'citation-ref', attrs: { 'data-marker': footnote.marker } },
    h('button', {
      className: 'citation',
      attrs: {
        type: 'button',
        'data-action': CITATION_ACTION,
        'data-marker': footnote.marker,
        'data-file-id': footnote.fileId,
        'data-message-id': message.id,
        'data-thread-id': message.thread_id,
        title: `Open ${footnote.name} at the cited lines`,
        'aria-label': `Source ${footnote.number}: ${footnote.name}`,
      },
    }, `[${footnote.number}]`));
}

/**
 * Turns the markers in `body` into footnotes and draws the Sources list in `row`. Safe to run again
 * on the same body: markers already turned are only upgraded (pending → clickable).
 */
export function decorateCitations(row: HTMLElement, body: HTMLElement, message: Message): void {
  if (message.role !== 'assistant') return;
  const files = citedFiles(message);
  const footnotes = new Map<string, Footnote>();
  const footnoteFor = (marker: string, name: string): Footnote => {
    let footnote = footnotes.get(marker);
    if (!footnote) {
      footnote = { number: footnotes.size + 1, marker, name, fileId: files.get(marker) };
      footnotes.set(marker, footnote);
    }
    return footnote;
  };
  const isStreaming = message.status === 'in_progress';

  for (const existing of body.querySelectorAll<HTMLElement>('sup[data-marker]')) {
    const marker = existing.dataset['marker']!;
    const footnote = footnoteFor(marker, markerName(marker));
    if (existing.classList.contains('pending') && footnote.fileId) existing.replaceWith(footnoteElement(footnote, message));
  }

  const walker = body.ownerDocument.createTreeWalker(body, NodeFilter.SHOW_TEXT);
  const textNodes: Text[] = [];
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    if (node.nodeValue?.includes('【') && !node.parentElement?.closest('pre, code')) textNodes.push(node as Text);
  }
  for (const node of textNodes) {
    const text = node.nodeValue!;
    const pieces: Array<string | HTMLElement> = [];
    let last = 0;
    for (const match of text.matchAll(MARKER)) {
      const marker = match[0];
      const cited = files.has(marker);
      // A marker nothing backs once the answer is done was invented by the model: left as text.
      if (!cited && !isStreaming) continue;
      pieces.push(text.slice(last, match.index));
      pieces.push(footnoteElement(footnoteFor(marker, match[3] || 'source'), message));
      last = match.index + marker.length;
    }
    if (last === 0) continue;
    pieces.push(text.slice(last));
    node.replaceWith(...pieces.filter((piece) => piece !== ''));
  }
  renderSources(row, [...footnotes.values()].filter((footnote) => footnote.fileId !== undefined), message);
}

function markerName(marker: string): string {
  return /†([^】]*)】$/.exec(marker)?.[1] || 'source';
}

function renderSources(row: HTMLElement, footnotes: Footnote[], message: Message): void {
  let list = row.querySelector<HTMLElement>(':scope > .message-citations');
  if (footnotes.length === 0) {
    list?.remove();
    return;
  }
  if (!list) {
    list = h('div', { className: 'message-citations', attrs: { role: 'group', 'aria-label': 'Sources' } });
    row.insertBefore(list, row.querySelector(':scope > .message-files') ?? row.querySelector(':scope > .message-note'));
  }
  list.replaceChildren(
    h('span', { className: 'message-citations-title' }, 'Sources'),
    h('ol', { className: 'message-citations-list' }, ...footnotes.map((footnote) => h('li', {},
      h('button', {
        className: 'citation-source',
        attrs: {
          type: 'button',
          'data-action': CITATION_ACTION,
          'data-marker': footnote.marker,
          'data-file-id': footnote.fileId!,
          'data-message-id': message.id,
          'data-thread-id': message.thread_id,
          title: `Open ${footnote.name} at the cited lines`,
        },
      }, `[${footnote.number}] ${footnote.name}`)))),
  );
}

/** The request a clicked footnote stands for, or undefined for any other button. */
export function citationOf(button: HTMLElement): CitationParams | undefined {
  const { action, marker, fileId, messageId, threadId } = button.dataset;
  if (action !== CITATION_ACTION || !marker || !fileId || !messageId || !threadId) return undefined;
  return { threadId, messageId, fileId, marker };
}
