/**
 * The model ids a server offers (`GET /models`): how a local server (Ollama, LM Studio, vLLM,
 * llama.cpp) is recognised and its models offered for choice. Quick to give up by default, since
 * "nothing is listening there" is a normal answer during detection.
 */
import { createOpenAIClient, resolveProviderSettings } from './providerSettings.ts';
import type { ProviderSettings } from './providerSettings.ts';
import { retryPolicy, withRetries } from './retryPolicy.ts';

const DETECTION_TIMEOUT_MS = 10_000;

export async function listModels(settings: ProviderSettings, signal: AbortSignal = new AbortController().signal): Promise<string[]> {
  const resolved = resolveProviderSettings({
    ...settings,
    timeoutMs: settings.timeoutMs ?? DETECTION_TIMEOUT_MS,
    maxAttempts: settings.maxAttempts ?? 1,
  });
  const client = createOpenAIClient(resolved);
  const policy = retryPolicy({ maxAttempts: resolved.maxAttempts, baseDelayMs: resolved.retryBaseDelayMs });
  return withRetries(policy, signal, resolved.baseURL, async () => {
    const ids: string[] = [];
    for await (const model of client.models.list({ signal, timeout: resolved.timeoutMs, maxRetries: 0 })) {
      if (typeof model.id === 'string') ids.push(model.id);
    }
    return ids;
  });
}
