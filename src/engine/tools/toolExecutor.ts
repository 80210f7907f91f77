/**
 * Carries out one function-tool call of a run that is in requires_action: governor check,
 * preparation (validation, paths, the exact effect), policy, the user's approval when needed,
 * a checkpoint of every file about to change, execution, and the governor again. Always returns
 * an output for submit_tool_outputs; failures are outputs written for the model, never throws.
 */
import type { ApprovalPrompt } from '../ports/approvalPrompt.ts';
import type { CheckpointStore } from './checkpoints.ts';
import type { RememberOption, ToolPolicy } from './policy/toolPolicy.ts';
import type { GovernorStop, RunGovernor } from './runGovernor.ts';
import type { PreparedCall, ToolContext } from './tool.ts';
import { ToolError } from './tool.ts';
import type { ToolRegistry } from './toolRegistry.ts';

export interface ToolCallRequest {
  id: string;
  name: string;
  /** The JSON string the model produced. */
  arguments: string;
}

export interface ToolCallOutcome {
  toolCallId: string;
  output: string;
  isError: boolean;
  /** Set when the run must end now; `output` then carries the same message for the model. */
  stopRun?: GovernorStop;
}

export interface RunToolScope {
  runId: string;
  signal: AbortSignal;
  governor?: RunGovernor;
}

export interface ToolExecutorParts {
  registry: ToolRegistry;
  context: ToolContext;
  policy: ToolPolicy;
  approvals: ApprovalPrompt;
  checkpoints?: CheckpointStore;
}

export class ToolExecutor {
  readonly #parts: ToolExecutorParts;

  constructor(parts: ToolExecutorParts) {
    this.#parts = parts;
  }

  async execute(call: ToolCallRequest, scope: RunToolScope): Promise<ToolCallOutcome> {
    const blocked = scope.governor?.beforeToolCall(call.name, call.arguments);
    if (blocked) return { toolCallId: call.id, output: blocked.message, isError: true, stopRun: blocked };

    let output: string;
    let isError = false;
    try {
      output = await this.#run(call, scope);
    } catch (error) {
      isError = true;
      output = ToolError.is(error) ? error.message : scope.signal.aborted ? 'The run was cancelled before this tool finished.' : `${call.name} failed unexpectedly: ${error instanceof Error ? error.message : String(error)}`;
    }
    const verdict = scope.governor?.afterToolCall(call.name, call.arguments, output, isError) ?? {};
    if (verdict.stop) return { toolCallId: call.id, output: `${output}\n\n${verdict.stop.message}`, isError, stopRun: verdict.stop };
    return { toolCallId: call.id, output: verdict.note ? output + verdict.note : output, isError };
  }

  async #run(call: ToolCallRequest, scope: RunToolScope): Promise<string> {
    const { registry, context, policy } = this.#parts;
    scope.signal.throwIfAborted();
    const prepared = await registry.prepare(call.name, call.arguments, context);
    const verdict = policy.evaluate(call.name, prepared.facts);
    if (verdict.decision === 'deny') throw new ToolError(verdict.reason);
    if (verdict.decision === 'ask') await this.#askUser(call, scope, prepared, verdict.reasons, verdict.remember);
    scope.signal.throwIfAborted();
    if (this.#parts.checkpoints) {
      for (const target of prepared.facts.writes) await this.#parts.checkpoints.capture(scope.runId, target.real);
    }
    return prepared.execute(scope.signal);
  }

  async #askUser(call: ToolCallRequest, scope: RunToolScope, prepared: PreparedCall, reasons: string[], remember: RememberOption[]): Promise<void> {
    const answer = await this.#parts.approvals.requestApproval({
      runId: scope.runId,
      toolCallId: call.id,
      tool: call.name,
      title: prepared.preview.title,
      reasons,
      diff: prepared.preview.diff,
      command: prepared.preview.command,
      proposed: prepared.preview.proposed,
      remember,
    }, scope.signal);
    if (!answer.approved) {
      throw new ToolError(`The user declined this ${call.name} call${answer.message ? `: "${answer.message}"` : ''}. Do not repeat it unchanged; ask the user or take a different approach.`);
    }
    // Only an option that was actually offered can be remembered.
    if (answer.remember && remember.some((option) => JSON.stringify(option) === JSON.stringify(answer.remember))) {
      await this.#parts.policy.remember(answer.remember);
    }
  }
}
