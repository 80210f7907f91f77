/**
 * Drives one run through the v2 state machine (docs/assistants-v2.md §4.7): call the model,
 * stream its answer, run built-in tools, stop at requires_action for function tools, and end in
 * exactly one terminal status whatever happens: cancel, expiry, a provider fault or a bug.
 */
import { ToolFailsRunError, type BuiltinTool } from '../ports/builtinTool.ts';
import { ModelError, type ModelBackend } from '../ports/modelBackend.ts';
import type { EngineContext } from '../engineContext.ts';
import type { Assistant } from '../types/assistant.ts';
import type { Usage } from '../types/common.ts';
import type { Message } from '../types/message.ts';
import type { ToolCall } from '../types/runStep.ts';
import { buildModelRequest, PromptBudgetExceeded, type ModelFacingCall } from './contextBuilder.ts';
import type { RunRecorder} from './runRecorder.ts';
import { addUsage, ZERO_USAGE } from './runRecorder.ts';
import { TurnStreamer, type TurnCall, type TurnResult } from './turnStreamer.ts';

export type AbortReason = 'cancel' | 'expire' | 'shutdown';

export interface ExecutorDependencies {
  context: EngineContext;
  modelBackend: () => ModelBackend | null;
  builtinTools: ReadonlyMap<string, BuiltinTool>;
  contextWindowFor: (model: string) => number;
  imageUrlFor: (fileId: string) => string | undefined;
}

/** The most model calls one run may make before it is stopped as a runaway loop. */
const MAX_MODEL_CALLS = 64;

export class RunExecutor {
  readonly recorder: RunRecorder;
  private readonly deps: ExecutorDependencies;
  private readonly controller = new AbortController();
  private abortReason: AbortReason | null = null;
  private modelCalls = 0;

  constructor(deps: ExecutorDependencies, recorder: RunRecorder) {
    this.deps = deps;
    this.recorder = recorder;
  }

  abort(reason: AbortReason): void {
    if (this.abortReason) return;
    this.abortReason = reason;
    this.controller.abort(new Error(`run ${reason}`));
  }

  private throwIfAborted(): void {
    if (this.controller.signal.aborted) throw new RunAborted();
  }

  /** Runs until the run is terminal or waits in requires_action. Never throws. */
  async execute(): Promise<void> {
    try {
      const { recorder } = this;
      this.throwIfAborted();
      if (recorder.run.status === 'queued') {
        recorder.transition('in_progress', { started_at: recorder.run.started_at ?? this.deps.context.clock.nowSeconds() });
      }
      const backend = this.deps.modelBackend();
      if (!backend) {
        recorder.finish('failed', {
          last_error: { code: 'server_error', message: 'No model provider is configured. Set a base URL and model (threadwork serve --base-url, or the Threadwork settings) and try again.' },
        });
        return;
      }
      for (;;) {
        this.throwIfAborted();
        if (++this.modelCalls > MAX_MODEL_CALLS) {
          recorder.finish('failed', { last_error: { code: 'server_error', message: `The run made ${MAX_MODEL_CALLS} model calls without finishing and was stopped.` } });
          return;
        }
        const outcome = await this.turn(backend);
        if (outcome === 'continue') continue;
        return;
      }
    } catch (error) {
      this.settleAfterError(error);
    }
  }

  private settleAfterError(error: unknown): void {
    const { recorder } = this;
    if (this.abortReason) {
      recorder.finish(this.abortReason === 'expire' ? 'expired' : 'cancelled');
    } else if (error instanceof PromptBudgetExceeded) {
      recorder.finish('incomplete', { incomplete_details: { reason: 'max_prompt_tokens' } });
    } else if (error instanceof ToolFailsRunError) {
      recorder.finish('failed', { last_error: { code: 'server_error', message: error.message } });
    } else if (error instanceof ModelError) {
      recorder.finish('failed', { last_error: { code: error.code, message: error.message } });
    } else {
      const message = error instanceof Error ? error.message : String(error);
      recorder.finish('failed', { last_error: { code: 'server_error', message: `Threadwork hit an internal error: ${message}` } });
    }
  }

  private budgets(): { promptBudget: number | null; completionBudget: number | undefined } {
    const { run } = this.recorder;
    const used = run.usage ?? ZERO_USAGE;
    return {
      promptBudget: run.max_prompt_tokens === null ? null : run.max_prompt_tokens - used.prompt_tokens,
      completionBudget: run.max_completion_tokens === null ? undefined : run.max_completion_tokens - used.completion_tokens,
    };
  }

  /** One model call and what follows from it. */
  private async turn(backend: ModelBackend): Promise<'continue' | 'stop'> {
    const { recorder, deps } = this;
    const { store } = deps.context;
    const { promptBudget, completionBudget } = this.budgets();
    if (completionBudget !== undefined && completionBudget <= 0) {
      recorder.finish('incomplete', { incomplete_details: { reason: 'max_completion_tokens' } });
      return 'stop';
    }
    const steps = store.steps.all({ run_id: recorder.run.id });
    const runMessages = new Map<string, Message>(store.messages.all({ run_id: recorder.run.id }).map((message) => [message.id, message]));
    // The thread is locked while the run is active, so every other message precedes this run's output.
    const history = store.messages.all({ thread_id: recorder.run.thread_id }).filter((message) => message.run_id !== recorder.run.id);
    const contexts = store.toolCallContexts(recorder.run.id);
    const modelFacing = new Map<string, ModelFacingCall>([...contexts].map(([id, value]) => [id, { arguments: value.arguments, output: value.output }]));
    const request = buildModelRequest({
      run: recorder.run,
      history,
      steps,
      runMessages,
      modelFacingCalls: modelFacing,
      providerItems: store.stepProviderItems(recorder.run.id),
      builtinTools: deps.builtinTools,
      scope: { thread: store.threads.get(recorder.run.thread_id), assistant: store.assistants.get(recorder.run.assistant_id) },
      firstCall: this.modelCalls === 1 && steps.length === 0,
      contextWindow: deps.contextWindowFor(recorder.run.model),
      promptBudget,
      maxOutputTokens: completionBudget,
      imageUrlFor: deps.imageUrlFor,
    });

    const streamer = new TurnStreamer(recorder, deps.builtinTools);
    for await (const event of backend.stream(request, this.controller.signal)) {
      this.throwIfAborted();
      streamer.handle(event);
    }
    this.throwIfAborted();
    const turn = streamer.result();
    if (turn.toolStep && turn.providerItems.length > 0) {
      const stepId = turn.toolStep.id;
      store.transaction(() => store.putStepProviderItems(recorder.run.id, stepId, turn.providerItems));
    }
    const usage = turn.usage ?? ZERO_USAGE;
    recorder.save({ usage: addUsage(recorder.run.usage, usage) });
    const hitCompletionCap = turn.finish === 'length' && completionBudget !== undefined;

    if (turn.calls.length === 0) {
      this.closeAnswer(usage, hitCompletionCap);
      if (hitCompletionCap) recorder.finish('incomplete', { incomplete_details: { reason: 'max_completion_tokens' } });
      else recorder.finish('completed');
      return 'stop';
    }
    // Text written before the calls was closed when the first call began; only the tools remain.
    return this.runTools(turn, streamer.stepCalls(), usage);
  }

  /** Closes the final answer, letting built-in tools turn their markers into annotations. */
  private closeAnswer(usage: Usage, hitCompletionCap: boolean): void {
    const { recorder, deps } = this;
    if (!recorder.hasOpenMessage) return;
    let text = recorder.openMessageText;
    const annotations = [];
    const parts = [];
    const runCalls = deps.context.store.steps
      .all({ run_id: recorder.run.id })
      .flatMap((step) => (step.step_details.type === 'tool_calls' ? step.step_details.tool_calls : []));
    for (const builtin of deps.builtinTools.values()) {
      if (!builtin.decorateAnswer || !runCalls.some((call) => call.type === builtin.type)) continue;
      const decoration = builtin.decorateAnswer(text, recorder.run, runCalls);
      text = decoration.text;
      annotations.push(...decoration.annotations);
      parts.push(...decoration.parts);
    }
    recorder.closeMessage(hitCompletionCap ? { status: 'incomplete', reason: 'max_tokens' } : { status: 'completed' }, usage, { text, annotations, parts });
  }

  private async runTools(turn: TurnResult, stepCalls: ToolCall[], usage: Usage): Promise<'continue' | 'stop'> {
    const { recorder, deps } = this;
    const step = turn.toolStep!;
    const calls = [...stepCalls];
    const thread = deps.context.store.threads.get(recorder.run.thread_id)!;
    const assistant: Assistant | undefined = deps.context.store.assistants.get(recorder.run.assistant_id);
    const earlierCalls = deps.context.store.steps
      .all({ run_id: recorder.run.id })
      .flatMap((candidate) => (candidate.id !== step.id && candidate.step_details.type === 'tool_calls' ? candidate.step_details.tool_calls : []));
    for (const call of turn.calls) {
      if (!call.builtin) continue;
      const definition = recorder.run.tools.find((tool) => tool.type === call.builtin!.type)!;
      const ordinal =
        earlierCalls.filter((earlier) => earlier.type === call.builtin!.type).length +
        turn.calls.filter((other) => other.index < call.index && other.builtin?.type === call.builtin!.type).length;
      const result = await this.executeBuiltin(call, { thread, assistant, definition, step, ordinal });
      this.throwIfAborted();
      calls[call.index] = result.call;
      deps.context.store.transaction(() => {
        deps.context.store.putToolCallContext(call.id, recorder.run.id, { arguments: call.arguments, output: result.modelOutput, resultContents: result.resultContents });
      });
    }
    for (const call of turn.calls) {
      if (call.builtin || recorder.run.tools.some((tool) => tool.type === 'function' && tool.function.name === call.name)) continue;
      // The model named a tool that does not exist: tell it, as a tool output, and let it recover.
      const index = call.index;
      calls[index] = { id: call.id, type: 'function', function: { name: call.name, arguments: call.arguments, output: `Error: no tool named '${call.name}' is available in this run.` } };
    }
    const pending = turn.calls.filter((call) => !call.builtin && recorder.run.tools.some((tool) => tool.type === 'function' && tool.function.name === call.name));
    if (pending.length === 0) {
      recorder.completeToolStep(step, calls, usage);
      return 'continue';
    }
    recorder.saveStep({ ...step, step_details: { type: 'tool_calls', tool_calls: calls } });
    deps.context.store.transaction(() => deps.context.store.putRunScratch(recorder.run.id, `usage:${step.id}`, usage));
    recorder.transition('requires_action', {
      required_action: {
        type: 'submit_tool_outputs',
        submit_tool_outputs: { tool_calls: pending.map((call) => ({ id: call.id, type: 'function', function: { name: call.name, arguments: call.arguments } })) },
      },
    });
    deps.context.hub.publish(recorder.run.id, { event: 'done', data: '[DONE]' });
    return 'stop';
  }

  private async executeBuiltin(
    call: TurnCall,
    where: { thread: NonNullable<ReturnType<EngineContext['store']['threads']['get']>>; assistant: Assistant | undefined; definition: Parameters<BuiltinTool['modelTool']>[0]; step: NonNullable<TurnResult['toolStep']>; ordinal: number },
  ): Promise<{ call: ToolCall; modelOutput: string; resultContents?: unknown }> {
    const builtin = call.builtin!;
    try {
      const result = await builtin.execute(call.arguments, {
        run: this.recorder.run,
        thread: where.thread,
        assistant: where.assistant,
        definition: where.definition,
        callId: call.id,
        index: call.index,
        ordinal: where.ordinal,
        signal: this.controller.signal,
        publishDelta: (delta) => this.recorder.publishStepDelta(where.step, delta),
      });
      return result;
    } catch (error) {
      if (this.controller.signal.aborted || error instanceof ToolFailsRunError) throw error;
      // A tool failure is the model's to handle: it reads the error and can try again.
      const message = error instanceof Error ? error.message : String(error);
      const failed: ToolCall =
        builtin.type === 'code_interpreter'
          ? { id: call.id, type: 'code_interpreter', code_interpreter: { input: call.streamedInput, outputs: [{ type: 'logs', logs: `Error: ${message}` }] } }
          : { id: call.id, type: 'file_search', file_search: { results: [] } };
      return { call: failed, modelOutput: `Error: ${message}` };
    }
  }
}

class RunAborted extends Error {
  constructor() {
    super('run aborted');
    this.name = 'AbortError';
  }
}
