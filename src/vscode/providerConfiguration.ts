/**
 * The provider settings, each declared once: the key, its type and default. The same keys appear in
 * package.json's `contributes.configuration`, where their descriptions live.
 */
import * as vscode from 'vscode';
import type { ProviderKind } from '../protocol/chatModel.ts';
import { PROVIDER_SECTION } from './chatIds.ts';

export { PROVIDER_SECTION };

export interface ProviderSettingsValues {
  kind: ProviderKind;
  baseUrl: string;
  model: string;
}

const DEFAULTS: ProviderSettingsValues = { kind: 'responses', baseUrl: 'https://api.openai.com/v1', model: '' };
const KINDS: readonly ProviderKind[] = ['responses', 'chat-completions', 'vscode-lm'];

export function readProviderSettings(): ProviderSettingsValues {
  const section = vscode.workspace.getConfiguration(PROVIDER_SECTION);
  const kind = section.get<string>('kind', DEFAULTS.kind);
  return {
    kind: KINDS.includes(kind as ProviderKind) ? (kind as ProviderKind) : DEFAULTS.kind,
    baseUrl: section.get<string>('baseUrl', DEFAULTS.baseUrl).trim(),
    model: section.get<string>('model', DEFAULTS.model).trim(),
  };
}

export function onDidChangeProviderSettings(listener: () => void): vscode.Disposable {
  return vscode.workspace.onDidChangeConfiguration((event) => {
    if (event.affectsConfiguration(PROVIDER_SECTION)) listener();
  });
}
