/**
 * The engine's ApprovalPrompt as the chat panel's inline prompt: each request goes into the
 * ApprovalBroker (which the panel renders and answers through `tool/approve`), and the user's
 * click comes back as the engine's answer. The proposed new text of a file is kept while its
 * prompt waits, so "View diff" can open it side by side. No `vscode` import: it runs in unit tests.
 */
import type { ApprovalAnswer, ApprovalPrompt, ApprovalRequest } from '../../engine/ports/approvalPrompt.ts';
import type { ApprovalBroker } from '../approvalBroker.ts';

export interface ProposedContent {
  /** Absolute path of the file the call changes. */
  path: string;
  /** Its complete text after the change. */
  content: string;
}

/** approvalId → the proposed file content of a waiting prompt. */
export class ProposalRegistry {
  readonly #byApproval = new Map<string, ProposedContent>();

  set(approvalId: string, proposal: ProposedContent): void {
    this.#byApproval.set(approvalId, proposal);
  }

  get(approvalId: string): ProposedContent | undefined {
    return this.#byApproval.get(approvalId);
  }

  delete(approvalId: string): void {
    this.#byApproval.delete(approvalId);
  }
}

export class PanelApprovalPrompt implements ApprovalPrompt {
  readonly #broker: ApprovalBroker;
  readonly #threadId: string;
  readonly #proposals: ProposalRegistry;

  constructor(broker: ApprovalBroker, threadId: string, proposals: ProposalRegistry) {
    this.#broker = broker;
    this.#threadId = threadId;
    this.#proposals = proposals;
  }

  async requestApproval(request: ApprovalRequest, signal: AbortSignal): Promise<ApprovalAnswer> {
    const rememberOptions = request.remember.map((option, index) => ({ id: `remember_${index}`, label: option.label }));
    const answered = this.#broker.request({
      threadId: this.#threadId,
      runId: request.runId,
      toolCallId: request.toolCallId,
      toolName: request.tool,
      title: request.title,
      reasons: request.reasons,
      ...(request.diff !== undefined ? { diff: request.diff } : {}),
      ...(request.command !== undefined ? { command: request.command } : {}),
      rememberOptions,
    }, signal);
    // The broker registers the prompt synchronously, so its id is known before anyone can answer.
    const approvalId = this.#broker.pending().find((pending) => pending.runId === request.runId && pending.toolCallId === request.toolCallId)?.approvalId;
    if (approvalId !== undefined && request.proposed) this.#proposals.set(approvalId, request.proposed);
    try {
      const answer = await answered;
      if (answer.decision === 'withdrawn') return { approved: false, message: 'the prompt was withdrawn because the run stopped' };
      if (answer.decision === 'deny') return { approved: false };
      const chosen = answer.rememberOptionId === undefined ? undefined : request.remember[rememberOptions.findIndex((option) => option.id === answer.rememberOptionId)];
      return chosen ? { approved: true, remember: chosen } : { approved: true };
    } finally {
      if (approvalId !== undefined) this.#proposals.delete(approvalId);
    }
  }
}
