/**
 * Typed reads of the settings declared in setupSettings.ts: a value the user mistyped falls back
 * to the default instead of reaching the code that uses it.
 */
import * as vscode from 'vscode';
import { parsePriceTable, type PriceTable } from '../usage/runCost.ts';
import { SETUP_SETTINGS, type LocalServerEntry, type SetupSettingKey, type SetupSettingValues } from './setupSettings.ts';

export function readSetting<K extends SetupSettingKey>(key: K): SetupSettingValues[K] {
  const dot = key.lastIndexOf('.');
  const value = vscode.workspace.getConfiguration(key.slice(0, dot)).get<unknown>(key.slice(dot + 1));
  return (isValid(key, value) ? value : SETUP_SETTINGS[key].default) as SetupSettingValues[K];
}

function isValid(key: SetupSettingKey, value: unknown): boolean {
  const schema = SETUP_SETTINGS[key];
  if (value === undefined || value === null) return false;
  if (schema.type === 'array') return Array.isArray(value);
  if (schema.type === 'object') return typeof value === 'object' && !Array.isArray(value);
  if (schema.type === 'integer') return Number.isInteger(value) && (schema.minimum === undefined || (value as number) >= schema.minimum) && (schema.maximum === undefined || (value as number) <= schema.maximum);
  if (schema.type === 'string') return typeof value === 'string' && (!schema.enum || schema.enum.includes(value));
  return typeof value === schema.type;
}

export function localServers(): LocalServerEntry[] {
  return readSetting('threadwork.provider.localServers').filter((entry): entry is LocalServerEntry => typeof entry?.name === 'string' && typeof entry.baseUrl === 'string' && /^https?:\/\//i.test(entry.baseUrl));
}

export function prices(): PriceTable {
  return parsePriceTable(readSetting('threadwork.usage.prices'));
}

export function contextWindowOverrides(): Record<string, number> {
  const table = readSetting('threadwork.provider.contextWindows');
  return Object.fromEntries(Object.entries(table).filter(([, tokens]) => Number.isInteger(tokens) && tokens > 0));
}

export function onDidChangeSettings(prefixes: readonly string[], listener: () => void): vscode.Disposable {
  return vscode.workspace.onDidChangeConfiguration((event) => {
    if (prefixes.some((prefix) => event.affectsConfiguration(prefix))) listener();
  });
}
