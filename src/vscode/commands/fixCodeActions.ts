/**
 * "Ask Threadwork to fix" in the light bulb of any problem VS Code reports: it runs Fix This on the
 * problem's lines with the diagnostics themselves, so the assistant sees what the compiler said.
 */
import * as vscode from 'vscode';
import { COMMANDS } from './commandTable.ts';
import { summarizeDiagnostic, type FixTarget } from './editorContext.ts';

export const FIX_ACTION_TITLE = 'Ask Threadwork to fix';

export class FixCodeActionProvider implements vscode.CodeActionProvider {
  static readonly metadata: vscode.CodeActionProviderMetadata = { providedCodeActionKinds: [vscode.CodeActionKind.QuickFix] };

  provideCodeActions(document: vscode.TextDocument, _range: vscode.Range | vscode.Selection, context: vscode.CodeActionContext): vscode.CodeAction[] {
    const diagnostics = context.diagnostics.filter((diagnostic) => diagnostic.severity <= vscode.DiagnosticSeverity.Warning);
    if (diagnostics.length === 0) return [];
    const target: FixTarget = {
      uri: document.uri.toString(),
      startLine: Math.min(...diagnostics.map((diagnostic) => diagnostic.range.start.line)),
      endLine: Math.max(...diagnostics.map((diagnostic) => diagnostic.range.end.line)),
      diagnostics: diagnostics.map(summarizeDiagnostic),
    };
    const action = new vscode.CodeAction(FIX_ACTION_TITLE, vscode.CodeActionKind.QuickFix);
    action.diagnostics = diagnostics;
    action.command = { command: COMMANDS.fixThis, title: FIX_ACTION_TITLE, arguments: [target] };
    return [action];
  }
}

export function registerFixCodeActions(): vscode.Disposable {
  return vscode.languages.registerCodeActionsProvider([{ scheme: 'file' }, { scheme: 'untitled' }], new FixCodeActionProvider(), FixCodeActionProvider.metadata);
}
