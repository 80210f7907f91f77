/**
 * The files of a message: the attachments a user message carried (chips), the images an answer
 * shows (charts the code interpreter drew: `image_file` parts, loaded from the host as data: URIs),
 * and the files it links to (`file_path` annotations on `sandbox:/mnt/data/...` links), which open
 * in VS Code or are saved with Save As. Link targets are rewritten before the markdown is rendered
 * and checked against the message's own annotations after it is sanitized, so model text cannot
 * point a link at any other file.
 */
import type { Annotation, Message } from '../../src/protocol/chatModel.ts';
import { h } from '../dom.ts';
import type { FileState } from '../fileState.ts';
import { paperclipIcon } from './attachmentBar.ts';

/** The href a `file_path` link gets; markdown.ts lets exactly this shape through the sanitizer. */
export const FILE_LINK_PREFIX = '#tw-file=';

interface FileLink {
  fileId: string;
  name: string;
}

/** Text parts as markdown with file links in place; images are drawn by `renderMessageFiles`. */
export function messageMarkdown(message: Message): string {
  return message.content
    .map((part) => {
      if (part.type === 'text') return withFileLinks(part.text.value, part.text.annotations);
      if (part.type === 'refusal') return `> ${part.refusal}`;
      if (part.type === 'image_file') return '';
      return '*[image]*';
    })
    .filter((text) => text !== '')
    .join('\n\n');
}

function withFileLinks(text: string, annotations: readonly Annotation[]): string {
  const links = annotations
    .filter((annotation) => annotation.type === 'file_path')
    .filter((annotation) => text.slice(annotation.start_index, annotation.end_index) === annotation.text)
    .sort((a, b) => b.start_index - a.start_index);
  let result = text;
  for (const annotation of links) {
    const target = `${FILE_LINK_PREFIX}${annotation.file_path.file_id}`;
    // `[label](sandbox:/mnt/data/x)` keeps its label; a bare path becomes a link named after the file.
    const insideLink = result.slice(Math.max(0, annotation.start_index - 2), annotation.start_index) === '](';
    const replacement = insideLink ? target : `[${escapeLabel(baseName(annotation.text))}](${target})`;
    result = result.slice(0, annotation.start_index) + replacement + result.slice(annotation.end_index);
  }
  return result;
}

/** The generated files a message links to, once each, in order. */
export function fileLinksOf(message: Message): FileLink[] {
  const links = new Map<string, FileLink>();
  for (const part of message.content) {
    if (part.type !== 'text') continue;
    for (const annotation of part.text.annotations) {
      if (annotation.type === 'file_path' && !links.has(annotation.file_path.file_id)) {
        links.set(annotation.file_path.file_id, { fileId: annotation.file_path.file_id, name: baseName(annotation.text) });
      }
    }
  }
  return [...links.values()];
}

/**
 * After the body is rendered: links to this message's generated files get their file id (the
 * message list opens them on click); any other file link loses its target.
 */
export function decorateFileLinks(body: HTMLElement, message: Message): void {
  const known = new Set(fileLinksOf(message).map((link) => link.fileId));
  for (const link of body.querySelectorAll<HTMLAnchorElement>(`a[href^="${FILE_LINK_PREFIX}"]`)) {
    const fileId = link.getAttribute('href')!.slice(FILE_LINK_PREFIX.length);
    link.removeAttribute('href');
    if (!known.has(fileId)) continue;
    link.dataset['fileId'] = fileId;
    link.classList.add('file-link');
    link.title = 'Open in VS Code';
  }
}

/** Draws (or updates) the message's attachments, images and generated files under its body. */
export function renderMessageFiles(row: HTMLElement, message: Message, files: FileState): void {
  const images = message.content.flatMap((part) => (part.type === 'image_file' ? [part.image_file.file_id] : []));
  const attachments = message.attachments ?? [];
  const links = message.role === 'assistant' ? fileLinksOf(message) : [];
  let container = row.querySelector<HTMLElement>(':scope > .message-files');
  if (images.length === 0 && attachments.length === 0 && links.length === 0) {
    container?.remove();
    return;
  }
  if (!container) {
    container = h('div', { className: 'message-files' });
    const note = row.querySelector(':scope > .message-note');
    row.insertBefore(container, note);
  }
  const existingImages = new Map([...container.querySelectorAll<HTMLElement>(':scope > .message-image')].map((figure) => [figure.dataset['fileId']!, figure]));
  const parts: HTMLElement[] = [];
  if (attachments.length > 0) {
    parts.push(h('ul', { className: 'message-attachments', attrs: { 'aria-label': 'Attached files' } },
      ...attachments.map((attachment) => attachmentChip(attachment.file_id, files))));
  }
  for (const fileId of images) parts.push(existingImages.get(fileId) ?? imageFigure(fileId, files, message.role === 'assistant'));
  if (links.length > 0) {
    parts.push(h('ul', { className: 'generated-files', attrs: { 'aria-label': 'Files the assistant made' } },
      ...links.map((link) => generatedFile(link, files))));
  }
  container.replaceChildren(...parts);
}

function attachmentChip(fileId: string, files: FileState): HTMLElement {
  const name = h('span', { className: 'attachment-name' }, 'attached file');
  void files.nameOf(fileId).then((filename) => {
    name.textContent = filename ?? 'a file no longer stored';
  });
  return h('li', { className: 'attachment-chip', attrs: { 'data-file-id': fileId } }, paperclip(), name);
}

function imageFigure(fileId: string, files: FileState, canOpen: boolean): HTMLElement {
  const image = h('img', { className: 'message-image-img', attrs: { alt: 'Image from the code interpreter', 'data-file-id': fileId } });
  const figure = h('figure', { className: 'message-image loading', attrs: { 'data-file-id': fileId } });
  if (canOpen) {
    figure.append(
      h('button', { className: 'message-image-open', attrs: { type: 'button', title: 'Open in VS Code', 'aria-label': 'Open the image in VS Code' }, on: { click: () => void files.openGenerated(fileId, 'open') } }, image),
      h('figcaption', {}, h('button', { className: 'file-action file-save', attrs: { type: 'button' }, on: { click: () => void files.openGenerated(fileId, 'save') } }, 'Save As…')),
    );
  } else {
    figure.append(image);
  }
  const show = (data: { dataUri: string; width: number | null; height: number | null }): void => {
    if (data.width && data.height) {
      image.width = data.width;
      image.height = data.height;
    }
    image.src = data.dataUri;
    figure.classList.remove('loading');
  };
  const ready = files.readyImage(fileId);
  if (ready) {
    show(ready);
  } else {
    files.image(fileId).then(show, (error: unknown) => {
      figure.classList.remove('loading');
      figure.classList.add('failed');
      figure.prepend(h('span', { className: 'message-image-error' }, `The image could not be shown: ${error instanceof Error ? error.message : String(error)}`));
    });
  }
  return figure;
}

function generatedFile(link: FileLink, files: FileState): HTMLElement {
  return h('li', { className: 'generated-file', attrs: { 'data-file-id': link.fileId } },
    h('span', { className: 'generated-file-name' }, link.name),
    h('button', { className: 'file-action file-open', attrs: { type: 'button', 'aria-label': `Open ${link.name} in VS Code` }, on: { click: () => void files.openGenerated(link.fileId, 'open') } }, 'Open'),
    h('button', { className: 'file-action file-save', attrs: { type: 'button', 'aria-label': `Save ${link.name} as…` }, on: { click: () => void files.openGenerated(link.fileId, 'save') } }, 'Save As…'));
}

function paperclip(): HTMLElement {
  return h('span', { className: 'attachment-icon', attrs: { 'aria-hidden': 'true' } }, paperclipIcon());
}

function baseName(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1) || path;
}

function escapeLabel(text: string): string {
  return text.replace(/[\\[\]*_`]/g, (char) => `\\${char}`);
}
