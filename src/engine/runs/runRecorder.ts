/**
 * Writes one run's progress to the store and publishes the matching v2 stream events, in the
 * orders of docs/assistants-v2.md §5.3. Every state change is a transaction; streamed message
 * text is kept in memory and flushed on a short timer, so a delta costs no disk write.
 */
import type { EngineContext } from '../engineContext.ts';
import { newId } from '../ids.ts';
import type { Usage } from '../types/common.ts';
import type { Annotation, Message, MessageContent, MessageIncompleteReason } from '../types/message.ts';
import type { Run, RunStatus } from '../types/run.ts';
import type { RunStep, RunStepStatus, ToolCall } from '../types/runStep.ts';
import type { ToolCallDelta } from '../types/streamEvent.ts';

const FLUSH_INTERVAL_MS = 200;

export const ZERO_USAGE: Usage = { prompt_tokens: 0, completion_tokens: 0, total_tokens: 0 };

export function addUsage(a: Usage | null, b: Usage): Usage {
  const base = a ?? ZERO_USAGE;
  return {
    prompt_tokens: base.prompt_tokens + b.prompt_tokens,
    completion_tokens: base.completion_tokens + b.completion_tokens,
    total_tokens: base.total_tokens + b.total_tokens,
  };
}

type RunEventName = `thread.run.${RunStatus}`;
type TerminalStatus = 'completed' | 'incomplete' | 'failed' | 'cancelled' | 'expired';

const MESSAGE_REASON: Partial<Record<TerminalStatus, MessageIncompleteReason>> = {
  cancelled: 'run_cancelled',
  expired: 'run_expired',
  failed: 'run_failed',
};

const STEP_STATUS: Record<TerminalStatus, RunStepStatus> = {
  completed: 'completed',
  incomplete: 'completed',
  failed: 'failed',
  cancelled: 'cancelled',
  expired: 'expired',
};

export class RunRecorder {
  private readonly context: EngineContext;
  run: Run;
  private openMessage: Message | null = null;
  private openMessageStep: RunStep | null = null;
  private flushTimer: NodeJS.Timeout | null = null;

  constructor(context: EngineContext, run: Run) {
    this.context = context;
    this.run = run;
  }

  private now(): number {
    return this.context.clock.nowSeconds();
  }

  private publish(event: { event: string; data: unknown }): void {
    this.context.hub.publish(this.run.id, event as never);
  }

  /** Saves a new run state and announces it as `thread.run.<status>`. */
  transition(status: RunStatus, patch: Partial<Run> = {}): Run {
    this.run = { ...this.run, ...patch, status };
    const run = this.run;
    this.context.store.transaction(() => this.context.store.runs.update(run.id, run));
    this.publish({ event: `thread.run.${status}` satisfies RunEventName, data: run });
    return run;
  }

  /** Saves fields that do not change the status (usage so far); no event. */
  save(patch: Partial<Run>): void {
    this.run = { ...this.run, ...patch };
    const run = this.run;
    this.context.store.transaction(() => this.context.store.runs.update(run.id, run));
  }

  private newStep(type: RunStep['type'], details: RunStep['step_details']): RunStep {
    return {
      id: newId('step'),
      object: 'thread.run.step',
      created_at: this.now(),
      assistant_id: this.run.assistant_id,
      thread_id: this.run.thread_id,
      run_id: this.run.id,
      type,
      status: 'in_progress',
      step_details: details,
      last_error: null,
      expired_at: null,
      cancelled_at: null,
      failed_at: null,
      completed_at: null,
      metadata: {},
      usage: null,
    };
  }

  get hasOpenMessage(): boolean {
    return this.openMessage !== null;
  }

  /** message_creation step (already naming its message), then the empty in-progress message. */
  openMessageCreation(): void {
    const message: Message = {
      id: newId('message'),
      object: 'thread.message',
      created_at: this.now(),
      thread_id: this.run.thread_id,
      status: 'in_progress',
      incomplete_details: null,
      completed_at: null,
      incomplete_at: null,
      role: 'assistant',
      content: [],
      assistant_id: this.run.assistant_id,
      run_id: this.run.id,
      attachments: [],
      metadata: {},
    };
    const step = this.newStep('message_creation', { type: 'message_creation', message_creation: { message_id: message.id } });
    this.context.store.transaction(() => {
      this.context.store.steps.insert(step.id, step);
      this.context.store.messages.insert(message.id, message);
    });
    this.openMessage = message;
    this.openMessageStep = step;
    this.publish({ event: 'thread.run.step.created', data: step });
    this.publish({ event: 'thread.run.step.in_progress', data: step });
    // The open message keeps growing in memory; the log must hold what it was at this moment.
    this.publish({ event: 'thread.message.created', data: structuredClone(message) });
    this.publish({ event: 'thread.message.in_progress', data: structuredClone(message) });
  }

  /** Appends streamed text; the first delta of a part carries its type and empty annotations. */
  appendText(delta: string): void {
    const message = this.openMessage;
    if (!message || delta.length === 0) return;
    const first = message.content[0];
    if (!first || first.type !== 'text') {
      message.content = [{ type: 'text', text: { value: delta, annotations: [] } }];
      this.publish({ event: 'thread.message.delta', data: { id: message.id, object: 'thread.message.delta', delta: { content: [{ index: 0, type: 'text', text: { value: delta, annotations: [] } }] } } });
    } else {
      first.text.value += delta;
      this.publish({ event: 'thread.message.delta', data: { id: message.id, object: 'thread.message.delta', delta: { content: [{ index: 0, type: 'text', text: { value: delta } }] } } });
    }
    this.scheduleFlush();
  }

  get openMessageText(): string {
    const first = this.openMessage?.content[0];
    return first && first.type === 'text' ? first.text.value : '';
  }

  private scheduleFlush(): void {
    if (this.flushTimer) return;
    this.flushTimer = setTimeout(() => {
      this.flushTimer = null;
      const message = this.openMessage;
      if (message) this.context.store.transaction(() => this.context.store.messages.update(message.id, message));
    }, FLUSH_INTERVAL_MS);
    this.flushTimer.unref();
  }

  private cancelFlush(): void {
    if (this.flushTimer) clearTimeout(this.flushTimer);
    this.flushTimer = null;
  }

  /**
   * Closes the open message. Annotations (citations, sandbox file links) are sent once, in a
   * final delta, then the full message; extra parts (generated images) are appended after the text.
   */
  closeMessage(outcome: { status: 'completed' } | { status: 'incomplete'; reason: MessageIncompleteReason }, usage: Usage, extras: { text?: string; annotations?: Annotation[]; parts?: MessageContent[] } = {}): void {
    const message = this.openMessage;
    const step = this.openMessageStep;
    if (!message || !step) return;
    this.cancelFlush();
    const first = message.content[0];
    if (extras.text !== undefined && first?.type === 'text') first.text.value = extras.text;
    if (extras.annotations?.length && first?.type === 'text') {
      first.text.annotations = extras.annotations;
      this.publish({
        event: 'thread.message.delta',
        data: { id: message.id, object: 'thread.message.delta', delta: { content: [{ index: 0, type: 'text', text: { annotations: extras.annotations.map((annotation, index) => ({ index, ...annotation })) } }] } },
      });
    }
    for (const part of extras.parts ?? []) {
      message.content.push(part);
      if (part.type === 'image_file') {
        this.publish({ event: 'thread.message.delta', data: { id: message.id, object: 'thread.message.delta', delta: { content: [{ index: message.content.length - 1, ...part }] } } });
      }
    }
    const now = this.now();
    const closed: Message =
      outcome.status === 'completed'
        ? { ...message, status: 'completed', completed_at: now }
        : { ...message, status: 'incomplete', incomplete_at: now, incomplete_details: { reason: outcome.reason } };
    const stepStatus: RunStepStatus = outcome.status === 'completed' || outcome.reason === 'max_tokens' ? 'completed' : STEP_STATUS[reasonToStatus(outcome.reason)];
    const closedStep = this.closeStepObject(step, stepStatus, usage);
    this.context.store.transaction(() => {
      this.context.store.messages.update(closed.id, closed);
      this.context.store.steps.update(closedStep.id, closedStep);
    });
    this.openMessage = null;
    this.openMessageStep = null;
    this.publish({ event: `thread.message.${closed.status}`, data: closed });
    this.publish({ event: `thread.run.step.${closedStep.status}`, data: closedStep });
  }

  private closeStepObject(step: RunStep, status: RunStepStatus, usage: Usage | null, error: RunStep['last_error'] = null): RunStep {
    const now = this.now();
    return {
      ...step,
      status,
      usage,
      last_error: error,
      completed_at: status === 'completed' ? now : step.completed_at,
      failed_at: status === 'failed' ? now : step.failed_at,
      cancelled_at: status === 'cancelled' ? now : step.cancelled_at,
      expired_at: status === 'expired' ? now : step.expired_at,
    };
  }

  /** tool_calls step, announced empty; calls arrive as step deltas. */
  openToolStep(): RunStep {
    const step = this.newStep('tool_calls', { type: 'tool_calls', tool_calls: [] });
    this.context.store.transaction(() => this.context.store.steps.insert(step.id, step));
    this.publish({ event: 'thread.run.step.created', data: step });
    this.publish({ event: 'thread.run.step.in_progress', data: step });
    return step;
  }

  publishStepDelta(step: RunStep, toolCall: ToolCallDelta): void {
    this.publish({ event: 'thread.run.step.delta', data: { id: step.id, object: 'thread.run.step.delta', delta: { step_details: { type: 'tool_calls', tool_calls: [toolCall] } } } });
  }

  /** Stores a tool step's calls as they stand (no event: deltas already told the stream). */
  saveStep(step: RunStep): void {
    this.context.store.transaction(() => this.context.store.steps.update(step.id, step));
  }

  completeToolStep(step: RunStep, toolCalls: ToolCall[], usage: Usage | null): RunStep {
    const closed = this.closeStepObject({ ...step, step_details: { type: 'tool_calls', tool_calls: toolCalls } }, 'completed', usage);
    this.context.store.transaction(() => this.context.store.steps.update(closed.id, closed));
    this.publish({ event: 'thread.run.step.completed', data: closed });
    return closed;
  }

  /**
   * Ends the run in a terminal status: open steps and the open message end with it, the lock is
   * released (the status leaves the active set), and `done` closes the stream.
   */
  finish(status: TerminalStatus, patch: Partial<Run> = {}): Run {
    this.cancelFlush();
    const now = this.now();
    const messageReason = MESSAGE_REASON[status] ?? 'max_tokens';
    const openMessage = this.openMessage;
    const events: Array<{ event: string; data: unknown }> = [];
    const finalRun: Run = {
      ...this.run,
      ...patch,
      status,
      expires_at: null,
      required_action: null,
      completed_at: status === 'completed' ? now : this.run.completed_at,
      failed_at: status === 'failed' ? now : this.run.failed_at,
      cancelled_at: status === 'cancelled' ? now : this.run.cancelled_at,
      usage: patch.usage ?? this.run.usage ?? ZERO_USAGE,
    };
    this.context.store.transaction(() => {
      if (openMessage) {
        const closed: Message = { ...openMessage, status: 'incomplete', incomplete_at: now, incomplete_details: { reason: messageReason } };
        this.context.store.messages.update(closed.id, closed);
        events.push({ event: 'thread.message.incomplete', data: closed });
      }
      for (const step of this.context.store.steps.all({ run_id: this.run.id })) {
        if (step.status !== 'in_progress') continue;
        const stepError = status === 'failed' && finalRun.last_error ? { code: finalRun.last_error.code === 'rate_limit_exceeded' ? 'rate_limit_exceeded' as const : 'server_error' as const, message: finalRun.last_error.message } : null;
        const closed = this.closeStepObject(step, STEP_STATUS[status], step.usage ?? ZERO_USAGE, stepError);
        this.context.store.steps.update(closed.id, closed);
        events.push({ event: `thread.run.step.${closed.status}`, data: closed });
      }
      this.context.store.runs.update(finalRun.id, finalRun);
      this.context.store.setRunOwner(finalRun.id, null);
    });
    this.openMessage = null;
    this.openMessageStep = null;
    this.run = finalRun;
    for (const event of events) this.publish(event);
    this.publish({ event: `thread.run.${status}`, data: finalRun });
    this.publish({ event: 'done', data: '[DONE]' });
    this.context.hub.finish(finalRun.id);
    return finalRun;
  }
}

function reasonToStatus(reason: MessageIncompleteReason): TerminalStatus {
  if (reason === 'run_cancelled') return 'cancelled';
  if (reason === 'run_expired') return 'expired';
  return 'failed';
}
