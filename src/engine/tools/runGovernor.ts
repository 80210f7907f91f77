/**
 * Per-run limits on tool calls and tokens, and detection of a run going in circles: the same call
 * (name + normalised arguments) answered with the same result again and again, or tool call after
 * tool call failing. When a limit is hit the governor says why in a sentence the run ends with.
 */
import { createHash } from 'node:crypto';

export interface GovernorLimits {
  maxToolCalls: number;
  /** Prompt + completion tokens across the run; undefined: no budget. */
  maxTotalTokens?: number;
  /** Identical call + identical result this many times ends the run. */
  maxIdenticalCalls: number;
  /** This many failed tool calls in a row end the run. */
  maxConsecutiveErrors: number;
}

export type GovernorStopReason = 'max_tool_calls' | 'max_tokens' | 'repeated_call' | 'consecutive_errors';

export interface GovernorStop {
  reason: GovernorStopReason;
  /** Shown to the user as the reason the run ended. */
  message: string;
}

export interface GovernorVerdict {
  stop?: GovernorStop;
  /** Appended to the tool output so the model can change course before the limit hits. */
  note?: string;
}

export const DEFAULT_GOVERNOR_LIMITS: GovernorLimits = { maxToolCalls: 60, maxIdenticalCalls: 3, maxConsecutiveErrors: 5 };

export class RunGovernor {
  readonly #limits: GovernorLimits;
  #toolCalls = 0;
  #tokens = 0;
  #errorStreak = 0;
  readonly #repeats = new Map<string, { result: string; count: number }>();

  constructor(limits: Partial<GovernorLimits> = {}) {
    this.#limits = { ...DEFAULT_GOVERNOR_LIMITS, ...limits };
  }

  get toolCalls(): number {
    return this.#toolCalls;
  }

  get tokens(): number {
    return this.#tokens;
  }

  /** Counts the call; a stop means the call must not run. */
  beforeToolCall(_name: string, _argumentsJson: string): GovernorStop | undefined {
    this.#toolCalls++;
    if (this.#toolCalls > this.#limits.maxToolCalls) {
      return { reason: 'max_tool_calls', message: `The run was stopped after ${this.#limits.maxToolCalls} tool calls, the limit for one run. The changes made so far are kept; start a new run to continue.` };
    }
    return undefined;
  }

  afterToolCall(name: string, argumentsJson: string, output: string, isError: boolean): GovernorVerdict {
    this.#errorStreak = isError ? this.#errorStreak + 1 : 0;
    if (this.#errorStreak >= this.#limits.maxConsecutiveErrors) {
      const firstLine = output.split('\n', 1)[0]!.slice(0, 200);
      return { stop: { reason: 'consecutive_errors', message: `The run was stopped after ${this.#errorStreak} tool calls in a row failed (the last, ${name}: ${firstLine}).` } };
    }
    const key = `${name}\u0000${canonicalArguments(argumentsJson)}`;
    const result = resultFingerprint(output);
    const seen = this.#repeats.get(key);
    const count = seen && seen.result === result ? seen.count + 1 : 1;
    this.#repeats.set(key, { result, count });
    if (count >= this.#limits.maxIdenticalCalls) {
      return { stop: { reason: 'repeated_call', message: `The run was stopped: ${name} was called ${count} times with the same arguments and returned the same result each time, so the run was not making progress.` } };
    }
    if (count === this.#limits.maxIdenticalCalls - 1) {
      return { note: `\n[Note: this is the same ${name} call with the same result as before. Calling it again unchanged will end the run; try something different.]` };
    }
    return {};
  }

  recordUsage(promptTokens: number, completionTokens: number): GovernorStop | undefined {
    this.#tokens += promptTokens + completionTokens;
    const budget = this.#limits.maxTotalTokens;
    if (budget !== undefined && this.#tokens >= budget) {
      return { reason: 'max_tokens', message: `The run was stopped after using ${this.#tokens} tokens, over its budget of ${budget}.` };
    }
    return undefined;
  }
}

/** Key order and whitespace do not make two calls different. */
export function canonicalArguments(argumentsJson: string): string {
  try {
    return JSON.stringify(sortKeys(JSON.parse(argumentsJson)));
  } catch {
    return argumentsJson.trim();
  }
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (typeof value !== 'object' || value === null) return value;
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(value).sort()) {
    const item = (value as Record<string, unknown>)[key];
    if (item !== null && item !== undefined) out[key] = sortKeys(item);
  }
  return out;
}

/** Durations differ between otherwise identical command runs; they do not count as progress. */
function resultFingerprint(output: string): string {
  const stable = output.replace(/\b\d+(\.\d+)?\s?(ms|s|sec|seconds)\b/g, '#');
  return createHash('sha256').update(stable).digest('hex');
}
