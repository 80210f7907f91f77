import type { Metadata, ToolResources, UnixSeconds } from './common.ts';
import type { MessageCreateParams } from './message.ts';

/** `object: "thread"`: a conversation; its messages live beside it. */
export interface Thread {
  id: string;
  object: 'thread';
  created_at: UnixSeconds;
  tool_resources: ToolResources | null;
  metadata: Metadata;
}

export interface ThreadCreateParams {
  messages?: MessageCreateParams[];
  tool_resources?: ToolResources | null;
  metadata?: Metadata | null;
}

export interface ThreadUpdateParams {
  tool_resources?: ToolResources | null;
  metadata?: Metadata | null;
}
