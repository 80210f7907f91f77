/** Turns a message as a client writes it into the stored v2 content parts. */
import type { MessageContent, MessageContentInput } from '../types/message.ts';

export function toMessageContent(content: string | MessageContentInput[]): MessageContent[] {
  if (typeof content === 'string') return [{ type: 'text', text: { value: content, annotations: [] } }];
  return content.map((part): MessageContent => (part.type === 'text' ? { type: 'text', text: { value: part.text, annotations: [] } } : part));
}

/** The plain text of a message, for the model and for previews. */
export function messageText(content: MessageContent[]): string {
  return content
    .map((part) => (part.type === 'text' ? part.text.value : part.type === 'refusal' ? part.refusal : ''))
    .filter((text) => text.length > 0)
    .join('\n');
}
