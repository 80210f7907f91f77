/**
 * What went wrong, in words a user can act on: every failure of a model call ends here as a
 * ModelError whose code becomes the run's `last_error.code`, or as an AbortError when the caller
 * cancelled (so the engine can tell a cancel from a failure).
 */
import type { APIConnectionError, APIError, APIUserAbortError } from 'openai';
import { ModelError } from '../engine/ports/modelBackend.ts';
import type { ModelErrorCode } from '../engine/ports/modelBackend.ts';
import { loadedOpenAISdk } from './openaiSdk.ts';

export interface FailureContext {
  baseURL: string;
  /** Attempts made, the failing one included. */
  attempts: number;
  /** True once some output of this call had already been handed to the caller. */
  afterOutput: boolean;
}

/** The error a cancelled call ends with: an Error named AbortError, carrying the signal's reason. */
export function abortError(signal: AbortSignal): Error {
  const error = new Error('The model request was cancelled.', { cause: signal.reason });
  error.name = 'AbortError';
  return error;
}

export function isAbortError(error: unknown): boolean {
  return error instanceof Error && error.name === 'AbortError';
}

// The SDK's error classes, checked without loading the SDK: only a loaded SDK can have thrown one.
/** `error` as an error the SDK raised (a status, a streamed error, a connection failure…), else undefined. */
export function asAPIError(error: unknown): APIError | undefined {
  const sdk = loadedOpenAISdk();
  return sdk && error instanceof sdk.APIError ? error : undefined;
}

function isConnectionError(error: unknown): error is APIConnectionError {
  const sdk = loadedOpenAISdk();
  return sdk !== undefined && error instanceof sdk.APIConnectionError;
}

function isUserAbortError(error: unknown): error is APIUserAbortError {
  const sdk = loadedOpenAISdk();
  return sdk !== undefined && error instanceof sdk.APIUserAbortError;
}

/** Codes and wordings with which servers reject a prompt itself rather than the request. */
const PROMPT_CODES = new Set([
  'context_length_exceeded',
  'string_above_max_length',
  'content_policy_violation',
  'content_filter',
  'invalid_prompt',
  'prompt_too_long',
]);
const PROMPT_WORDING = /context (length|window)|maximum context|too many tokens|prompt is too long|input is too long|content (management )?policy|content filter|flagged|safety system/i;

function serverMessage(error: APIError): string {
  const body = error.error as { message?: unknown } | undefined;
  if (body && typeof body.message === 'string' && body.message !== '') return body.message;
  return error.message;
}

function attemptsNote(context: FailureContext): string {
  return context.attempts > 1 ? ` (gave up after ${context.attempts} attempts)` : '';
}

function codeFromBody(error: APIError): ModelErrorCode | undefined {
  const code = typeof error.code === 'string' ? error.code : undefined;
  if (code === 'rate_limit_exceeded' || code === 'insufficient_quota') return 'rate_limit_exceeded';
  if (code && PROMPT_CODES.has(code)) return 'invalid_prompt';
  return undefined;
}

function fromStatus(error: APIError, context: FailureContext): ModelError {
  const status = error.status as number;
  const message = serverMessage(error);
  if (status === 429) {
    const quota = error.code === 'insufficient_quota';
    const advice = quota ? 'The account has run out of quota; check its plan and billing.' : 'Wait a little and try again, or lower the request rate.';
    return new ModelError('rate_limit_exceeded', `The model server is rate limiting requests${attemptsNote(context)}: ${message} ${advice}`, status);
  }
  if (status === 401 || status === 403) {
    return new ModelError('server_error', `The model server at ${context.baseURL} refused the credentials (HTTP ${status}): ${message} Check the API key.`, status);
  }
  if (status === 404) {
    return new ModelError('server_error', `The model server at ${context.baseURL} answered 404: ${message} Check the base URL and the model name.`, status);
  }
  if (status >= 400 && status < 500 && (codeFromBody(error) === 'invalid_prompt' || PROMPT_WORDING.test(message))) {
    return new ModelError('invalid_prompt', `The model server rejected the prompt: ${message}`, status);
  }
  if (status >= 500) {
    return new ModelError('server_error', `The model server failed with HTTP ${status}${attemptsNote(context)}: ${message}`, status);
  }
  return new ModelError('server_error', `The model server rejected the request (HTTP ${status}): ${message}`, status);
}

/** An error the server reported inside the stream (an `error` event): no HTTP status to go by. */
function fromStreamedError(error: APIError, context: FailureContext): ModelError {
  const code = codeFromBody(error) ?? 'server_error';
  const during = context.afterOutput ? ' in the middle of the response' : '';
  return new ModelError(code, `The model server reported an error${during}: ${serverMessage(error)}`);
}

function connectionDetail(error: unknown): string {
  const cause = error instanceof Error ? error.cause : undefined;
  const code = cause && typeof cause === 'object' && 'code' in cause ? String((cause as { code: unknown }).code) : undefined;
  const message = cause instanceof Error ? cause.message : error instanceof Error ? error.message : String(error);
  return code && !message.includes(code) ? `${message} (${code})` : message;
}

/** Failures worth another attempt when nothing has been shown yet: rate limits, outages, broken connections. */
export function isTransientFailure(error: unknown): boolean {
  if (isUserAbortError(error) || isAbortError(error)) return false;
  if (isConnectionError(error)) return true;
  const apiError = asAPIError(error);
  if (apiError) {
    const status = apiError.status;
    if (status === undefined) return false;
    if (status === 429) return apiError.code !== 'insufficient_quota';
    return status === 408 || status === 409 || status >= 500;
  }
  // A response body cut off by the network surfaces as undici's TypeError ('terminated', 'fetch failed').
  return error instanceof TypeError;
}

export function toModelError(error: unknown, context: FailureContext): ModelError {
  if (error instanceof ModelError) return error;
  if (isConnectionError(error)) {
    return new ModelError(
      'server_error',
      `Could not reach the model server at ${context.baseURL}${attemptsNote(context)}: ${connectionDetail(error)}`,
    );
  }
  const apiError = asAPIError(error);
  if (apiError) return apiError.status === undefined ? fromStreamedError(apiError, context) : fromStatus(apiError, context);
  if (error instanceof SyntaxError) {
    return new ModelError('server_error', 'The model server sent a stream chunk that is not valid JSON, so the response was stopped.');
  }
  if (error instanceof TypeError) {
    const where = context.afterOutput ? 'while the response was streaming' : 'before the response started';
    return new ModelError('server_error', `The connection to the model server was lost ${where}${attemptsNote(context)}: ${connectionDetail(error)}`);
  }
  const message = error instanceof Error ? error.message : String(error);
  return new ModelError('server_error', `The model call failed: ${message}`);
}
