/**
 * What an endpoint and model can do, found by asking: a tiny Chat Completions call and a tiny
 * Responses call (which API answers), one call offering a tool (is it refused, called, and are its
 * arguments streamed in pieces), and the model's context window from the server's model list or
 * OpenAI's published figures. The result decides which API runs use and whether runs get tools: a
 * server that refuses tools still chats, with tools off and the reason kept for the user.
 */
import type { ModelBackend, ModelEvent, ModelRequest } from '../engine/ports/modelBackend.ts';
import { ModelError } from '../engine/ports/modelBackend.ts';
import { createModelBackend, type ModelApiKind } from './createModelBackend.ts';
import { knownContextWindow, reportedContextWindow } from './contextWindows.ts';

export type ToolSupport = 'supported' | 'refused' | 'unverified';

export interface EndpointCapabilities {
  baseUrl: string;
  model: string;
  /** The API runs should use. */
  api: ModelApiKind;
  chatCompletions: boolean;
  responses: boolean;
  /** `refused`: the server rejected a request offering tools; `unverified`: accepted, but the model did not call one. */
  toolCalls: ToolSupport;
  /** True when a tool call's arguments arrived in more than one piece; null when no call was seen. */
  streamedToolArguments: boolean | null;
  /** Tokens, or null when neither the server nor our table knows. */
  contextWindow: number | null;
  /** Sentences for the user: why tools are off, which API failed and how. */
  notes: string[];
  /** Unix milliseconds. */
  probedAt: number;
}

export interface ProbeTarget {
  baseUrl: string;
  model: string;
  apiKey?: string;
  /** Per call (default 20 s: a local server may load the model on first use). */
  timeoutMs?: number;
}

const PROBE_TOOL = 'report_probe_word';

function plainRequest(model: string): ModelRequest {
  return {
    model,
    instructions: 'You are being tested for connectivity. Reply with the single word: ready',
    messages: [{ role: 'user', content: 'Say ready.' }],
    tools: [],
    toolChoice: 'none',
    parallelToolCalls: false,
    maxOutputTokens: 16,
  };
}

function toolRequest(model: string, toolChoice: ModelRequest['toolChoice']): ModelRequest {
  return {
    model,
    instructions: `Call the function ${PROBE_TOOL} with the word "ready". Do not answer in text.`,
    messages: [{ role: 'user', content: `Call ${PROBE_TOOL} now.` }],
    tools: [{
      name: PROBE_TOOL,
      description: 'Reports one word back to the caller.',
      parameters: { type: 'object', properties: { word: { type: 'string', description: 'The word to report.' } }, required: ['word'], additionalProperties: false },
    }],
    toolChoice,
    parallelToolCalls: false,
    maxOutputTokens: 64,
  };
}

interface CallOutcome {
  ok: boolean;
  error: ModelError | Error | undefined;
  events: ModelEvent[];
}

async function call(backend: ModelBackend, request: ModelRequest, signal: AbortSignal): Promise<CallOutcome> {
  const events: ModelEvent[] = [];
  try {
    for await (const event of backend.stream(request, signal)) events.push(event);
    return { ok: true, error: undefined, events };
  } catch (error) {
    if (signal.aborted) throw error;
    return { ok: false, error: error instanceof Error ? error : new Error(String(error)), events };
  }
}

function isOpenAI(baseUrl: string): boolean {
  try {
    return new URL(baseUrl).hostname === 'api.openai.com';
  } catch {
    return false;
  }
}

/** Servers say "does not support tools", "tools are not supported", "tool_choice … not supported", … */
const TOOL_REFUSAL = /tool|function/i;

export async function probeEndpoint(target: ProbeTarget, signal: AbortSignal = new AbortController().signal): Promise<EndpointCapabilities> {
  const settings = { baseURL: target.baseUrl, ...(target.apiKey ? { apiKey: target.apiKey } : {}), timeoutMs: target.timeoutMs ?? 20_000, idleTimeoutMs: target.timeoutMs ?? 20_000, maxAttempts: 1 };
  const backends: Record<ModelApiKind, ModelBackend> = {
    'chat-completions': createModelBackend({ kind: 'chat-completions', ...settings }),
    responses: createModelBackend({ kind: 'responses', ...settings }),
  };
  const notes: string[] = [];
  const [chat, responses] = await Promise.all([call(backends['chat-completions'], plainRequest(target.model), signal), call(backends.responses, plainRequest(target.model), signal)]);
  if (!chat.ok && !responses.ok) {
    throw chat.error instanceof ModelError ? chat.error : new ModelError('server_error', `Neither Chat Completions nor Responses answered at ${target.baseUrl}: ${chat.error?.message ?? 'no answer'}`);
  }
  if (!responses.ok) notes.push(`The Responses API is not available here (${shorten(responses.error?.message)}); runs use Chat Completions.`);
  if (!chat.ok) notes.push(`Chat Completions is not available here (${shorten(chat.error?.message)}); runs use the Responses API.`);
  const api: ModelApiKind = responses.ok && (isOpenAI(target.baseUrl) || !chat.ok) ? 'responses' : 'chat-completions';

  let tools = await call(backends[api], toolRequest(target.model, 'required'), signal);
  // Some servers take tools but not a forced choice: ask again, letting the model decide.
  if (!tools.ok && !TOOL_REFUSAL.test(tools.error?.message ?? '')) tools = await call(backends[api], toolRequest(target.model, 'auto'), signal);
  let toolCalls: ToolSupport;
  let streamedToolArguments: boolean | null = null;
  if (!tools.ok) {
    toolCalls = 'refused';
    notes.push(`This model does not take tool calls here (${shorten(tools.error?.message)}), so Threadwork runs it without workspace tools: it chats, but cannot read or change files itself.`);
  } else if (tools.events.some((event) => event.type === 'toolCallStart')) {
    toolCalls = 'supported';
    streamedToolArguments = tools.events.filter((event) => event.type === 'toolCallArguments').length > 1;
  } else {
    toolCalls = 'unverified';
    notes.push('The server accepted tools, but the model answered in text when asked to call one; tools stay on, and it may ignore them.');
  }

  const contextWindow = (await reportedContextWindow(target, signal).catch(() => null)) ?? knownContextWindow(target.model);
  return { baseUrl: target.baseUrl, model: target.model, api, chatCompletions: chat.ok, responses: responses.ok, toolCalls, streamedToolArguments, contextWindow, notes, probedAt: Date.now() };
}

function shorten(message: string | undefined): string {
  const text = (message ?? 'no answer').replace(/\s+/g, ' ').trim();
  return text.length > 160 ? `${text.slice(0, 157)}…` : text;
}
