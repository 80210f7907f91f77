/**
 * Where a tool call that needs the user waits for an answer. The tools side calls `request` and
 * awaits; the chat panel shows every pending request inline and answers through `tool/approve`.
 * Requests outlive the webview: a panel that is hidden and shown again gets them in its snapshot.
 */
import type { ApprovalDecision, ApprovalRequest } from '../protocol/chatModel.ts';

export type ApprovalAnswer = { decision: ApprovalDecision; rememberOptionId?: string } | { decision: 'withdrawn' };

export type ApprovalChange =
  | { type: 'requested'; request: ApprovalRequest }
  | { type: 'settled'; approvalId: string; decision: ApprovalDecision | 'withdrawn' };

interface Waiting {
  request: ApprovalRequest;
  resolve(answer: ApprovalAnswer): void;
}

export class ApprovalBroker {
  private readonly waiting = new Map<string, Waiting>();
  private readonly listeners = new Set<(change: ApprovalChange) => void>();
  private counter = 0;

  /** Shows a prompt and resolves with the user's answer; an aborted `signal` withdraws the prompt. */
  request(prompt: Omit<ApprovalRequest, 'approvalId'>, signal?: AbortSignal): Promise<ApprovalAnswer> {
    if (signal?.aborted) return Promise.resolve({ decision: 'withdrawn' });
    const approvalId = `approval_${Date.now().toString(36)}_${++this.counter}`;
    const request: ApprovalRequest = { ...prompt, approvalId };
    return new Promise<ApprovalAnswer>((resolve) => {
      const onAbort = (): void => {
        this.settle(approvalId, { decision: 'withdrawn' });
      };
      this.waiting.set(approvalId, {
        request,
        resolve: (answer) => {
          signal?.removeEventListener('abort', onAbort);
          resolve(answer);
        },
      });
      signal?.addEventListener('abort', onAbort, { once: true });
      this.emit({ type: 'requested', request });
    });
  }

  /** The user's answer; false when the request is no longer waiting (answered elsewhere, withdrawn). */
  answer(approvalId: string, decision: ApprovalDecision, rememberOptionId?: string): boolean {
    const waiting = this.waiting.get(approvalId);
    if (!waiting) return false;
    const known = rememberOptionId === undefined || waiting.request.rememberOptions.some((option) => option.id === rememberOptionId);
    this.settle(approvalId, decision === 'allow' && known && rememberOptionId !== undefined ? { decision, rememberOptionId } : { decision });
    return true;
  }

  /** Withdraws every prompt of a run (it was cancelled or ended). */
  withdrawRun(runId: string): void {
    for (const [approvalId, waiting] of [...this.waiting]) {
      if (waiting.request.runId === runId) this.settle(approvalId, { decision: 'withdrawn' });
    }
  }

  pending(): ApprovalRequest[] {
    return [...this.waiting.values()].map((waiting) => waiting.request);
  }

  onDidChange(listener: (change: ApprovalChange) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private settle(approvalId: string, answer: ApprovalAnswer): void {
    const waiting = this.waiting.get(approvalId);
    if (!waiting) return;
    this.waiting.delete(approvalId);
    waiting.resolve(answer);
    this.emit({ type: 'settled', approvalId, decision: answer.decision });
  }

  private emit(change: ApprovalChange): void {
    for (const listener of [...this.listeners]) listener(change);
  }
}
