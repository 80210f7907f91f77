/**
 * The EditorContext port over VS Code: workspace symbols from the language servers, the Problems
 * panel's diagnostics, the active selection and the open tabs. Paths are returned with symlinks
 * resolved, as the engine's workspace folders are; the engine drops whatever lies outside them.
 */
import { realpathSync } from 'node:fs';
import * as vscode from 'vscode';
import type { DiagnosticInfo, DiagnosticSeverity, EditorContext, OpenEditorInfo, SelectionInfo, SymbolInfo } from '../../engine/ports/editorContext.ts';

const SEVERITIES: Record<vscode.DiagnosticSeverity, DiagnosticSeverity> = {
  [vscode.DiagnosticSeverity.Error]: 'error',
  [vscode.DiagnosticSeverity.Warning]: 'warning',
  [vscode.DiagnosticSeverity.Information]: 'information',
  [vscode.DiagnosticSeverity.Hint]: 'hint',
};

export class VscodeEditorContext implements EditorContext {
  async findSymbols(query: string, limit: number, signal: AbortSignal): Promise<SymbolInfo[]> {
    const found = await vscode.commands.executeCommand<vscode.SymbolInformation[] | undefined>('vscode.executeWorkspaceSymbolProvider', query);
    signal.throwIfAborted();
    return (found ?? []).filter((symbol) => symbol.location.uri.scheme === 'file').slice(0, limit).map((symbol) => ({
      name: symbol.name,
      kind: (vscode.SymbolKind[symbol.kind] ?? 'symbol').toLowerCase(),
      path: realPath(symbol.location.uri.fsPath),
      line: symbol.location.range.start.line + 1,
      ...(symbol.containerName ? { containerName: symbol.containerName } : {}),
    }));
  }

  async getDiagnostics(target: string | undefined): Promise<DiagnosticInfo[]> {
    const entries: Array<[vscode.Uri, readonly vscode.Diagnostic[]]> = target === undefined
      ? vscode.languages.getDiagnostics()
      : [[vscode.Uri.file(target), diagnosticsFor(target)]];
    return entries.filter(([uri]) => uri.scheme === 'file').flatMap(([uri, diagnostics]) => diagnostics.map((diagnostic) => ({
      path: target ?? realPath(uri.fsPath),
      line: diagnostic.range.start.line + 1,
      column: diagnostic.range.start.character + 1,
      severity: SEVERITIES[diagnostic.severity],
      message: diagnostic.message,
      ...(diagnostic.source ? { source: diagnostic.source } : {}),
      ...(diagnostic.code !== undefined ? { code: String(typeof diagnostic.code === 'object' ? diagnostic.code.value : diagnostic.code) } : {}),
    })));
  }

  async getSelection(): Promise<SelectionInfo | undefined> {
    const editor = vscode.window.activeTextEditor;
    if (!editor || editor.document.uri.scheme !== 'file') return undefined;
    const { selection, document } = editor;
    return {
      path: realPath(document.uri.fsPath),
      languageId: document.languageId,
      startLine: selection.start.line + 1,
      endLine: selection.end.line + 1,
      text: document.getText(selection),
    };
  }

  async openEditors(): Promise<OpenEditorInfo[]> {
    const active = vscode.window.tabGroups.activeTabGroup.activeTab;
    const seen = new Set<string>();
    const out: OpenEditorInfo[] = [];
    for (const group of vscode.window.tabGroups.all) {
      for (const tab of group.tabs) {
        if (!(tab.input instanceof vscode.TabInputText) || tab.input.uri.scheme !== 'file') continue;
        const uri = tab.input.uri;
        const file = realPath(uri.fsPath);
        if (seen.has(file)) continue;
        seen.add(file);
        const document = vscode.workspace.textDocuments.find((candidate) => candidate.uri.toString() === uri.toString());
        out.push({ path: file, languageId: document?.languageId ?? 'plaintext', isActive: tab === active, isDirty: tab.isDirty });
      }
    }
    return out;
  }
}

/** Diagnostics are keyed by the URI the document was opened with, which may be the unresolved path. */
function diagnosticsFor(target: string): readonly vscode.Diagnostic[] {
  const direct = vscode.languages.getDiagnostics(vscode.Uri.file(target));
  if (direct.length > 0) return direct;
  const match = vscode.languages.getDiagnostics().find(([uri]) => uri.scheme === 'file' && realPath(uri.fsPath) === target);
  return match ? match[1] : [];
}

function realPath(file: string): string {
  try {
    return realpathSync(file);
  } catch {
    return file;
  }
}
