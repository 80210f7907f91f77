/**
 * A typed, bidirectional channel over any postMessage-like transport. Both ends are the same class:
 * the host wraps `webview.postMessage`/`onDidReceiveMessage`, the webview wraps `acquireVsCodeApi()`
 * and `window` message events, tests wrap whatever they like. Handlers live in maps keyed by method
 * name, so adding a message never grows a switch.
 */
import type { NotificationType, RequestType } from './descriptors.ts';
import { isEnvelope, ProtocolError, type CancelEnvelope, type Envelope, type NotificationEnvelope, type ProtocolErrorCode, type RequestEnvelope, type ResponseEnvelope } from './envelope.ts';

export interface Transport {
  send(message: Envelope): void;
  /** Subscribes to incoming messages; returns the unsubscribe function. */
  onMessage(listener: (message: unknown) => void): () => void;
}

export type RequestHandler<P, R> = (params: P, signal: AbortSignal) => R | Promise<R>;
export type NotificationHandler<P> = (params: P) => void;

export interface ChannelOptions {
  /** Turns a handler's exception into the error the other side sees (the host maps engine errors). */
  describeError?: (error: unknown) => { code: ProtocolErrorCode; message: string };
  /** Called when a notification handler throws, or a message arrives that nobody handles. */
  onProblem?: (problem: string, error?: unknown) => void;
}

interface Pending {
  resolve(result: unknown): void;
  reject(error: ProtocolError): void;
  cleanup(): void;
}

export class Channel {
  private readonly transport: Transport;
  private readonly options: ChannelOptions;
  private readonly requestHandlers = new Map<string, RequestHandler<unknown, unknown>>();
  private readonly notificationHandlers = new Map<string, Set<NotificationHandler<unknown>>>();
  private readonly pending = new Map<number, Pending>();
  /** Requests this side is handling, so a `cancel` from the other side can abort them. */
  private readonly inFlight = new Map<number, AbortController>();
  private readonly unsubscribe: () => void;
  private nextId = 1;
  private disposed = false;

  constructor(transport: Transport, options: ChannelOptions = {}) {
    this.transport = transport;
    this.options = options;
    this.unsubscribe = transport.onMessage((message) => this.receive(message));
  }

  /** Sends a request and resolves with its result; rejects with a ProtocolError. */
  request<P, R>(type: RequestType<P, R>, params: P, options: { signal?: AbortSignal } = {}): Promise<R> {
    if (this.disposed) return Promise.reject(new ProtocolError('cancelled', `The channel is closed; ${type.method} was not sent.`));
    const id = this.nextId++;
    const { signal } = options;
    return new Promise<R>((resolve, reject) => {
      const onAbort = (): void => {
        this.send({ kind: 'cancel', id });
        this.settle(id)?.reject(new ProtocolError('cancelled', `${type.method} was cancelled.`));
      };
      this.pending.set(id, {
        resolve: (result) => resolve(result as R),
        reject,
        cleanup: () => signal?.removeEventListener('abort', onAbort),
      });
      if (signal?.aborted) {
        onAbort();
        return;
      }
      signal?.addEventListener('abort', onAbort, { once: true });
      this.send({ kind: 'request', id, method: type.method, params });
    });
  }

  notify<P>(type: NotificationType<P>, params: P): void {
    if (!this.disposed) this.send({ kind: 'notification', method: type.method, params });
  }

  /** Registers the one handler of a request method; returns its disposer. */
  onRequest<P, R>(type: RequestType<P, R>, handler: RequestHandler<P, R>): () => void {
    if (this.requestHandlers.has(type.method)) throw new Error(`A handler for ${type.method} is already registered.`);
    this.requestHandlers.set(type.method, handler as RequestHandler<unknown, unknown>);
    return () => this.requestHandlers.delete(type.method);
  }

  onNotification<P>(type: NotificationType<P>, handler: NotificationHandler<P>): () => void {
    let handlers = this.notificationHandlers.get(type.method);
    if (!handlers) {
      handlers = new Set();
      this.notificationHandlers.set(type.method, handlers);
    }
    const entry = handler as NotificationHandler<unknown>;
    handlers.add(entry);
    return () => handlers.delete(entry);
  }

  /** Rejects every pending request, aborts handlers in flight and stops listening. */
  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.unsubscribe();
    for (const id of [...this.pending.keys()]) this.settle(id)?.reject(new ProtocolError('cancelled', 'The channel closed before a response arrived.'));
    for (const controller of this.inFlight.values()) controller.abort();
    this.inFlight.clear();
  }

  private send(message: Envelope): void {
    this.transport.send(message);
  }

  private settle(id: number): Pending | undefined {
    const entry = this.pending.get(id);
    if (!entry) return undefined;
    this.pending.delete(id);
    entry.cleanup();
    return entry;
  }

  private receive(message: unknown): void {
    if (this.disposed || !isEnvelope(message)) return;
    RECEIVERS[message.kind](this, message as never);
  }

  /** @internal */ handleRequest(message: RequestEnvelope): void {
    const handler = this.requestHandlers.get(message.method);
    if (!handler) {
      this.send({ kind: 'response', id: message.id, error: { code: 'method_not_found', message: `Unknown method ${message.method}.` } });
      return;
    }
    const controller = new AbortController();
    this.inFlight.set(message.id, controller);
    Promise.resolve()
      .then(() => handler(message.params, controller.signal))
      .then(
        (result) => this.respond(message.id, controller, { kind: 'response', id: message.id, result: result ?? null }),
        (error: unknown) => this.respond(message.id, controller, { kind: 'response', id: message.id, error: this.describe(error) }),
      );
  }

  private respond(id: number, controller: AbortController, response: ResponseEnvelope): void {
    this.inFlight.delete(id);
    // A cancelled request was already answered by its sender's own rejection; a late reply is noise.
    if (!this.disposed && !controller.signal.aborted) this.send(response);
  }

  private describe(error: unknown): { code: ProtocolErrorCode; message: string } {
    if (ProtocolError.is(error)) return { code: error.code, message: error.message };
    if (this.options.describeError) return this.options.describeError(error);
    return { code: 'internal', message: error instanceof Error ? error.message : String(error) };
  }

  /** @internal */ handleResponse(message: ResponseEnvelope): void {
    const entry = this.settle(message.id);
    if (!entry) return;
    if (message.error) entry.reject(new ProtocolError(message.error.code, message.error.message));
    else entry.resolve(message.result);
  }

  /** @internal */ handleNotification(message: NotificationEnvelope): void {
    const handlers = this.notificationHandlers.get(message.method);
    if (!handlers?.size) {
      this.options.onProblem?.(`No handler for notification ${message.method}.`);
      return;
    }
    for (const handler of [...handlers]) {
      try {
        handler(message.params);
      } catch (error) {
        this.options.onProblem?.(`The handler for ${message.method} threw.`, error);
      }
    }
  }

  /** @internal */ handleCancel(message: CancelEnvelope): void {
    const controller = this.inFlight.get(message.id);
    this.inFlight.delete(message.id);
    controller?.abort();
  }
}

const RECEIVERS: { [K in Envelope['kind']]: (channel: Channel, message: Extract<Envelope, { kind: K }>) => void } = {
  request: (channel, message) => channel.handleRequest(message),
  response: (channel, message) => channel.handleResponse(message),
  notification: (channel, message) => channel.handleNotification(message),
  cancel: (channel, message) => channel.handleCancel(message),
};
