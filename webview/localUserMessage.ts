// The user's message as the panel shows it the moment Send is pressed, before the host has stored it.
import type { Message } from '../src/protocol/chatModel.ts';

let localIds = 0;

export function localUserMessage(threadId: string, text: string): Message {
  const now = Math.floor(Date.now() / 1000);
  return {
    id: `local_${++localIds}`,
    object: 'thread.message',
    created_at: now,
    thread_id: threadId,
    status: 'completed',
    incomplete_details: null,
    completed_at: now,
    incomplete_at: null,
    role: 'user',
    content: [{ type: 'text', text: { value: text, annotations: [] } }],
    assistant_id: null,
    run_id: null,
    attachments: null,
    metadata: {},
  };
}
