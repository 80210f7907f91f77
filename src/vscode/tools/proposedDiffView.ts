/**
 * "View diff" for an approval prompt: VS Code's own diff editor between the file as it is now and
 * the text the tool would write. The proposed side is a read-only virtual document served by a
 * TextDocumentContentProvider, so nothing touches the disk before the user allows it.
 */
import path from 'node:path';
import * as vscode from 'vscode';
import type { ProposalRegistry, ProposedContent } from './panelApprovalPrompt.ts';

export const PROPOSED_SCHEME = 'threadwork-proposed';

/** Diffs opened recently stay readable after their prompt is answered (the tab may still be open). */
const KEPT_SNAPSHOTS = 20;

export class ProposedDiffView implements vscode.TextDocumentContentProvider, vscode.Disposable {
  readonly #proposals: ProposalRegistry;
  readonly #snapshots = new Map<string, string>();
  readonly #registration: vscode.Disposable;

  constructor(proposals: ProposalRegistry) {
    this.#proposals = proposals;
    this.#registration = vscode.workspace.registerTextDocumentContentProvider(PROPOSED_SCHEME, this);
  }

  provideTextDocumentContent(uri: vscode.Uri): string {
    return this.#snapshots.get(uri.path) ?? '';
  }

  /** Opens the diff for a waiting prompt; false when the prompt has no file content to show. */
  async show(approvalId: string): Promise<boolean> {
    const proposal = this.#proposals.get(approvalId);
    if (!proposal) return false;
    const name = path.basename(proposal.path);
    const proposed = this.#keep(`/${approvalId}/proposed/${name}`, proposal.content);
    const current = await exists(proposal.path) ? vscode.Uri.file(proposal.path) : this.#keep(`/${approvalId}/new-file/${name}`, '');
    await vscode.commands.executeCommand('vscode.diff', current, proposed, `${name}: current ↔ proposed by Threadwork`, { preview: true, preserveFocus: false });
    return true;
  }

  dispose(): void {
    this.#registration.dispose();
    this.#snapshots.clear();
  }

  #keep(uriPath: string, content: ProposedContent['content']): vscode.Uri {
    this.#snapshots.delete(uriPath);
    this.#snapshots.set(uriPath, content);
    while (this.#snapshots.size > KEPT_SNAPSHOTS) this.#snapshots.delete(this.#snapshots.keys().next().value!);
    return vscode.Uri.from({ scheme: PROPOSED_SCHEME, path: uriPath });
  }
}

async function exists(file: string): Promise<boolean> {
  try {
    await vscode.workspace.fs.stat(vscode.Uri.file(file));
    return true;
  } catch {
    return false;
  }
}
