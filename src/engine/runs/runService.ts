/**
 * Runs and run steps: create (and create-with-thread), retrieve, modify, list, cancel,
 * submit_tool_outputs. Owns the executors of this process's active runs and their expiry timers.
 */
import type { EngineContext } from '../engineContext.ts';
import { EngineError, invalid, notFound } from '../errors.ts';
import { checkIdPrefix } from '../ids.ts';
import type { MessageService } from '../messages/messageService.ts';
import type { ThreadService } from '../threads/threadService.ts';
import type { ListPage, ListParams, Usage } from '../types/common.ts';
import type { Run, RunCreateParams, ThreadAndRunCreateParams, ToolOutput } from '../types/run.ts';
import { ACTIVE_RUN_STATUSES, TERMINAL_RUN_STATUSES } from '../types/run.ts';
import type { RunStep, ToolCall } from '../types/runStep.ts';
import type { Thread } from '../types/thread.ts';
import { parseRunCreate, parseRunUpdate, parseSubmitToolOutputs, parseThreadAndRunCreate } from '../validation/runParams.ts';
import { newRun } from './runFactory.ts';
import { RunExecutor, type ExecutorDependencies } from './runExecutor.ts';
import { RunRecorder, ZERO_USAGE } from './runRecorder.ts';
import { presentStep } from './stepPresenter.ts';

export class RunService {
  private readonly context: EngineContext;
  private readonly threads: ThreadService;
  private readonly messages: MessageService;
  private readonly executorDeps: ExecutorDependencies;
  private readonly owner: string;
  private readonly executors = new Map<string, { executor: RunExecutor; settled: Promise<void> }>();
  private readonly expiryTimers = new Map<string, NodeJS.Timeout>();

  constructor(context: EngineContext, threads: ThreadService, messages: MessageService, executorDeps: ExecutorDependencies, owner: string) {
    this.context = context;
    this.threads = threads;
    this.messages = messages;
    this.executorDeps = executorDeps;
    this.owner = owner;
  }

  create(threadId: string, input: RunCreateParams): Run {
    const { params } = parseRunCreate(input);
    checkIdPrefix(threadId, 'thread', 'thread_id');
    const run = this.context.store.transaction(() => {
      this.threads.retrieve(threadId);
      return this.insertRun(threadId, params);
    });
    this.start(run);
    return run;
  }

  createThreadAndRun(input: ThreadAndRunCreateParams): { thread: Thread; run: Run } {
    const { params } = parseThreadAndRunCreate(input);
    const { thread, run } = this.context.store.transaction(() => {
      const thread = this.threads.insert({ ...(params.thread ?? {}), ...(params.tool_resources ? { tool_resources: params.tool_resources } : {}) });
      const { thread: _thread, tool_resources: _resources, ...runParams } = params;
      return { thread, run: this.insertRun(thread.id, runParams) };
    });
    this.context.hub.publish(run.id, { event: 'thread.created', data: thread });
    this.start(run);
    return { thread, run };
  }

  /** Inside the caller's transaction: the lock check, additional messages and the queued run. */
  private insertRun(threadId: string, params: RunCreateParams): Run {
    checkIdPrefix(params.assistant_id, 'assistant', 'assistant_id');
    const assistant = this.context.store.assistants.get(params.assistant_id);
    if (!assistant) throw notFound('assistant', params.assistant_id);
    const active = this.context.store.activeRunOf(threadId);
    if (active) throw new EngineError('conflict_active_run', `Thread ${threadId} already has an active run ${active.id}.`);
    for (const message of params.additional_messages ?? []) this.messages.insert(threadId, message, { runId: null, assistantId: null });
    const run = newRun(params, assistant, threadId, this.context.clock.nowSeconds(), this.context.limits.runExpirySeconds);
    this.context.store.runs.insert(run.id, run);
    this.context.store.setRunOwner(run.id, this.owner);
    return run;
  }

  private start(run: Run): void {
    this.context.hub.publish(run.id, { event: 'thread.run.created', data: run });
    this.context.hub.publish(run.id, { event: 'thread.run.queued', data: run });
    this.armExpiry(run);
    this.launch(new RunRecorder(this.context, run));
  }

  /** The executor starts on the next turn of the event loop, so the caller can subscribe first. */
  private launch(recorder: RunRecorder): void {
    const executor = new RunExecutor(this.executorDeps, recorder);
    const settled = new Promise<void>((resolve) => setImmediate(resolve))
      .then(() => executor.execute())
      .finally(() => {
        this.executors.delete(recorder.run.id);
        if (TERMINAL_RUN_STATUSES.has(executor.recorder.run.status)) this.disarmExpiry(recorder.run.id);
      });
    this.executors.set(recorder.run.id, { executor, settled });
  }

  private armExpiry(run: Run): void {
    if (run.expires_at === null) return;
    this.disarmExpiry(run.id);
    const delayMs = Math.max(0, (run.expires_at - this.context.clock.nowSeconds()) * 1000);
    const timer = setTimeout(() => this.expire(run.id), delayMs);
    timer.unref();
    this.expiryTimers.set(run.id, timer);
  }

  private disarmExpiry(runId: string): void {
    const timer = this.expiryTimers.get(runId);
    if (timer) clearTimeout(timer);
    this.expiryTimers.delete(runId);
  }

  /** Expires a run that is past its expires_at (also called by tests that move the clock). */
  expire(runId: string): void {
    this.disarmExpiry(runId);
    const running = this.executors.get(runId);
    if (running) {
      running.executor.abort('expire');
      return;
    }
    const run = this.context.store.runs.get(runId);
    if (run && ACTIVE_RUN_STATUSES.has(run.status)) new RunRecorder(this.context, run).finish('expired');
  }

  /** Expires every active run whose expires_at has passed by the engine's clock. */
  expireOverdue(): void {
    const now = this.context.clock.nowSeconds();
    for (const { id } of this.context.store.activeRunIds()) {
      const run = this.context.store.runs.get(id);
      if (run?.expires_at !== null && run?.expires_at !== undefined && run.expires_at <= now) this.expire(id);
    }
  }

  retrieve(threadId: string, runId: string): Run {
    checkIdPrefix(threadId, 'thread', 'thread_id');
    checkIdPrefix(runId, 'run', 'run_id');
    const running = this.executors.get(runId)?.executor.recorder.run;
    const run = running ?? this.context.store.runs.get(runId);
    if (!run || run.thread_id !== threadId) throw notFound('run', runId);
    return run;
  }

  list(threadId: string, params: ListParams = {}): ListPage<Run> {
    this.threads.retrieve(threadId);
    return this.context.store.runs.list({ thread_id: threadId }, params);
  }

  update(threadId: string, runId: string, input: { metadata?: Record<string, string> | null }): Run {
    const params = parseRunUpdate(input);
    const run = this.retrieve(threadId, runId);
    const recorder = this.executors.get(runId)?.executor.recorder ?? new RunRecorder(this.context, run);
    if (params.metadata !== undefined) recorder.save({ metadata: params.metadata ?? {} });
    return recorder.run;
  }

  cancel(threadId: string, runId: string): Run {
    const run = this.retrieve(threadId, runId);
    if (TERMINAL_RUN_STATUSES.has(run.status)) throw invalid(`Cannot cancel run with status '${run.status}'.`);
    if (run.status === 'cancelling') return run;
    const running = this.executors.get(runId);
    if (running) {
      const cancelling = running.executor.recorder.transition('cancelling');
      running.executor.abort('cancel');
      return cancelling;
    }
    // Nothing executes a run that waits for tool outputs: it ends here and now.
    const recorder = new RunRecorder(this.context, run);
    const cancelling = recorder.transition('cancelling');
    recorder.finish('cancelled');
    this.disarmExpiry(runId);
    return cancelling;
  }

  /**
   * Ends a run that waits for tool outputs as failed, with `message` as its last_error: the client
   * executing its tools gave up on it (a run governor saw the run going in circles).
   */
  failWaitingRun(threadId: string, runId: string, message: string): Run {
    const run = this.retrieve(threadId, runId);
    if (run.status !== 'requires_action') throw invalid(`Only a run waiting for tool outputs can be ended this way; run ${runId} is '${run.status}'.`, null);
    const failed = new RunRecorder(this.context, run).finish('failed', { last_error: { code: 'server_error', message } });
    this.disarmExpiry(runId);
    return failed;
  }

  submitToolOutputs(threadId: string, runId: string, input: { tool_outputs: ToolOutput[] }): Run {
    const { toolOutputs } = parseSubmitToolOutputs(input);
    const recorder = this.context.store.transaction(() => {
      const run = this.retrieve(threadId, runId);
      if (run.status !== 'requires_action' || !run.required_action) {
        throw invalid(`Runs in status '${run.status}' do not accept tool outputs.`, null);
      }
      const pending = run.required_action.submit_tool_outputs.tool_calls.map((call) => call.id);
      const outputs = new Map<string, string>();
      for (const [index, output] of toolOutputs.entries()) {
        if (!pending.includes(output.tool_call_id)) {
          throw invalid(`Invalid 'tool_outputs[${index}].tool_call_id': no tool call with id '${output.tool_call_id}' is waiting for output in run ${runId}.`, `tool_outputs[${index}].tool_call_id`, 'invalid_value');
        }
        if (outputs.has(output.tool_call_id)) throw invalid(`Duplicate tool output for '${output.tool_call_id}'.`, `tool_outputs[${index}].tool_call_id`, 'invalid_value');
        outputs.set(output.tool_call_id, output.output);
      }
      const missing = pending.filter((id) => !outputs.has(id));
      if (missing.length > 0) {
        throw invalid(`Expected tool outputs for call_ids [${pending.map((id) => `'${id}'`).join(', ')}], got [${[...outputs.keys()].map((id) => `'${id}'`).join(', ')}]. All outputs must be submitted in one request.`, 'tool_outputs', 'invalid_value');
      }
      const step = this.context.store.steps.all({ run_id: runId }).find((candidate) => candidate.status === 'in_progress' && candidate.type === 'tool_calls');
      const recorder = new RunRecorder(this.context, run);
      if (step && step.step_details.type === 'tool_calls') {
        const calls: ToolCall[] = step.step_details.tool_calls.map((call) =>
          call.type === 'function' && outputs.has(call.id) ? { ...call, function: { ...call.function, output: outputs.get(call.id)! } } : call,
        );
        const usage = this.context.store.takeRunScratch<Usage>(runId, `usage:${step.id}`) ?? ZERO_USAGE;
        recorder.completeToolStep(step, calls, usage);
      }
      return recorder;
    });
    recorder.transition('queued', { required_action: null });
    this.context.store.setRunOwner(runId, this.owner);
    this.launch(recorder);
    return recorder.run;
  }

  listSteps(threadId: string, runId: string, params: ListParams = {}, include: string[] = []): ListPage<RunStep> {
    this.retrieve(threadId, runId);
    const page = this.context.store.steps.list({ run_id: runId }, params);
    const contexts = include.length ? this.context.store.toolCallContexts(runId) : undefined;
    return { ...page, data: page.data.map((step) => presentStep(step, contexts)) };
  }

  retrieveStep(threadId: string, runId: string, stepId: string, include: string[] = []): RunStep {
    this.retrieve(threadId, runId);
    checkIdPrefix(stepId, 'step', 'step_id');
    const step = this.context.store.steps.get(stepId);
    if (!step || step.run_id !== runId) throw notFound('run step', stepId);
    return presentStep(step, include.length ? this.context.store.toolCallContexts(runId) : undefined);
  }

  /** Stops this process's executing runs (they end cancelled) and waits for them to settle. */
  async shutdown(): Promise<void> {
    const running = [...this.executors.values()];
    for (const { executor } of running) executor.abort('shutdown');
    await Promise.all(running.map(({ settled }) => settled));
    for (const runId of [...this.expiryTimers.keys()]) this.disarmExpiry(runId);
  }

  /** Stops a thread's executing run before the thread is deleted. */
  stopThread(threadId: string): void {
    for (const [runId, { executor }] of this.executors) {
      if (executor.recorder.run.thread_id === threadId) {
        executor.abort('cancel');
        this.disarmExpiry(runId);
      }
    }
  }

  /** Re-arms expiry for runs this process adopted at startup (waiting for tool outputs). */
  adopt(run: Run): void {
    this.context.store.setRunOwner(run.id, this.owner);
    this.armExpiry(run);
  }

  get activeCount(): number {
    return this.executors.size;
  }
}
