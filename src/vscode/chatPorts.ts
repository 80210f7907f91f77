/**
 * What the chat controller needs from VS Code, stated as small interfaces so the controller itself
 * stays free of `vscode` and runs in plain Node tests against a real engine.
 */
import type { ToolDefinition } from '../engine/types/tools.ts';
import type { ProviderStatus } from '../protocol/chatModel.ts';

export interface ProviderPort {
  status(): ProviderStatus;
  /** Resolves once the API key has been read from SecretStorage (the first read is asynchronous). */
  whenReady(): Promise<void>;
  onDidChange(listener: () => void): () => void;
}

export interface EditorPort {
  /** Inserts at the active editor's cursor (replacing its selection). */
  insertCode(code: string, language: string | null): Promise<{ inserted: boolean; reason?: string }>;
  /** Opens an http(s) link outside the editor. */
  openLink(href: string): Promise<boolean>;
  configureProvider(action: 'setApiKey' | 'openSettings'): Promise<void>;
}

/** The workspace tools (src/vscode/tools/): what the built-in assistant's runs get, and "View diff". */
export interface WorkspaceToolsPort {
  runTools(): ToolDefinition[];
  /** Opens the side-by-side diff of a waiting approval; false when there is none to show. */
  viewDiff(approvalId: string): Promise<boolean>;
}

/** Small choices remembered between sessions (VS Code's globalState). */
export interface ChatMemory {
  get(key: 'lastThreadId' | 'selectedAssistantId'): string | undefined;
  set(key: 'lastThreadId' | 'selectedAssistantId', value: string | undefined): Promise<void>;
}
