/** How a finished command is reported to the model. */
import type { ShellRunOutcome } from './processRunner.ts';

export function describeOutcome(command: string, where: string, outcome: ShellRunOutcome, timeoutMs: number): string {
  const seconds = (outcome.durationMs / 1000).toFixed(1);
  const lines = [`$ ${command}`];
  if (where !== '.') lines.push(`(in ${where})`);
  if (outcome.cancelled) lines.push(`Cancelled after ${seconds} s; the command and every process it started were stopped.`);
  else if (outcome.timedOut) lines.push(`Stopped after ${Math.round(timeoutMs / 1000)} s (timeout); the command and every process it started were killed. Output so far:`);
  else if (outcome.exitSignal) lines.push(`Ended by signal ${outcome.exitSignal} after ${seconds} s.`);
  else lines.push(`Exit code ${outcome.exitCode} after ${seconds} s.`);
  const output = outcome.output.trimEnd();
  lines.push(output === '' ? '(no output)' : output);
  return lines.join('\n');
}
