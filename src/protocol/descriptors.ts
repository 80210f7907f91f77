/**
 * How a protocol message is declared: once, as typed data, imported by both the extension host and
 * the webview. The parameter and result types ride along as phantom fields, so `channel.request(X, …)`
 * and `channel.onRequest(X, …)` agree without either side restating them.
 */

/** A request: the sender awaits exactly one response (a result or an error). */
export interface RequestType<Params, Result> {
  readonly kind: 'request';
  readonly method: string;
  /** Never set; carries the types for inference. */
  readonly params?: Params;
  readonly result?: Result;
}

/** A notification: fire and forget, no response. */
export interface NotificationType<Params> {
  readonly kind: 'notification';
  readonly method: string;
  /** Never set; carries the type for inference. */
  readonly params?: Params;
}

export type ParamsOf<T> = T extends RequestType<infer P, unknown> ? P : T extends NotificationType<infer P> ? P : never;
export type ResultOf<T> = T extends RequestType<unknown, infer R> ? R : never;

/** Declares a request; method names are `noun/verb`, as in LSP. */
export function request<Params, Result>(method: string): RequestType<Params, Result> {
  return { kind: 'request', method };
}

/** Declares a notification. */
export function notification<Params>(method: string): NotificationType<Params> {
  return { kind: 'notification', method };
}
