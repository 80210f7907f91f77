/**
 * The extension host as the client that executes function calls, the part an app using the hosted
 * Assistants API used to write itself: when a run of this window's engine stops in
 * `requires_action`, each call goes through the engine's ToolExecutor (governor, policy, the user's
 * approval, checkpoint, execution), one after another, and all outputs go back in one
 * `submitToolOutputs`. Stopping the run aborts the call in flight and withdraws its prompts; a
 * governor stop ends the run as failed with the governor's sentence as its last_error.
 * No `vscode` import: the whole loop runs in unit tests against a real engine.
 */
import type { Engine } from '../../engine/engine.ts';
import type { GovernorLimits } from '../../engine/tools/runGovernor.ts';
import { RunGovernor } from '../../engine/tools/runGovernor.ts';
import type { ToolCallOutcome, ToolExecutor } from '../../engine/tools/toolExecutor.ts';
import type { Run } from '../../engine/types/run.ts';
import type { SequencedEvent } from '../../engine/types/streamEvent.ts';

export interface ToolRunLog {
  info(message: string): void;
  warn(message: string): void;
}

export interface ToolCallRunnerOptions {
  /** A fresh executor for one round of a run's calls (settings are read anew each round). */
  executorFor(run: Run): ToolExecutor;
  governorLimits(): Partial<GovernorLimits>;
  log: ToolRunLog;
  /** Called once a run is over, so prompts still waiting for it can be withdrawn. */
  onRunEnded?(runId: string): void;
}

interface RunState {
  controller: AbortController;
  governor: RunGovernor;
  /** The round being executed; a second requires_action cannot arrive before it is submitted. */
  round: Promise<void> | undefined;
}

const ENDING_EVENTS = new Set(['thread.run.cancelling', 'thread.run.cancelled', 'thread.run.expired', 'thread.run.failed', 'thread.run.completed', 'thread.run.incomplete']);
const LOGGED_ARGUMENT_CHARS = 300;
const LOGGED_OUTPUT_CHARS = 200;

export class ToolCallRunner {
  readonly #options: ToolCallRunnerOptions;
  readonly #runs = new Map<string, RunState>();

  constructor(options: ToolCallRunnerOptions) {
    this.#options = options;
  }

  /** Starts serving an engine's runs, including runs a previous session left waiting for tool outputs. */
  attach(engine: Engine): () => void {
    const unsubscribe = engine.hub.subscribeAll((event) => this.#onEvent(engine, event));
    for (const adopted of engine.repair.adopted) {
      const run = engine.store.runs.get(adopted.id);
      if (run?.status === 'requires_action') this.#startRound(engine, run);
    }
    return () => {
      unsubscribe();
      for (const runId of [...this.#runs.keys()]) this.#end(runId);
    };
  }

  /** Resolves when every round in progress has submitted (tests, shutdown). */
  async idle(): Promise<void> {
    await Promise.all([...this.#runs.values()].map((state) => state.round));
  }

  #onEvent(engine: Engine, { runId, event }: SequencedEvent): void {
    if (event.event === 'thread.run.requires_action') this.#startRound(engine, event.data);
    else if (ENDING_EVENTS.has(event.event)) this.#end(runId);
  }

  #startRound(engine: Engine, run: Run): void {
    if (run.required_action?.type !== 'submit_tool_outputs') return;
    let state = this.#runs.get(run.id);
    if (!state) {
      state = { controller: new AbortController(), governor: new RunGovernor(this.#options.governorLimits()), round: undefined };
      this.#runs.set(run.id, state);
    }
    const current = state;
    current.round = this.#runRound(engine, run, current).catch((error: unknown) => {
      this.#options.log.warn(`Tool calls of ${run.id} could not be completed: ${error instanceof Error ? error.message : String(error)}`);
    }).finally(() => {
      current.round = undefined;
    });
  }

  async #runRound(engine: Engine, run: Run, state: RunState): Promise<void> {
    const calls = run.required_action?.submit_tool_outputs.tool_calls ?? [];
    const executor = this.#options.executorFor(run);
    const outputs: Array<{ tool_call_id: string; output: string }> = [];
    for (const call of calls) {
      if (state.controller.signal.aborted) return;
      const started = performance.now();
      const outcome = await executor.execute(
        { id: call.id, name: call.function.name, arguments: call.function.arguments },
        { runId: run.id, signal: state.controller.signal, governor: state.governor },
      );
      this.#logCall(run, call.function.name, call.function.arguments, outcome, performance.now() - started);
      if (outcome.stopRun) {
        if (state.controller.signal.aborted) return;
        this.#options.log.warn(`Run ${run.id} stopped by the run governor (${outcome.stopRun.reason}): ${outcome.stopRun.message}`);
        engine.runs.failWaitingRun(run.thread_id, run.id, outcome.stopRun.message);
        return;
      }
      outputs.push({ tool_call_id: call.id, output: outcome.output });
    }
    // A run stopped meanwhile takes no outputs; its tool results are simply dropped.
    if (state.controller.signal.aborted) return;
    engine.runs.submitToolOutputs(run.thread_id, run.id, { tool_outputs: outputs });
  }

  #end(runId: string): void {
    const state = this.#runs.get(runId);
    if (!state) return;
    this.#runs.delete(runId);
    state.controller.abort();
    this.#options.onRunEnded?.(runId);
  }

  #logCall(run: Run, name: string, argumentsJson: string, outcome: ToolCallOutcome, elapsedMs: number): void {
    const result = outcome.stopRun ? `stopped the run (${outcome.stopRun.reason})` : outcome.isError ? 'failed' : 'ok';
    this.#options.log.info(
      `tool ${name} ${clip(argumentsJson, LOGGED_ARGUMENT_CHARS)} [${run.id} ${outcome.toolCallId}] ${result} in ${Math.round(elapsedMs)} ms: ${clip(outcome.output, LOGGED_OUTPUT_CHARS)}`,
    );
  }
}

function clip(text: string, max: number): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max)}… (${flat.length} chars)` : flat;
}
