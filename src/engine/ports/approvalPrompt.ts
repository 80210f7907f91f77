/**
 * How the engine asks the user about a tool call the policy will not decide alone. The VS Code
 * side shows the title, reasons and diff (or command) with Allow / Deny and the remember options;
 * the server answers from its configuration. Whatever is returned is the user's decision: the model
 * has no way to produce it.
 */
import type { RememberOption } from '../tools/policy/toolPolicy.ts';

export interface ApprovalRequest {
  runId: string;
  toolCallId: string;
  tool: string;
  /** "Edit src/app.ts (+3 −1)", "Run npm test". */
  title: string;
  /** Why approval is needed, e.g. "changes .vscode/settings.json, a protected path". */
  reasons: string[];
  /** Unified diff of a file change, exactly what will be written. */
  diff?: string;
  /** Command line of an execute tool, exactly what will run. */
  command?: string;
  /** The changed file's complete new text (absolute path), for a side-by-side diff view. */
  proposed?: { path: string; content: string };
  /** "Always allow …" choices; empty when this call must be asked every time. */
  remember: RememberOption[];
}

export type ApprovalAnswer =
  | { approved: true; /** One of `request.remember`, when the user chose "always". */ remember?: RememberOption }
  | { approved: false; /** Optional note from the user, passed on to the model. */ message?: string };

export interface ApprovalPrompt {
  /** Resolves when the user answers; the signal aborts when the run is cancelled. */
  requestApproval(request: ApprovalRequest, signal: AbortSignal): Promise<ApprovalAnswer>;
}
