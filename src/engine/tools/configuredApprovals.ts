/**
 * An ApprovalPrompt with no one to ask: the headless server and CLI answer every request the same
 * way, from their configuration ("deny" is the safe default), and keep the requests for the log.
 */
import type { ApprovalAnswer, ApprovalPrompt, ApprovalRequest } from '../ports/approvalPrompt.ts';

export interface ConfiguredApprovalsOptions {
  answer: 'approve' | 'deny';
  /** With "approve": also pick the first remember option (persist the decision). */
  remember?: boolean;
}

export class ConfiguredApprovals implements ApprovalPrompt {
  readonly #options: ConfiguredApprovalsOptions;
  readonly requests: ApprovalRequest[] = [];

  constructor(options: ConfiguredApprovalsOptions) {
    this.#options = options;
  }

  async requestApproval(request: ApprovalRequest, signal: AbortSignal): Promise<ApprovalAnswer> {
    signal.throwIfAborted();
    this.requests.push(request);
    if (this.#options.answer === 'deny') return { approved: false, message: 'tools that need approval are turned off for this server' };
    const remember = this.#options.remember ? request.remember[0] : undefined;
    return remember ? { approved: true, remember } : { approved: true };
  }
}
