/**
 * The line under a run: what it is doing, the tokens it used, and, when it ended badly, the error
 * in place with a Retry button (only on the thread's latest run, which is the one Retry repeats).
 */
import type { RunSummary } from '../../src/protocol/chatModel.ts';
import { custom, h } from '../dom.ts';

export interface FooterContext {
  isLatest: boolean;
  streamError: string | undefined;
  onRetry(): void;
}

const STATUS_TEXT: Record<RunSummary['status'], string> = {
  queued: 'Queued…',
  in_progress: 'Thinking…',
  requires_action: 'Waiting for tool results…',
  cancelling: 'Stopping…',
  cancelled: 'Stopped',
  failed: 'Failed',
  completed: 'Done',
  incomplete: 'Incomplete',
  expired: 'Expired',
};

const ACTIVE = new Set(['queued', 'in_progress', 'requires_action', 'cancelling']);
const RETRYABLE = new Set(['failed', 'incomplete', 'expired', 'cancelled']);

export function renderRunFooter(run: RunSummary, context: FooterContext): HTMLElement {
  const isActive = ACTIVE.has(run.status);
  const row = h('div', { className: `row run-footer status-${run.status}`, attrs: { 'data-run-id': run.id, 'data-status': run.status } });
  const status = h('div', { className: 'run-status', attrs: { role: 'status', 'aria-live': 'polite' } });
  if (isActive) status.appendChild(custom('vscode-progress-ring', { className: 'run-spinner', attrs: { 'aria-hidden': 'true' } }));
  status.appendChild(h('span', { className: 'run-status-text' }, STATUS_TEXT[run.status]));
  if (run.usage && run.usage.total_tokens > 0) {
    status.appendChild(h('span', { className: 'run-usage', attrs: { title: 'Tokens used by this run', 'aria-label': `${run.usage.prompt_tokens} prompt tokens, ${run.usage.completion_tokens} completion tokens` } },
      `${formatCount(run.usage.prompt_tokens)} in · ${formatCount(run.usage.completion_tokens)} out`));
  }
  row.appendChild(status);

  const error = run.last_error?.message ?? context.streamError ?? incompleteText(run);
  if (error && !isActive) {
    const problem = h('div', { className: 'run-error', attrs: { role: 'alert' } }, h('span', { className: 'run-error-text' }, error));
    if (context.isLatest && RETRYABLE.has(run.status)) {
      problem.appendChild(custom('vscode-button', { className: 'retry-button', attrs: { secondary: '', 'aria-label': 'Retry the run' }, on: { click: () => context.onRetry() } }, 'Retry'));
    }
    row.appendChild(problem);
  } else if (context.isLatest && run.status === 'cancelled') {
    row.appendChild(h('div', { className: 'run-actions' }, custom('vscode-button', { className: 'retry-button', attrs: { secondary: '', 'aria-label': 'Run again' }, on: { click: () => context.onRetry() } }, 'Run again')));
  }
  return row;
}

function incompleteText(run: RunSummary): string | undefined {
  if (run.status === 'expired') return 'The run expired before it finished.';
  if (run.status !== 'incomplete') return undefined;
  return run.incomplete_details?.reason === 'max_prompt_tokens' ? 'Stopped: the conversation is longer than the prompt token limit.' : 'Stopped: the answer reached the completion token limit.';
}

function formatCount(count: number): string {
  return count >= 10_000 ? `${(count / 1000).toFixed(1)}k` : String(count);
}
