import type { Annotation } from './message.ts';
import type { Message } from './message.ts';
import type { Run } from './run.ts';
import type { RunStep } from './runStep.ts';
import type { Thread } from './thread.ts';

/** `thread.message.delta` payload: only what is new since the last delta (docs/assistants-v2.md §5.4). */
export interface MessageDelta {
  id: string;
  object: 'thread.message.delta';
  delta: {
    role?: 'assistant';
    content: Array<
      | { index: number; type: 'text'; text: { value?: string; annotations?: Array<Partial<Annotation> & { index: number; type: Annotation['type'] }> } }
      | { index: number; type: 'image_file'; image_file: { file_id: string; detail?: 'auto' | 'low' | 'high' } }
    >;
  };
}

export type ToolCallDelta =
  | { index: number; id?: string; type: 'function'; function?: { name?: string; arguments?: string; output?: string | null } }
  | {
      index: number;
      id?: string;
      type: 'code_interpreter';
      code_interpreter?: { input?: string; outputs?: Array<{ index: number; type: 'logs'; logs?: string } | { index: number; type: 'image'; image?: { file_id: string } }> };
    }
  | { index: number; id?: string; type: 'file_search'; file_search: Record<string, never> };

/** `thread.run.step.delta` payload. */
export interface RunStepDelta {
  id: string;
  object: 'thread.run.step.delta';
  delta: { step_details: { type: 'tool_calls'; tool_calls: ToolCallDelta[] } | { type: 'message_creation'; message_creation?: { message_id: string } } };
}

export interface ErrorPayload {
  error: { message: string; type: string; param: string | null; code: string | null };
}

/**
 * The one event model (DESIGN.md invariant 3): exactly the v2 stream events. The server writes
 * them as SSE frames, the chat panel renders them; nothing translates between the two.
 */
export type StreamEvent =
  | { event: 'thread.created'; data: Thread }
  | { event: `thread.run.${'created' | 'queued' | 'in_progress' | 'requires_action' | 'completed' | 'incomplete' | 'failed' | 'cancelling' | 'cancelled' | 'expired'}`; data: Run }
  | { event: `thread.run.step.${'created' | 'in_progress' | 'completed' | 'failed' | 'cancelled' | 'expired'}`; data: RunStep }
  | { event: 'thread.run.step.delta'; data: RunStepDelta }
  | { event: `thread.message.${'created' | 'in_progress' | 'completed' | 'incomplete'}`; data: Message }
  | { event: 'thread.message.delta'; data: MessageDelta }
  | { event: 'error'; data: ErrorPayload }
  | { event: 'done'; data: '[DONE]' };

export type StreamEventName = StreamEvent['event'];

/** A stream event with its position in the run's event log; a gap in `seq` means events were missed. */
export interface SequencedEvent {
  runId: string;
  seq: number;
  event: StreamEvent;
}
