/**
 * What a run cost, from the token counts the provider reported (run.usage) and a price table the
 * user can edit (`threadwork.usage.prices`). Estimates are never priced: a run whose provider
 * reported nothing shows "not reported", not a guess. No `vscode` import.
 */
import type { Usage } from '../../engine/types/common.ts';

/** US dollars per million tokens. */
export interface ModelPrice {
  input: number;
  output: number;
}

export type PriceTable = Readonly<Record<string, ModelPrice>>;

/**
 * OpenAI's list prices per million tokens (standard tier, text) when this table was written; the
 * setting's default, so users correct or extend it in their settings rather than waiting for us.
 */
export const DEFAULT_PRICES: PriceTable = {
  'gpt-5': { input: 1.25, output: 10 },
  'gpt-5-mini': { input: 0.25, output: 2 },
  'gpt-5-nano': { input: 0.05, output: 0.4 },
  'gpt-4.1': { input: 2, output: 8 },
  'gpt-4.1-mini': { input: 0.4, output: 1.6 },
  'gpt-4.1-nano': { input: 0.1, output: 0.4 },
  'gpt-4o': { input: 2.5, output: 10 },
  'gpt-4o-mini': { input: 0.15, output: 0.6 },
  o3: { input: 2, output: 8 },
  'o4-mini': { input: 1.1, output: 4.4 },
};

/**
 * The price for a model name: an exact entry first, then the longest entry the name starts with
 * followed by a dash (dated snapshots such as `gpt-4.1-mini-2025-04-14` use their family's price).
 */
export function priceFor(model: string, prices: PriceTable): ModelPrice | undefined {
  const exact = prices[model];
  if (exact) return exact;
  const family = Object.keys(prices)
    .filter((name) => model.startsWith(`${name}-`) && /^\d{4}-\d{2}-\d{2}$/.test(model.slice(name.length + 1)))
    .sort((a, b) => b.length - a.length)[0];
  return family ? prices[family] : undefined;
}

/** Dollars, or undefined when the model has no price or the provider reported no usage. */
export function runCost(model: string, usage: Usage | null, prices: PriceTable): number | undefined {
  const price = priceFor(model, prices);
  if (!price || !usage) return undefined;
  return (usage.prompt_tokens * price.input + usage.completion_tokens * price.output) / 1_000_000;
}

export function formatCost(dollars: number | undefined): string {
  if (dollars === undefined) return 'no price';
  if (dollars === 0) return '$0';
  if (dollars < 0.01) return `$${dollars.toFixed(4)}`;
  return `$${dollars.toFixed(2)}`;
}

export function formatTokens(count: number): string {
  if (count < 1000) return String(count);
  if (count < 100_000) return `${(count / 1000).toFixed(1)}k`;
  if (count < 1_000_000) return `${Math.round(count / 1000)}k`;
  return `${(count / 1_000_000).toFixed(2)}M`;
}

/** Reads a user-edited table, keeping only entries with two non-negative numbers. */
export function parsePriceTable(value: unknown): Record<string, ModelPrice> {
  const table: Record<string, ModelPrice> = {};
  if (typeof value !== 'object' || value === null) return table;
  for (const [model, entry] of Object.entries(value as Record<string, unknown>)) {
    const { input, output } = (entry ?? {}) as { input?: unknown; output?: unknown };
    if (typeof input === 'number' && typeof output === 'number' && input >= 0 && output >= 0) table[model] = { input, output };
  }
  return table;
}
