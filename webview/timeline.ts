/**
 * Turns a thread into the flat list of rows the message list draws: user messages, and after each
 * one the runs that answer it (their tool calls and messages in step order, pending approvals, and
 * a footer with status, usage and errors). Rows carry only ids; their content is read at draw time.
 */
import { RUN_ANCHOR_KEY, type ApprovalRequest } from '../src/protocol/chatModel.ts';
import type { ThreadView } from './threadView.ts';

export type Row =
  | { key: string; kind: 'message'; messageId: string }
  | { key: string; kind: 'tool'; stepId: string }
  | { key: string; kind: 'approval'; approvalId: string }
  | { key: string; kind: 'footer'; runId: string };

const START = '';

export function buildRows(view: ThreadView, approvals: readonly ApprovalRequest[]): Row[] {
  const rows: Row[] = [];
  const runMessages = groupRunMessages(view);
  const runsByAnchor = anchorRuns(view);
  const approvalsByRun = new Map<string, ApprovalRequest[]>();
  for (const approval of approvals) {
    if (approval.threadId !== view.thread.id) continue;
    const list = approvalsByRun.get(approval.runId) ?? [];
    list.push(approval);
    approvalsByRun.set(approval.runId, list);
  }

  const emitRun = (runId: string): void => {
    const emitted = new Set<string>();
    for (const stepId of view.runSteps.get(runId) ?? []) {
      const step = view.steps.get(stepId);
      if (!step) continue;
      if (step.step_details.type === 'tool_calls') {
        rows.push({ key: `t:${stepId}`, kind: 'tool', stepId });
      } else {
        const messageId = step.step_details.message_creation.message_id;
        if (view.messages.has(messageId) && !emitted.has(messageId)) {
          emitted.add(messageId);
          rows.push({ key: `m:${messageId}`, kind: 'message', messageId });
        }
      }
    }
    // Messages whose step we do not have (older stores, partial snapshots) still show, in order.
    for (const messageId of runMessages.get(runId) ?? []) {
      if (!emitted.has(messageId)) rows.push({ key: `m:${messageId}`, kind: 'message', messageId });
    }
    for (const approval of approvalsByRun.get(runId) ?? []) rows.push({ key: `a:${approval.approvalId}`, kind: 'approval', approvalId: approval.approvalId });
    approvalsByRun.delete(runId);
    rows.push({ key: `f:${runId}`, kind: 'footer', runId });
  };

  for (const runId of runsByAnchor.get(START) ?? []) emitRun(runId);
  for (const messageId of view.messageOrder) {
    const message = view.messages.get(messageId);
    if (!message || (message.run_id !== null && view.runs.has(message.run_id))) continue;
    rows.push({ key: `m:${messageId}`, kind: 'message', messageId });
    for (const runId of runsByAnchor.get(messageId) ?? []) emitRun(runId);
  }
  // Approvals for runs this thread has not heard of yet still need an answer.
  for (const list of approvalsByRun.values()) {
    for (const approval of list) rows.push({ key: `a:${approval.approvalId}`, kind: 'approval', approvalId: approval.approvalId });
  }
  return rows;
}

function groupRunMessages(view: ThreadView): Map<string, string[]> {
  const byRun = new Map<string, string[]>();
  for (const messageId of view.messageOrder) {
    const runId = view.messages.get(messageId)?.run_id;
    if (!runId || !view.runs.has(runId)) continue;
    const list = byRun.get(runId) ?? [];
    list.push(messageId);
    byRun.set(runId, list);
  }
  return byRun;
}

/**
 * Which standalone message each run follows: the one its metadata names, or else the last one
 * created no later than the run (runs started elsewhere, by the server or the CLI).
 */
function anchorRuns(view: ThreadView): Map<string, string[]> {
  const standalone = view.messageOrder.filter((id) => {
    const message = view.messages.get(id);
    return message !== undefined && (message.run_id === null || !view.runs.has(message.run_id));
  });
  const byAnchor = new Map<string, string[]>();
  let cursor = -1;
  for (const runId of view.runOrder) {
    const run = view.runs.get(runId)!;
    const named = run.metadata?.[RUN_ANCHOR_KEY];
    let anchor: string;
    if (named && view.messages.has(named)) {
      anchor = named;
    } else {
      while (cursor + 1 < standalone.length && view.messages.get(standalone[cursor + 1]!)!.created_at <= run.created_at) cursor++;
      anchor = cursor >= 0 ? standalone[cursor]! : START;
    }
    const list = byAnchor.get(anchor) ?? [];
    list.push(runId);
    byAnchor.set(anchor, list);
  }
  return byAnchor;
}
