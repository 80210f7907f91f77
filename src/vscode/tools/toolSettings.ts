/**
 * Reads the `threadwork.tools.*` settings (declared in toolContributions.ts) into the plain values
 * the engine takes. Per-tool decisions count only where the user actually set them: an untouched
 * setting must not override an "Always allow" the user chose in an approval prompt.
 */
import * as vscode from 'vscode';
import type { Decision } from '../../engine/tools/policy/policyRules.ts';
import { DEFAULT_TOOL_DECISIONS } from '../../engine/tools/policy/policyRules.ts';
import { effectiveDecision } from './workspacePolicyStore.ts';
import type { ToolsConfig } from '../../engine/tools/toolsConfig.ts';
import { DEFAULT_TOOLS_CONFIG } from '../../engine/tools/toolsConfig.ts';
import { APPROVAL_PREFIX, TOOL_NAMES, TOOLS_SECTION } from './toolContributions.ts';

export interface ToolSettings {
  enabled: boolean;
  /** Tools whose approval setting the user set explicitly (any scope). */
  explicitDecisions: Record<string, Decision>;
  config: Partial<ToolsConfig>;
  maxToolCallsPerRun: number;
}

export function readToolSettings(): ToolSettings {
  const section = vscode.workspace.getConfiguration(TOOLS_SECTION);
  const explicitDecisions: Record<string, Decision> = {};
  for (const tool of TOOL_NAMES) {
    const inspected = section.inspect<string>(`${APPROVAL_PREFIX.slice(TOOLS_SECTION.length + 1)}${tool}`);
    const decision = effectiveDecision(inspected, DEFAULT_TOOL_DECISIONS[tool] ?? 'ask');
    if (decision) explicitDecisions[tool] = decision;
  }
  const testCommand = section.get<string>('testCommand', '').trim();
  const timeoutSeconds = clamp(section.get<number>('commandTimeoutSeconds', DEFAULT_TOOLS_CONFIG.commandTimeoutMs / 1000), 1, DEFAULT_TOOLS_CONFIG.maxCommandTimeoutMs / 1000);
  return {
    enabled: section.get<boolean>('enabled', true),
    explicitDecisions,
    config: {
      ...(testCommand ? { testCommand } : {}),
      commandTimeoutMs: timeoutSeconds * 1000,
      useRipgrep: section.get<boolean>('useRipgrep', true),
    },
    maxToolCallsPerRun: clamp(section.get<number>('maxToolCallsPerRun', 60), 1, 1000),
  };
}

export function onDidChangeToolSettings(listener: () => void): vscode.Disposable {
  return vscode.workspace.onDidChangeConfiguration((event) => {
    if (event.affectsConfiguration(TOOLS_SECTION)) listener();
  });
}

function clamp(value: number, low: number, high: number): number {
  return Number.isFinite(value) ? Math.min(high, Math.max(low, Math.round(value))) : low;
}
