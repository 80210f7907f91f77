/**
 * How many tokens a model takes: from what the server says in its model list where it says it
 * (vLLM `max_model_len`, llama.cpp `meta.n_ctx_train`, LM Studio and OpenRouter `context_length`,
 * others `context_window`), else from OpenAI's published windows, else unknown (the user can set
 * `threadwork.provider.contextWindows`).
 */

/** OpenAI's published context windows, longest matching prefix wins. */
const KNOWN_WINDOWS: ReadonlyArray<[prefix: string, tokens: number]> = [
  ['gpt-5', 400_000],
  ['gpt-4.1', 1_047_576],
  ['gpt-4o', 128_000],
  ['gpt-4-turbo', 128_000],
  ['o4-mini', 200_000],
  ['o3', 200_000],
  ['o1', 200_000],
  ['gpt-3.5-turbo', 16_385],
];

export function knownContextWindow(model: string): number | null {
  const match = KNOWN_WINDOWS.filter(([prefix]) => model === prefix || model.startsWith(`${prefix}-`)).sort((a, b) => b[0].length - a[0].length)[0];
  return match ? match[1] : null;
}

/** The window an entry of `GET /models` reports, if it reports one. */
export function windowFromModelEntry(entry: unknown): number | null {
  if (typeof entry !== 'object' || entry === null) return null;
  const record = entry as Record<string, unknown>;
  const meta = typeof record['meta'] === 'object' && record['meta'] !== null ? (record['meta'] as Record<string, unknown>) : {};
  for (const value of [record['max_model_len'], record['context_length'], record['context_window'], record['max_context_length'], meta['n_ctx'], meta['n_ctx_train']]) {
    if (typeof value === 'number' && Number.isInteger(value) && value >= 512) return value;
  }
  return null;
}

export async function reportedContextWindow(target: { baseUrl: string; model: string; apiKey?: string; timeoutMs?: number }, signal: AbortSignal): Promise<number | null> {
  const response = await fetch(`${target.baseUrl.replace(/\/+$/, '')}/models`, {
    headers: target.apiKey ? { Authorization: `Bearer ${target.apiKey}` } : {},
    signal: AbortSignal.any([signal, AbortSignal.timeout(target.timeoutMs ?? 10_000)]),
  });
  if (!response.ok) {
    await response.body?.cancel();
    return null;
  }
  const body = (await response.json()) as { data?: unknown };
  const entries = Array.isArray(body.data) ? body.data : [];
  const entry = entries.find((candidate) => typeof candidate === 'object' && candidate !== null && (candidate as { id?: unknown }).id === target.model);
  return windowFromModelEntry(entry);
}
