/**
 * What an editor action asks about, read from the editor: the selection (or, with nothing selected,
 * the function or class around the cursor, else its line), its file and language, and the problems
 * VS Code reports in that range.
 */
import * as vscode from 'vscode';
import type { CodeExcerpt, DiagnosticSummary, FileExcerpt } from './editorPrompts.ts';

/** What the "Ask Threadwork to fix" quick fix hands to Fix This (plain JSON: commands take data). */
export interface FixTarget {
  uri: string;
  /** 0-based start line and end line of the problems. */
  startLine: number;
  endLine: number;
  diagnostics: DiagnosticSummary[];
}

const SYMBOL_LOOKUP_MS = 1500;
const CONTAINER_KINDS = new Set([
  vscode.SymbolKind.Function, vscode.SymbolKind.Method, vscode.SymbolKind.Constructor, vscode.SymbolKind.Class,
  vscode.SymbolKind.Interface, vscode.SymbolKind.Enum, vscode.SymbolKind.Struct, vscode.SymbolKind.Module, vscode.SymbolKind.Namespace,
]);

export function activeEditor(): vscode.TextEditor | undefined {
  return vscode.window.activeTextEditor ?? vscode.window.visibleTextEditors[0];
}

export async function excerptFromEditor(editor: vscode.TextEditor): Promise<CodeExcerpt> {
  const { document, selection } = editor;
  if (!selection.isEmpty) return excerpt(document, selection);
  const symbol = await enclosingSymbol(document, selection.active);
  if (symbol) return { ...excerpt(document, symbol.range), symbol: symbol.name };
  return excerpt(document, document.lineAt(selection.active.line).range);
}

export function excerptOfLines(document: vscode.TextDocument, startLine: number, endLine: number, context = 2): CodeExcerpt {
  const first = Math.max(0, startLine - context);
  const last = Math.min(document.lineCount - 1, endLine + context);
  return excerpt(document, new vscode.Range(first, 0, last, document.lineAt(last).text.length));
}

function excerpt(document: vscode.TextDocument, range: vscode.Range): CodeExcerpt {
  return {
    path: displayPath(document.uri),
    languageId: document.languageId,
    startLine: range.start.line + 1,
    endLine: range.end.character === 0 && range.end.line > range.start.line ? range.end.line : range.end.line + 1,
    text: document.getText(range),
  };
}

export function displayPath(uri: vscode.Uri): string {
  return uri.scheme === 'untitled' ? uri.path : vscode.workspace.asRelativePath(uri, false);
}

/** The innermost function, method or class containing the position, as the language server sees it. */
async function enclosingSymbol(document: vscode.TextDocument, position: vscode.Position): Promise<vscode.DocumentSymbol | undefined> {
  const lookup = Promise.resolve(vscode.commands.executeCommand<Array<vscode.DocumentSymbol | vscode.SymbolInformation> | undefined>('vscode.executeDocumentSymbolProvider', document.uri)).catch(() => undefined);
  const symbols = await Promise.race([lookup, new Promise<undefined>((resolve) => setTimeout(() => resolve(undefined), SYMBOL_LOOKUP_MS))]);
  let found: vscode.DocumentSymbol | undefined;
  const visit = (list: readonly vscode.DocumentSymbol[]): void => {
    for (const symbol of list) {
      if (!symbol.range?.contains(position)) continue;
      if (CONTAINER_KINDS.has(symbol.kind)) found = symbol;
      visit(symbol.children ?? []);
    }
  };
  visit((symbols ?? []).filter((symbol): symbol is vscode.DocumentSymbol => 'children' in symbol));
  return found;
}

export function diagnosticsIn(uri: vscode.Uri, startLine: number, endLine: number): DiagnosticSummary[] {
  return vscode.languages.getDiagnostics(uri)
    .filter((diagnostic) => diagnostic.range.end.line >= startLine && diagnostic.range.start.line <= endLine)
    .sort((a, b) => a.severity - b.severity || a.range.start.line - b.range.start.line)
    .slice(0, 20)
    .map(summarizeDiagnostic);
}

export function summarizeDiagnostic(diagnostic: vscode.Diagnostic): DiagnosticSummary {
  const code = typeof diagnostic.code === 'object' ? diagnostic.code.value : diagnostic.code;
  return {
    line: diagnostic.range.start.line + 1,
    severity: SEVERITY[diagnostic.severity],
    message: diagnostic.message,
    ...(diagnostic.source ? { source: diagnostic.source } : {}),
    ...(code !== undefined ? { code: String(code) } : {}),
  };
}

const SEVERITY: Record<vscode.DiagnosticSeverity, DiagnosticSummary['severity']> = {
  [vscode.DiagnosticSeverity.Error]: 'error',
  [vscode.DiagnosticSeverity.Warning]: 'warning',
  [vscode.DiagnosticSeverity.Information]: 'information',
  [vscode.DiagnosticSeverity.Hint]: 'hint',
};

export async function fileExcerpt(uri: vscode.Uri, maxCharacters: number): Promise<FileExcerpt> {
  const document = await vscode.workspace.openTextDocument(uri);
  const text = document.getText();
  return {
    path: displayPath(uri),
    languageId: document.languageId,
    text: text.length > maxCharacters ? text.slice(0, maxCharacters) : text,
    ...(text.length > maxCharacters ? { totalCharacters: text.length } : {}),
  };
}
