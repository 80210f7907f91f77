/**
 * Tool approvals waiting in the panel: the prompts the host asked for, which of them have an
 * answer on its way, and a version the conversation's rows compare to know when to rebuild.
 */
import type { ApprovalDecision, ApprovalRequest } from '../src/protocol/chatModel.ts';
import * as protocol from '../src/protocol/messages.ts';
import { errorMessage, type PanelStateHost } from './panelStateHost.ts';

export class ApprovalState {
  readonly requests = new Map<string, ApprovalRequest>();
  /** Approvals whose answer is on its way to the host. */
  readonly answering = new Set<string>();
  /** Bumped whenever the approvals change, so rows depending on them are rebuilt. */
  version = 0;

  private readonly host: PanelStateHost;

  constructor(host: PanelStateHost) {
    this.host = host;
    host.channel.onNotification(protocol.ApprovalRequested, (request) => host.update(() => this.add(request)));
    host.channel.onNotification(protocol.ApprovalSettled, ({ approvalId }) => host.update(() => this.remove(approvalId)));
  }

  /** The prompts already waiting when the panel (re)loaded. */
  restore(requests: readonly ApprovalRequest[]): void {
    for (const request of requests) this.add(request);
  }

  async answer(approvalId: string, decision: ApprovalDecision, rememberOptionId?: string): Promise<void> {
    this.host.update(() => {
      this.answering.add(approvalId);
      this.version++;
    });
    try {
      const { accepted } = await this.host.channel.request(protocol.ApproveTool, { approvalId, decision, ...(rememberOptionId ? { rememberOptionId } : {}) });
      if (!accepted) this.host.update(() => this.remove(approvalId));
    } catch (error) {
      this.host.update(() => {
        this.answering.delete(approvalId);
        this.version++;
      });
      this.host.notify(`The answer did not reach the tool: ${errorMessage(error)}`);
    }
  }

  async viewDiff(approvalId: string): Promise<void> {
    const { opened } = await this.host.channel.request(protocol.ViewApprovalDiff, { approvalId }).catch(() => ({ opened: false }));
    if (!opened) this.host.notify('This change can no longer be shown side by side; the prompt above still shows it.');
  }

  private add(request: ApprovalRequest): void {
    this.requests.set(request.approvalId, request);
    this.version++;
  }

  private remove(approvalId: string): void {
    this.requests.delete(approvalId);
    this.answering.delete(approvalId);
    this.version++;
  }
}
