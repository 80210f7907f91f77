/**
 * The data the chat panel shows, as the host sends it. v2 objects (Message, Run, RunStep) and the v2
 * stream events are used as they are: the panel renders the engine's one event model, with nothing
 * translating in between. The summaries below only trim what a list does not need.
 */
import type { Message } from '../engine/types/message.ts';
import type { Run } from '../engine/types/run.ts';
import type { RunStep } from '../engine/types/runStep.ts';
import type { SequencedEvent, StreamEvent } from '../engine/types/streamEvent.ts';

export type { Message, MessageContent, Annotation, Attachment } from '../engine/types/message.ts';
export type { Run, RunStatus } from '../engine/types/run.ts';
export type { RunStep, ToolCall } from '../engine/types/runStep.ts';
export type { SequencedEvent, StreamEvent, MessageDelta, RunStepDelta, ToolCallDelta } from '../engine/types/streamEvent.ts';
export type { Usage } from '../engine/types/common.ts';

/** One row of the thread history. */
export interface ThreadSummary {
  id: string;
  /** The user's name for it, or the start of its first message. */
  title: string;
  /** Unix seconds. */
  createdAt: number;
}

/** What the assistant picker lists. */
export interface AssistantSummary {
  id: string;
  name: string;
  model: string;
}

/** A run without the parts the panel never shows (instructions, tool definitions). */
export type RunSummary = Pick<Run, 'id' | 'thread_id' | 'assistant_id' | 'status' | 'created_at' | 'model' | 'usage' | 'last_error' | 'incomplete_details' | 'metadata'>;

/**
 * Run metadata key naming the user message a run answers. Timestamps are whole seconds, so they
 * cannot order a quick exchange; the panel places each run right after this message.
 */
export const RUN_ANCHOR_KEY = 'threadwork_after';

/** The run that is still going when a snapshot is taken: its events so far, replayed by the panel. */
export interface ActiveRunState {
  runId: string;
  /** Every event of the run from seq 0; empty when the run's event log is gone (e.g. after a restart). */
  events: SequencedEvent[];
  /** The seq the next `run/event` for this run will carry. */
  nextSeq: number;
}

/** Everything needed to draw one thread from scratch. */
export interface ThreadSnapshot {
  thread: ThreadSummary;
  /**
   * Stored messages, oldest first. When `activeRun.events` is non-empty the active run's own
   * messages are left out here, because replaying the events rebuilds them.
   */
  messages: Message[];
  /** Runs of the thread, oldest first (without the active run when its events are replayed). */
  runs: RunSummary[];
  /** Steps of those runs, oldest first; they place tool calls between messages. */
  steps: RunStep[];
  activeRun: ActiveRunState | null;
}

/** `vscode-lm`: VS Code's own language models (`vscode.lm`), reached without a key or base URL. */
export type ProviderKind = 'responses' | 'chat-completions' | 'vscode-lm';

/** Whether a model API is set up, and what to ask the user for when it is not. */
export interface ProviderStatus {
  isConfigured: boolean;
  kind: ProviderKind;
  baseUrl: string;
  model: string;
  hasApiKey: boolean;
  /** A sentence for the user when something is missing; null when ready. */
  problem: string | null;
}

/** A tool call that waits for the user's yes or no. */
export interface ApprovalRequest {
  approvalId: string;
  threadId: string;
  runId: string;
  toolCallId: string;
  toolName: string;
  /** One line: "Edit src/app.ts (+3 −1)". */
  title: string;
  /** Why the policy asks (shown as a list). */
  reasons: string[];
  /** Unified diff for edits. */
  diff?: string;
  /** Command line for commands. */
  command?: string;
  /** Choices the user may remember instead of being asked again. */
  rememberOptions: Array<{ id: string; label: string }>;
}

export type ApprovalDecision = 'allow' | 'deny';

/** The full state the panel starts from, after `webview/ready` or a reload. */
export interface ChatSnapshot {
  threads: ThreadSummary[];
  /** The thread on screen, or null for a fresh conversation not yet sent. */
  current: ThreadSnapshot | null;
  assistants: AssistantSummary[];
  selectedAssistantId: string | null;
  provider: ProviderStatus;
  /** Approvals still waiting, in any thread. */
  approvals: ApprovalRequest[];
}

/** A run event on the wire: the engine's sequenced event plus the thread it belongs to. */
export interface RunEventParams extends SequencedEvent {
  threadId: string;
}

/** The ids a stream event refers to, for routing on either side. */
export function threadIdOf(event: StreamEvent): string | null {
  const data = event.data as { thread_id?: unknown; object?: unknown; id?: unknown };
  if (typeof data !== 'object' || data === null) return null;
  if (typeof data.thread_id === 'string') return data.thread_id;
  if (data.object === 'thread' && typeof data.id === 'string') return data.id;
  return null;
}

/** A file uploaded from the chat panel, waiting to go out with the next message. */
export interface AttachedFile {
  fileId: string;
  filename: string;
  bytes: number;
  /** The tools the file reaches (v2 attachment tools). */
  tools: Array<'code_interpreter' | 'file_search'>;
}

/** A stored file an image part shows, as the panel may load it (it fetches nothing itself). */
export interface ImageData {
  /** `data:image/...;base64,...`. */
  dataUri: string;
  /** Pixel size when the host could read it from the header; lets the row keep its height while loading. */
  width: number | null;
  height: number | null;
}
