/**
 * An inline "may this tool run?" prompt. It shows exactly what the tool will do (the diff or the
 * command line the host prepared), why the policy asks, and the choices to remember; the answer goes
 * back as `tool/approve`.
 */
import type { ApprovalDecision, ApprovalRequest } from '../../src/protocol/chatModel.ts';
import { custom, h } from '../dom.ts';

export interface ApprovalContext {
  isAnswering: boolean;
  onAnswer(decision: ApprovalDecision, rememberOptionId?: string): void;
  /** Opens the change in VS Code's diff editor. */
  onViewDiff?(): void;
}

export function renderApproval(request: ApprovalRequest, context: ApprovalContext): HTMLElement {
  const headingId = `approval-title-${request.approvalId}`;
  const row = h('section', { className: 'row approval', attrs: { role: 'group', 'aria-labelledby': headingId, 'data-approval-id': request.approvalId } });
  row.appendChild(h('div', { className: 'approval-title', attrs: { id: headingId } }, `Approve ${request.toolName}? `, h('span', { className: 'approval-summary' }, request.title)));
  if (request.reasons.length > 0) {
    row.appendChild(h('ul', { className: 'approval-reasons' }, ...request.reasons.map((reason) => h('li', {}, reason))));
  }
  if (request.command) row.appendChild(h('pre', { className: 'approval-command', attrs: { 'aria-label': 'Command to run' } }, request.command));
  if (request.diff) row.appendChild(renderDiff(request.diff));

  let remember: HTMLSelectElement | undefined;
  if (request.rememberOptions.length > 0) {
    remember = h('select', { className: 'approval-remember', attrs: { 'aria-label': 'Remember this choice' } },
      h('option', { attrs: { value: '' } }, 'Ask me every time'),
      ...request.rememberOptions.map((option) => h('option', { attrs: { value: option.id } }, option.label)));
  }
  const answer = (decision: ApprovalDecision): void => {
    const chosen = remember?.value;
    context.onAnswer(decision, decision === 'allow' && chosen ? chosen : undefined);
  };
  const disabled = context.isAnswering ? '' : undefined;
  row.appendChild(h('div', { className: 'approval-actions' },
    custom('vscode-button', { className: 'approve-allow', attrs: { 'aria-label': `Allow ${request.toolName}`, disabled }, on: { click: () => answer('allow') } }, 'Allow'),
    custom('vscode-button', { className: 'approve-deny', attrs: { secondary: '', 'aria-label': `Deny ${request.toolName}`, disabled }, on: { click: () => answer('deny') } }, 'Deny'),
    request.diff && context.onViewDiff ? custom('vscode-button', { className: 'approve-view-diff', attrs: { secondary: '', 'aria-label': 'View the change in the diff editor' }, on: { click: () => context.onViewDiff?.() } }, 'View diff') : null,
    remember ?? null));
  return row;
}

function renderDiff(diff: string): HTMLElement {
  const pre = h('pre', { className: 'approval-diff', attrs: { 'aria-label': 'Proposed change' } });
  for (const line of diff.split('\n')) {
    const kind = line.startsWith('+') && !line.startsWith('+++') ? 'added' : line.startsWith('-') && !line.startsWith('---') ? 'removed' : line.startsWith('@@') ? 'hunk' : 'context';
    pre.appendChild(h('span', { className: `diff-line diff-${kind}` }, `${line}\n`));
  }
  return pre;
}
