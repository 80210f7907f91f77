/**
 * What only an editor can answer: language-server symbols, diagnostics, the selection and the open
 * editors. The VS Code adapter implements it (executeWorkspaceSymbolProvider, languages.getDiagnostics,
 * window.activeTextEditor, window.tabGroups). The CLI and the server have no editor, so the tools
 * built on it are simply not registered there. All paths are absolute; the engine turns them into
 * workspace-relative paths and drops anything outside the workspace.
 */

export type DiagnosticSeverity = 'error' | 'warning' | 'information' | 'hint';

export interface SymbolInfo {
  name: string;
  /** vscode.SymbolKind name in lower case: "function", "class", "method"… */
  kind: string;
  path: string;
  /** 1-based. */
  line: number;
  containerName?: string;
}

export interface DiagnosticInfo {
  path: string;
  /** 1-based. */
  line: number;
  /** 1-based. */
  column: number;
  severity: DiagnosticSeverity;
  message: string;
  source?: string;
  code?: string;
}

export interface SelectionInfo {
  path: string;
  languageId: string;
  /** 1-based, inclusive. */
  startLine: number;
  endLine: number;
  /** The selected text; empty when the cursor selects nothing. */
  text: string;
}

export interface OpenEditorInfo {
  path: string;
  languageId: string;
  isActive: boolean;
  isDirty: boolean;
}

export interface EditorContext {
  /** Workspace symbols matching `query` (the language servers' fuzzy match), at most `limit`. */
  findSymbols(query: string, limit: number, signal: AbortSignal): Promise<SymbolInfo[]>;
  /** Diagnostics for one file (absolute path) or, when undefined, for every file that has any. */
  getDiagnostics(path: string | undefined): Promise<DiagnosticInfo[]>;
  /** The active editor's selection, or undefined when no text editor is active. */
  getSelection(): Promise<SelectionInfo | undefined>;
  /** Text editors open in any tab group. */
  openEditors(): Promise<OpenEditorInfo[]>;
}
