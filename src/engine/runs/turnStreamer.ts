/**
 * Consumes one model call's event stream and turns it into run progress: text into the open
 * message's deltas, tool calls into a tool_calls step and its deltas. Each model event kind has
 * one handler in a table, so adding an event kind is adding a row.
 */
import type { BuiltinTool } from '../ports/builtinTool.ts';
import type { FinishReason, ModelEvent, ProviderItem } from '../ports/modelBackend.ts';
import { newId } from '../ids.ts';
import type { Usage } from '../types/common.ts';
import type { Run } from '../types/run.ts';
import type { RunStep, ToolCall } from '../types/runStep.ts';
import type { RunRecorder } from './runRecorder.ts';

export interface TurnCall {
  id: string;
  name: string;
  arguments: string;
  /** Position in the tool_calls step. */
  index: number;
  builtin: BuiltinTool | null;
  /** What has been streamed as code_interpreter.input so far. */
  streamedInput: string;
}

export interface TurnResult {
  calls: TurnCall[];
  toolStep: RunStep | null;
  finish: FinishReason | null;
  usage: Usage | null;
  /** What the provider wants back with this turn (modelBackend.ts), in the order it came. */
  providerItems: ProviderItem[];
}

type Handlers = { [K in ModelEvent['type']]: (event: Extract<ModelEvent, { type: K }>) => void };

export class TurnStreamer {
  private readonly recorder: RunRecorder;
  private readonly run: Run;
  private readonly builtins: ReadonlyMap<string, BuiltinTool>;
  private readonly calls: TurnCall[] = [];
  /** Provider call index → our call (null when the call is dropped by tool_choice or parallel_tool_calls). */
  private readonly byProviderIndex = new Map<number, TurnCall | null>();
  private toolStep: RunStep | null = null;
  private finish: FinishReason | null = null;
  private usage: Usage | null = null;
  private readonly providerItems: ProviderItem[] = [];
  private readonly handlers: Handlers;

  constructor(recorder: RunRecorder, builtins: ReadonlyMap<string, BuiltinTool>) {
    this.recorder = recorder;
    this.run = recorder.run;
    this.builtins = builtins;
    this.handlers = {
      text: (event) => this.onText(event.delta),
      toolCallStart: (event) => this.onToolCallStart(event.index, event.name),
      toolCallArguments: (event) => this.onToolCallArguments(event.index, event.delta),
      usage: (event) => {
        this.usage = { prompt_tokens: event.promptTokens, completion_tokens: event.completionTokens, total_tokens: event.promptTokens + event.completionTokens };
      },
      finish: (event) => {
        this.finish = event.reason;
      },
      providerItem: (event) => {
        this.providerItems.push(event.item);
      },
    };
  }

  handle(event: ModelEvent): void {
    (this.handlers[event.type] as (event: ModelEvent) => void)(event);
  }

  result(): TurnResult {
    if (this.toolStep) this.recorder.saveStep(this.withCalls(this.toolStep, this.stepCalls()));
    return { calls: this.calls, toolStep: this.toolStep, finish: this.finish, usage: this.usage, providerItems: this.providerItems };
  }

  private onText(delta: string): void {
    // Text after tool calls in the same turn is rare; it still gets its own message.
    if (!this.recorder.hasOpenMessage) this.recorder.openMessageCreation();
    this.recorder.appendText(delta);
  }

  private acceptsCall(name: string): boolean {
    if (this.run.tool_choice === 'none') return false;
    const declared = this.run.tools.some((tool) => (tool.type === 'function' ? tool.function.name === name : tool.type === name));
    if (!declared) return true; // an undeclared name still becomes a call, and the model is told it does not exist
    const isFunction = !this.builtins.has(name) || this.run.tools.some((tool) => tool.type === 'function' && tool.function.name === name);
    if (isFunction && !this.run.parallel_tool_calls && this.calls.some((call) => call.builtin === null)) return false;
    return true;
  }

  private onToolCallStart(providerIndex: number, name: string): void {
    if (!this.acceptsCall(name)) {
      this.byProviderIndex.set(providerIndex, null);
      return;
    }
    // A message written before the calls is finished first: only one message is open at a time.
    if (this.recorder.hasOpenMessage) this.recorder.closeMessage({ status: 'completed' }, { prompt_tokens: 0, completion_tokens: 0, total_tokens: 0 });
    this.toolStep ??= this.recorder.openToolStep();
    const isDeclaredFunction = this.run.tools.some((tool) => tool.type === 'function' && tool.function.name === name);
    const builtin = isDeclaredFunction ? null : (this.builtins.get(name) ?? null);
    const call: TurnCall = { id: newId('call'), name, arguments: '', index: this.calls.length, builtin, streamedInput: '' };
    this.calls.push(call);
    this.byProviderIndex.set(providerIndex, call);
    this.recorder.publishStepDelta(
      this.toolStep,
      builtin ? builtin.initialDelta(call.id, call.index) : { index: call.index, id: call.id, type: 'function', function: { name, arguments: '', output: null } },
    );
  }

  private onToolCallArguments(providerIndex: number, delta: string): void {
    const call = this.byProviderIndex.get(providerIndex);
    if (!call || !this.toolStep || delta.length === 0) return;
    call.arguments += delta;
    if (!call.builtin) {
      this.recorder.publishStepDelta(this.toolStep, { index: call.index, type: 'function', function: { arguments: delta } });
      return;
    }
    const progress = call.builtin.argumentsDelta?.(call.arguments, call.streamedInput);
    if (progress) {
      if (progress.type === 'code_interpreter' && progress.code_interpreter?.input) call.streamedInput += progress.code_interpreter.input;
      this.recorder.publishStepDelta(this.toolStep, { ...progress, index: call.index });
    }
  }

  /** The step's calls as v2 shapes them, before any tool has run. */
  stepCalls(): ToolCall[] {
    return this.calls.map((call): ToolCall => {
      if (call.builtin?.type === 'code_interpreter') return { id: call.id, type: 'code_interpreter', code_interpreter: { input: call.streamedInput, outputs: [] } };
      if (call.builtin?.type === 'file_search') return { id: call.id, type: 'file_search', file_search: {} };
      return { id: call.id, type: 'function', function: { name: call.name, arguments: call.arguments, output: null } };
    });
  }

  private withCalls(step: RunStep, calls: ToolCall[]): RunStep {
    return { ...step, step_details: { type: 'tool_calls', tool_calls: calls } };
  }
}
