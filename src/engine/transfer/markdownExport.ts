/**
 * A thread as a Markdown document a person can read, diff or paste: a heading per message with who
 * said it and when, the text as written (it is already Markdown), and what could not be carried
 * over (images that live in the database) said in place rather than dropped silently.
 */
import { messageText } from '../messages/messageContent.ts';
import type { Message, MessageContent } from '../types/message.ts';
import type { ArchivedThread, ThreadArchive } from './threadArchive.ts';

/** The metadata key the chat panel keeps a thread's title under. */
export const THREAD_TITLE_KEY = 'title';

export function threadTitle(archived: ArchivedThread): string {
  const title = archived.thread.metadata[THREAD_TITLE_KEY];
  if (title && title.trim().length > 0) return title.trim();
  const first = archived.messages[0];
  const line = first ? messageText(first.content).trim().split('\n', 1)[0]?.trim() : '';
  return line && line.length > 0 ? line.slice(0, 80) : 'Conversation';
}

export function archiveToMarkdown(archive: ThreadArchive): string {
  return archive.threads.map(threadToMarkdown).join('\n---\n\n');
}

export function threadToMarkdown(archived: ArchivedThread): string {
  const modelOfRun = new Map(archived.runs.map((run) => [run.id, run.model]));
  const tokens = archived.runs.reduce((sum, run) => sum + (run.usage?.total_tokens ?? 0), 0);
  const lines = [
    `# ${oneLine(threadTitle(archived))}`,
    '',
    `_Thread \`${archived.thread.id}\`, started ${isoDate(archived.thread.created_at)}; ${archived.messages.length} messages${tokens > 0 ? `, ${tokens} tokens over ${archived.runs.length} runs` : ''}._`,
    '',
  ];
  for (const message of archived.messages) {
    const model = message.run_id ? modelOfRun.get(message.run_id) : undefined;
    lines.push(`## ${speaker(message)}${model ? ` (${model})` : ''} · ${isoDate(message.created_at)}`, '');
    lines.push(contentMarkdown(message), '');
    if (message.status === 'incomplete') lines.push(`_This answer was cut off (${message.incomplete_details?.reason ?? 'incomplete'})._`, '');
  }
  return `${lines.join('\n').trimEnd()}\n`;
}

function speaker(message: Message): string {
  return message.role === 'user' ? 'User' : 'Assistant';
}

function contentMarkdown(message: Message): string {
  const parts = message.content.map(partMarkdown).filter((part) => part.length > 0);
  const attachments = (message.attachments ?? []).map((attachment) => `_Attached file \`${attachment.file_id}\`._`);
  const text = [...parts, ...attachments].join('\n\n');
  return text.length > 0 ? text : '_(empty)_';
}

function partMarkdown(part: MessageContent): string {
  if (part.type === 'text') return part.text.value;
  if (part.type === 'refusal') return `> Refused: ${part.refusal}`;
  if (part.type === 'image_url') return `![image](${part.image_url.url})`;
  return `_Image file \`${part.image_file.file_id}\` (not included in the export)._`;
}

function isoDate(seconds: number): string {
  return new Date(seconds * 1000).toISOString().replace('.000Z', 'Z');
}

function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ');
}
