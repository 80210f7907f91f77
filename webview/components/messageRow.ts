/**
 * One message of the conversation. The body is sanitized markdown; a message still streaming keeps
 * its element and only swaps the body's content, so focus and the row's place survive each frame.
 */
import type { Message } from '../../src/protocol/chatModel.ts';
import { h } from '../dom.ts';
import type { FileState } from '../fileState.ts';
import { isStreamingBody, renderStreamingMarkdown, renderWholeMarkdown } from '../streamingMarkdown.ts';
import { decorateCitations } from './citations.ts';
import { decorateFileLinks, messageMarkdown, renderMessageFiles } from './messageFiles.ts';

const INCOMPLETE_REASONS: Record<string, string> = {
  run_cancelled: 'Stopped before the answer was complete.',
  run_failed: 'The run failed before the answer was complete.',
  run_expired: 'The run expired before the answer was complete.',
  max_tokens: 'Cut off: the token limit was reached.',
  content_filter: 'Cut off by the provider\'s content filter.',
};

export function renderMessageRow(message: Message, previous: HTMLElement | undefined, files?: FileState): HTMLElement {
  const isUser = message.role === 'user';
  const row = previous ?? h('article', { className: `row message ${isUser ? 'from-user' : 'from-assistant'}`, attrs: { 'aria-label': isUser ? 'Your message' : 'Assistant message' } },
    h('div', { className: 'message-role', attrs: { 'aria-hidden': 'true' } }, isUser ? 'You' : 'Threadwork'),
    h('div', { className: 'markdown message-body' }),
    h('div', { className: 'message-note', attrs: { role: 'note' } }));
  const body = row.querySelector<HTMLElement>('.message-body')!;
  if (message.status === 'in_progress' || isStreamingBody(body)) renderStreamingMarkdown(body, messageMarkdown(message));
  else renderWholeMarkdown(body, messageMarkdown(message));
  decorateFileLinks(body, message);
  decorateCitations(row, body, message);
  if (files) renderMessageFiles(row, message, files);
  row.classList.toggle('streaming', message.status === 'in_progress');
  row.setAttribute('aria-busy', String(message.status === 'in_progress'));
  const note = row.querySelector<HTMLElement>('.message-note')!;
  note.textContent = message.status === 'incomplete' ? (INCOMPLETE_REASONS[message.incomplete_details?.reason ?? ''] ?? 'Incomplete.') : '';
  note.hidden = note.textContent === '';
  return row;
}
