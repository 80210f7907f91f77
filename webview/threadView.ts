/**
 * One thread as the panel holds it: stored messages, runs and steps from a snapshot, then kept up to
 * date by applying the run's v2 stream events in seq order. Deltas are accumulated the way the
 * official SDKs do (strings appended, array entries merged by `index`), so a message streamed here
 * reads the same as the one the engine stores. Every change bumps a version, so the list redraws
 * only the rows that changed.
 */
import type { Message, MessageDelta, RunStep, RunStepDelta, RunSummary, SequencedEvent, StreamEvent, ThreadSnapshot, ThreadSummary, ToolCall, ToolCallDelta } from '../src/protocol/chatModel.ts';

export type ApplyResult = 'applied' | 'duplicate' | 'gap';

type EventHandler = (view: ThreadView, event: StreamEvent) => void;

export class ThreadView {
  readonly thread: ThreadSummary;
  readonly messages = new Map<string, Message>();
  /** Message ids in the order they were created. */
  readonly messageOrder: string[] = [];
  readonly runs = new Map<string, RunSummary>();
  readonly runOrder: string[] = [];
  readonly steps = new Map<string, RunStep>();
  /** Step ids of each run, in order. */
  readonly runSteps = new Map<string, string[]>();
  /** Errors from `error` stream events, by run. */
  readonly streamErrors = new Map<string, string>();
  /** The seq each tracked run expects next. */
  private readonly expected = new Map<string, number>();
  private readonly versions = new Map<string, number>();
  /** Bumped when rows appear or disappear (not when a row's content changes). */
  structure = 0;

  constructor(thread: ThreadSummary) {
    this.thread = thread;
  }

  static fromSnapshot(snapshot: ThreadSnapshot): ThreadView {
    const view = new ThreadView(snapshot.thread);
    for (const message of snapshot.messages) view.upsertMessage(message);
    for (const run of snapshot.runs) view.upsertRun(run);
    for (const step of snapshot.steps) view.upsertStep(step);
    const active = snapshot.activeRun;
    if (active) {
      for (const event of active.events) view.apply(event);
      view.expected.set(active.runId, active.nextSeq);
    }
    return view;
  }

  version(key: string): number {
    return this.versions.get(key) ?? 0;
  }

  /** Applies one sequenced event if it is the next one for its run. */
  apply(sequenced: SequencedEvent): ApplyResult {
    const known = this.runs.get(sequenced.runId);
    const expected = this.expected.get(sequenced.runId) ?? (known ? undefined : 0);
    if (expected === undefined) {
      // A finished run from stored state has nothing left to say; a live one we cannot patch needs a snapshot.
      return known && !ACTIVE.has(known.status) ? 'duplicate' : 'gap';
    }
    if (sequenced.seq > expected) return 'gap';
    if (sequenced.seq < expected) return 'duplicate';
    this.expected.set(sequenced.runId, sequenced.seq + 1);
    HANDLERS.get(sequenced.event.event)?.(this, sequenced.event);
    if (sequenced.event.event === 'error') this.recordStreamError(sequenced.runId, sequenced.event.data.error.message);
    return 'applied';
  }

  /** The run that holds the thread, if any (the Stop button acts on it). */
  activeRun(): RunSummary | undefined {
    for (let index = this.runOrder.length - 1; index >= 0; index--) {
      const run = this.runs.get(this.runOrder[index]!);
      if (run && ACTIVE.has(run.status)) return run;
    }
    return undefined;
  }

  latestRunId(): string | undefined {
    return this.runOrder[this.runOrder.length - 1];
  }

  upsertMessage(message: Message): void {
    const existing = this.messages.get(message.id);
    if (!existing) {
      this.messages.set(message.id, message);
      this.messageOrder.push(message.id);
      this.structure++;
    } else {
      this.messages.set(message.id, message);
    }
    this.bump(`m:${message.id}`);
  }

  /**
   * `thread.message.created` / `.in_progress`: v2 announces a streamed message empty and fills it
   * with deltas, so only the envelope is taken here. (The engine's event log holds the live object,
   * so a replayed `created` may already show text the deltas are about to add.)
   */
  openMessage(message: Message): void {
    const existing = this.messages.get(message.id);
    this.upsertMessage({ ...message, content: existing ? existing.content : [] });
  }

  /** `thread.run.step.created` / `.in_progress`: tool calls arrive as deltas, for the same reason. */
  openStep(step: RunStep): void {
    const existing = this.steps.get(step.id);
    if (step.step_details.type !== 'tool_calls') {
      this.upsertStep(step);
      return;
    }
    const calls = existing?.step_details.type === 'tool_calls' ? existing.step_details.tool_calls : [];
    this.upsertStep({ ...step, step_details: { type: 'tool_calls', tool_calls: calls } });
  }

  /** Replaces an optimistic message (shown before the host answered) with the stored one. */
  replaceMessage(localId: string, message: Message): void {
    const index = this.messageOrder.indexOf(localId);
    this.messages.delete(localId);
    if (index >= 0) this.messageOrder.splice(index, 1);
    this.structure++;
    if (!this.messages.has(message.id)) this.upsertMessage(message);
  }

  removeMessage(id: string): void {
    const index = this.messageOrder.indexOf(id);
    if (index < 0) return;
    this.messageOrder.splice(index, 1);
    this.messages.delete(id);
    this.structure++;
  }

  upsertRun(run: RunSummary): void {
    const { id, thread_id, assistant_id, status, created_at, model, usage, last_error, incomplete_details, metadata } = run;
    if (!this.runs.has(id)) {
      this.runOrder.push(id);
      this.structure++;
    }
    this.runs.set(id, { id, thread_id, assistant_id, status, created_at, model, usage, last_error, incomplete_details, metadata });
    this.bump(`f:${id}`);
  }

  upsertStep(step: RunStep): void {
    if (!this.steps.has(step.id)) {
      const list = this.runSteps.get(step.run_id) ?? [];
      list.push(step.id);
      this.runSteps.set(step.run_id, list);
      this.structure++;
    }
    this.steps.set(step.id, step);
    this.bump(`t:${step.id}`);
  }

  applyMessageDelta(delta: MessageDelta): void {
    const message = this.messages.get(delta.id);
    if (!message) return;
    for (const part of delta.delta.content) {
      if (part.type === 'text') {
        const current = message.content[part.index];
        const text = current && current.type === 'text' ? current : { type: 'text' as const, text: { value: '', annotations: [] } };
        text.text.value += part.text.value ?? '';
        for (const annotation of part.text.annotations ?? []) text.text.annotations[annotation.index] = { ...text.text.annotations[annotation.index], ...annotation } as never;
        message.content[part.index] = text;
      } else {
        message.content[part.index] = { type: 'image_file', image_file: part.image_file };
      }
    }
    this.bump(`m:${message.id}`);
  }

  applyStepDelta(delta: RunStepDelta): void {
    const step = this.steps.get(delta.id);
    const details = delta.delta.step_details;
    if (!step || details.type !== 'tool_calls' || step.step_details.type !== 'tool_calls') return;
    const calls = step.step_details.tool_calls;
    for (const callDelta of details.tool_calls) calls[callDelta.index] = mergeToolCall(calls[callDelta.index], callDelta);
    this.bump(`t:${step.id}`);
  }

  private recordStreamError(runId: string, message: string): void {
    this.streamErrors.set(runId, message);
    this.bump(`f:${runId}`);
  }

  private bump(key: string): void {
    this.versions.set(key, (this.versions.get(key) ?? 0) + 1);
  }
}

const ACTIVE = new Set(['queued', 'in_progress', 'requires_action', 'cancelling']);

function mergeToolCall(current: ToolCall | undefined, delta: ToolCallDelta): ToolCall {
  if (delta.type === 'function') {
    const base = current?.type === 'function' ? current : { id: '', type: 'function' as const, function: { name: '', arguments: '', output: null } };
    const fn = delta.function ?? {};
    return {
      id: delta.id ?? base.id,
      type: 'function',
      function: {
        name: base.function.name + (fn.name ?? ''),
        arguments: base.function.arguments + (fn.arguments ?? ''),
        output: fn.output !== undefined ? fn.output : base.function.output,
      },
    };
  }
  if (delta.type === 'code_interpreter') {
    const base = current?.type === 'code_interpreter' ? current : { id: '', type: 'code_interpreter' as const, code_interpreter: { input: '', outputs: [] } };
    const outputs = [...base.code_interpreter.outputs];
    for (const output of delta.code_interpreter?.outputs ?? []) {
      const existing = outputs[output.index];
      if (output.type === 'logs') outputs[output.index] = { type: 'logs', logs: (existing?.type === 'logs' ? existing.logs : '') + (output.logs ?? '') };
      else if (output.image) outputs[output.index] = { type: 'image', image: output.image };
    }
    return { id: delta.id ?? base.id, type: 'code_interpreter', code_interpreter: { input: base.code_interpreter.input + (delta.code_interpreter?.input ?? ''), outputs } };
  }
  const base = current?.type === 'file_search' ? current : { id: '', type: 'file_search' as const, file_search: {} };
  return { ...base, id: delta.id ?? base.id };
}

const RUN_STATUSES = ['created', 'queued', 'in_progress', 'requires_action', 'completed', 'incomplete', 'failed', 'cancelling', 'cancelled', 'expired'] as const;
const STEP_OPENINGS = ['created', 'in_progress'] as const;
const STEP_ENDINGS = ['completed', 'failed', 'cancelled', 'expired'] as const;
const MESSAGE_OPENINGS = ['created', 'in_progress'] as const;
const MESSAGE_ENDINGS = ['completed', 'incomplete'] as const;

/** Event name → what it does to the view; names not listed (done, thread.created) change nothing. */
const HANDLERS = new Map<string, EventHandler>([
  ...RUN_STATUSES.map((status): [string, EventHandler] => [`thread.run.${status}`, (view, event) => view.upsertRun(event.data as RunSummary)]),
  ...STEP_OPENINGS.map((status): [string, EventHandler] => [`thread.run.step.${status}`, (view, event) => view.openStep(event.data as RunStep)]),
  ...STEP_ENDINGS.map((status): [string, EventHandler] => [`thread.run.step.${status}`, (view, event) => view.upsertStep(event.data as RunStep)]),
  ...MESSAGE_OPENINGS.map((status): [string, EventHandler] => [`thread.message.${status}`, (view, event) => view.openMessage(event.data as Message)]),
  ...MESSAGE_ENDINGS.map((status): [string, EventHandler] => [`thread.message.${status}`, (view, event) => view.upsertMessage(event.data as Message)]),
  ['thread.message.delta', (view, event) => view.applyMessageDelta(event.data as MessageDelta)],
  ['thread.run.step.delta', (view, event) => view.applyStepDelta(event.data as RunStepDelta)],
]);
