/**
 * Prompt-size estimates for truncation and token budgets, with o200k_base (the encoding of the
 * current OpenAI models). Counts of stored messages are cached: a long thread is tokenized once,
 * not once per run. Counting goes piece by piece (pieceCounts.ts): a tool output holding one long
 * run of letters (a minified name, a data dump) is counted in slices, a slight over-count, where
 * the encoder's own count is quadratic in the run (10 s for 100k letters, on the extension host's thread).
 */
import { countTextTokens as countTokens } from '../tokens/pieceCounts.ts';
import type { ModelMessage, ModelTool } from '../ports/modelBackend.ts';

/** Per-message framing the chat formats add around content (role markers, separators). */
const MESSAGE_OVERHEAD = 4;
const CACHE_LIMIT = 20_000;

const cache = new Map<string, number>();

export function countText(text: string): number {
  if (text.length === 0) return 0;
  const cached = cache.get(text);
  if (cached !== undefined) return cached;
  const count = countTokens(text);
  // Short strings are cheap to recount; caching them would only churn the map.
  if (text.length > 64) {
    if (cache.size >= CACHE_LIMIT) cache.delete(cache.keys().next().value as string);
    cache.set(text, count);
  }
  return count;
}

export function countMessage(message: ModelMessage): number {
  if (message.role === 'tool') return MESSAGE_OVERHEAD + countText(message.content);
  if (message.role === 'assistant') {
    const calls = message.toolCalls ?? [];
    return MESSAGE_OVERHEAD + countText(message.content) + calls.reduce((sum, call) => sum + countText(call.name) + countText(call.arguments) + MESSAGE_OVERHEAD, 0);
  }
  if (typeof message.content === 'string') return MESSAGE_OVERHEAD + countText(message.content);
  // Images are billed by the provider by size; 85 tokens is the low-detail figure.
  return MESSAGE_OVERHEAD + message.content.reduce((sum, part) => sum + (part.type === 'text' ? countText(part.text) : 85), 0);
}

export function countTools(tools: ModelTool[]): number {
  return tools.reduce((sum, tool) => sum + countText(tool.name) + countText(tool.description ?? '') + countText(JSON.stringify(tool.parameters)), 0);
}
