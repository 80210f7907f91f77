/**
 * How to reach a model server and how patient to be with it, shared by every backend here.
 * The SDK's own retries are off (`maxRetries: 0`): retrying is our policy, because only we know
 * whether output has already reached the user.
 */
import type OpenAI from 'openai';
import { openAISdk } from './openaiSdk.ts';

export interface ProviderSettings {
  baseURL: string;
  /** Omitted for local servers that take no key; no Authorization header is sent then. */
  apiKey?: string;
  headers?: Record<string, string>;
  /** Whole-call limit, retries included (default 10 minutes). */
  timeoutMs?: number;
  /** Longest silence tolerated while waiting for the next chunk (default 60 s). */
  idleTimeoutMs?: number;
  /** Attempts in all, the first included (default 4). */
  maxAttempts?: number;
  /** First retry waits about this long, doubling each time (default 500 ms). */
  retryBaseDelayMs?: number;
}

export interface ResolvedProviderSettings {
  baseURL: string;
  apiKey: string | undefined;
  headers: Record<string, string>;
  timeoutMs: number;
  idleTimeoutMs: number;
  maxAttempts: number;
  retryBaseDelayMs: number;
}

export const DEFAULT_TIMEOUT_MS = 10 * 60_000;
export const DEFAULT_IDLE_TIMEOUT_MS = 60_000;
export const DEFAULT_MAX_ATTEMPTS = 4;
export const DEFAULT_RETRY_BASE_DELAY_MS = 500;

function positive(value: number | undefined, fallback: number): number {
  return value !== undefined && Number.isFinite(value) && value > 0 ? value : fallback;
}

export function resolveProviderSettings(settings: ProviderSettings): ResolvedProviderSettings {
  return {
    baseURL: settings.baseURL.replace(/\/+$/, ''),
    apiKey: settings.apiKey === '' ? undefined : settings.apiKey,
    headers: { ...settings.headers },
    timeoutMs: positive(settings.timeoutMs, DEFAULT_TIMEOUT_MS),
    idleTimeoutMs: positive(settings.idleTimeoutMs, DEFAULT_IDLE_TIMEOUT_MS),
    maxAttempts: Math.floor(positive(settings.maxAttempts, DEFAULT_MAX_ATTEMPTS)),
    retryBaseDelayMs: settings.retryBaseDelayMs !== undefined && settings.retryBaseDelayMs >= 0 ? settings.retryBaseDelayMs : DEFAULT_RETRY_BASE_DELAY_MS,
  };
}

// The SDK insists on a credential; keyless local servers get a placeholder that is never sent.
const NO_KEY_PLACEHOLDER = 'threadwork-no-api-key';

/** A client for the server; the first one loads the SDK (see ./openaiSdk.ts). */
export function createOpenAIClient(settings: ResolvedProviderSettings): OpenAI {
  const { OpenAI: Client } = openAISdk();
  return new Client({
    baseURL: settings.baseURL,
    apiKey: settings.apiKey ?? NO_KEY_PLACEHOLDER,
    // A null header value removes the SDK's Authorization header for keyless servers.
    defaultHeaders: settings.apiKey === undefined ? { ...settings.headers, Authorization: null } : settings.headers,
    maxRetries: 0,
    timeout: settings.timeoutMs,
    // Never pick up an organization/project from the environment for a server that is not OpenAI's.
    organization: null,
    project: null,
    // Failures reach the user as ModelErrors; the SDK's own console logging would only be noise.
    logLevel: 'off',
  });
}
