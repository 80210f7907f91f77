/**
 * Turns a ScriptedReply into the wire-neutral facts both writers need (pieces, ids, token counts),
 * so the chat and responses writers agree on what one reply means.
 */
import type { ScriptedFinishReason, ScriptedReply } from './types.ts';

export interface PlannedToolCall {
  /** Position among this reply's tool calls. */
  index: number;
  callId: string;
  name: string;
  arguments: string;
  argumentPieces: string[];
}

export interface ReplyPlan {
  model: string;
  text: string;
  textPieces: string[];
  toolCalls: PlannedToolCall[];
  finishReason: ScriptedFinishReason;
  promptTokens: number;
  completionTokens: number;
  createdAt: number;
  /** The reasoning item the reply starts with (Responses only; set by the router, which issues it). */
  reasoningItem: Record<string, unknown> | null;
}

const DEFAULT_TEXT_CHUNK = 4;
const DEFAULT_ARGUMENT_CHUNK = 8;

export function splitIntoPieces(text: string, size: number): string[] {
  const step = Math.max(1, Math.floor(size));
  const pieces: string[] = [];
  // Split by code point so multi-byte characters never straddle two deltas.
  const chars = Array.from(text);
  for (let start = 0; start < chars.length; start += step) pieces.push(chars.slice(start, start + step).join(''));
  return pieces;
}

/** A crude, deterministic token estimate (≈4 characters a token) for replies without scripted usage. */
export function estimateTokens(text: string): number {
  return Math.max(1, Math.ceil(text.length / 4));
}

export function planReply(reply: ScriptedReply, requestBody: Record<string, unknown>, sequence: number): ReplyPlan {
  const text = reply.text ?? '';
  const toolCalls = (reply.toolCalls ?? []).map((call, index): PlannedToolCall => {
    const args = typeof call.arguments === 'string' ? call.arguments : JSON.stringify(call.arguments);
    return {
      index,
      callId: call.id ?? `call_${sequence}_${index}`,
      name: call.name,
      arguments: args,
      argumentPieces: splitIntoPieces(args, reply.argumentsChunkSize ?? DEFAULT_ARGUMENT_CHUNK),
    };
  });
  const promptSource = JSON.stringify(requestBody.messages ?? requestBody.input ?? '') + String(requestBody.instructions ?? '');
  const completionSource = text + toolCalls.map((call) => call.name + call.arguments).join('');
  return {
    model: typeof requestBody.model === 'string' ? requestBody.model : 'scripted-model',
    text,
    textPieces: splitIntoPieces(text, reply.chunkSize ?? DEFAULT_TEXT_CHUNK),
    toolCalls,
    finishReason: reply.finishReason ?? (toolCalls.length > 0 ? 'tool_calls' : 'stop'),
    promptTokens: reply.usage?.promptTokens ?? estimateTokens(promptSource),
    completionTokens: reply.usage?.completionTokens ?? estimateTokens(completionSource),
    createdAt: Math.floor(Date.now() / 1000),
    reasoningItem: null,
  };
}
