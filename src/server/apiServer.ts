/**
 * The Assistants API v2 over HTTP on 127.0.0.1 (DESIGN.md: src/server is thin — it checks
 * headers, reads bodies, routes, and writes what the engine returns). Every failure becomes a
 * v2 error body; nothing a client sends can crash the process.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Engine } from '../engine/engine.ts';
import { checkBetaHeader, tokenChecker } from './accessChecks.ts';
import { HttpError, httpErrors, toErrorResponse } from './httpErrors.ts';
import { DEFAULT_MULTIPART_LIMITS, multipartBoundary, parseMultipart } from './multipart.ts';
import { parseQuery } from './query.ts';
import { parseJsonBody, readBody } from './requestBody.ts';
import type { Reply, RequestContext, RouteHandler } from './routeContext.ts';
import { Router } from './router.ts';
import { allRoutes } from './routes/index.ts';
import { writeEventStream } from './sse.ts';

/** Only loopback: the server holds the user's threads and spends their model budget. */
export const SERVER_HOST = '127.0.0.1';

export interface ServerLimits {
  /** Largest JSON body (default 8 MiB: 256k-character instructions plus 128 tool schemas fit easily). */
  jsonBytes: number;
  /** Largest multipart upload (default 64 MiB; files live in the database). */
  uploadBytes: number;
}

export const DEFAULT_SERVER_LIMITS: ServerLimits = { jsonBytes: 8 * 1024 * 1024, uploadBytes: 64 * 1024 * 1024 };

export interface ServerOptions {
  engine: Engine;
  /** 0 (the default) picks a free port. */
  port?: number;
  /** Clients send it as `Authorization: Bearer <token>`. */
  token: string;
  /** Refuse Assistants calls without `OpenAI-Beta: assistants=v2` (default true, as v2 did). */
  requireBetaHeader?: boolean;
  limits?: Partial<ServerLimits>;
  /** `openai-poll-after-ms` sent with every JSON answer: the SDK poll helpers wait this long (default 200). */
  pollAfterMs?: number;
  /** Unexpected failures (default: stderr). */
  log?: (message: string) => void;
}

export interface RunningServer {
  /** Base URL for SDK clients, ending in `/v1`. */
  readonly url: string;
  readonly port: number;
  /** Stops taking requests and waits (at most `graceMs`) for those in flight; streams stay open. */
  stopAccepting(graceMs?: number): Promise<void>;
  /** Stops everything: open event streams end (their runs carry on) and connections close. */
  close(): Promise<void>;
}

export async function startServer(options: ServerOptions): Promise<RunningServer> {
  const { engine } = options;
  const limits: ServerLimits = { ...DEFAULT_SERVER_LIMITS, ...options.limits };
  const requireBeta = options.requireBetaHeader ?? true;
  const pollAfter = String(options.pollAfterMs ?? 200);
  const log = options.log ?? ((message: string) => process.stderr.write(`threadwork serve: ${message}\n`));
  const checkToken = tokenChecker(options.token);
  const router = new Router<RouteHandler>(allRoutes);
  const streams = new Set<AbortController>();
  let inFlight = 0;
  let accepting = true;
  const idleWaiters: Array<() => void> = [];

  const settleIdle = (): void => {
    if (inFlight === 0) for (const resolve of idleWaiters.splice(0)) resolve();
  };

  const writeJson = (response: ServerResponse, status: number, body: unknown, extraHeaders: Record<string, string> = {}): void => {
    writeJsonText(response, status, JSON.stringify(body), extraHeaders);
  };

  function writeJsonText(response: ServerResponse, status: number, payload: string, extraHeaders: Record<string, string> = {}): void {
    // Encoded once here: node would otherwise glue headers and body into one string to encode.
    const body = Buffer.from(payload, 'utf8');
    response.writeHead(status, {
      'content-type': 'application/json',
      'content-length': body.length,
      'openai-poll-after-ms': pollAfter,
      ...extraHeaders,
    });
    response.end(body);
  }

  const writeError = (response: ServerResponse, error: unknown, where: string): void => {
    const { status, body, headers, unexpected } = toErrorResponse(error);
    if (unexpected) log(`${where} failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    if (response.headersSent) {
      response.destroy();
      return;
    }
    writeJson(response, status, body, headers);
  };

  const openStream = async (response: ServerResponse, runId: string, fromSeq: number): Promise<void> => {
    const controller = new AbortController();
    streams.add(controller);
    // The client leaving ends this subscription only; the run goes on and its state stays readable.
    response.once('close', () => controller.abort());
    const interrupted = (): HttpError | null => (accepting ? null : httpErrors.streamInterrupted(runId));
    try {
      await writeEventStream(response, engine.hub.stream(runId, fromSeq, controller.signal), log, interrupted);
    } finally {
      streams.delete(controller);
    }
  };

  const contextFor = (request: IncomingMessage, params: Record<string, string>, search: string): RequestContext => {
    let bodyRead = false;
    const claimBody = (): void => {
      if (bodyRead) throw new Error('request body read twice');
      bodyRead = true;
    };
    return {
      engine,
      params,
      query: parseQuery(search),
      headers: request.headers,
      body: async () => {
        claimBody();
        return parseJsonBody(await readBody(request, limits.jsonBytes, 'JSON request'));
      },
      multipart: async () => {
        claimBody();
        const boundary = multipartBoundary(request.headers['content-type']);
        if (!boundary) {
          request.resume();
          throw new HttpError(400, "This endpoint expects a multipart/form-data body (Content-Type: multipart/form-data; boundary=…).", { code: 'invalid_content_type' });
        }
        return parseMultipart(await readBody(request, limits.uploadBytes, 'upload'), boundary, DEFAULT_MULTIPART_LIMITS);
      },
    };
  };

  /** Checks the headers and runs the route; synchronous handlers answer without a promise hop. */
  const dispatch = (request: IncomingMessage, method: string, url: string): Reply | Promise<Reply> => {
    const queryStart = url.indexOf('?');
    const path = queryStart < 0 ? url : url.slice(0, queryStart);
    const authError = checkToken(request.headers);
    if (authError) throw authError;
    const match = path.startsWith('/v1/') ? router.match(method, path.slice(3)) : null;
    if (!match) throw httpErrors.unknownRoute(method, path);
    if (match.route.beta) {
      const betaError = checkBetaHeader(request.headers, requireBeta);
      if (betaError) throw betaError;
    }
    return match.route.handler(contextFor(request, match.params, queryStart < 0 ? '' : url.slice(queryStart + 1)));
  };

  const send = (response: ServerResponse, reply: Reply, where: () => string): void => {
    try {
      if (reply.kind === 'json') writeJson(response, reply.status, reply.body);
      else if (reply.kind === 'jsonText') writeJsonText(response, 200, reply.body);
      else if (reply.kind === 'bytes') {
        response.writeHead(200, { 'content-type': reply.contentType, 'content-length': reply.body.byteLength });
        response.end(reply.body);
      } else {
        openStream(response, reply.runId, reply.fromSeq).catch((error: unknown) => writeError(response, error, where()));
      }
    } catch (error) {
      writeError(response, error, where());
    }
  };

  const server = createServer((request, response) => {
    // A write to a socket the client already closed must never surface as an uncaught error.
    response.on('error', () => undefined);
    request.on('error', () => undefined);
    const method = request.method ?? 'GET';
    const url = request.url ?? '/';
    const where = (): string => `${method} ${url.split('?')[0]}`;
    if (!accepting) {
      writeError(response, httpErrors.shuttingDown(), where());
      return;
    }
    inFlight++;
    const settle = (): void => {
      inFlight--;
      settleIdle();
    };
    let outcome: Reply | Promise<Reply>;
    try {
      outcome = dispatch(request, method, url);
    } catch (error) {
      settle();
      writeError(response, error, where());
      return;
    }
    if (!(outcome instanceof Promise)) {
      settle();
      send(response, outcome, where);
      return;
    }
    outcome.then(
      (reply) => {
        settle();
        send(response, reply, where);
      },
      (error: unknown) => {
        settle();
        writeError(response, error, where());
      },
    );
  });
  server.keepAliveTimeout = 30_000;

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, SERVER_HOST, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  const closed = new Promise<void>((resolve) => server.once('close', () => resolve()));

  const stopAccepting = async (graceMs = 5_000): Promise<void> => {
    if (accepting) {
      accepting = false;
      server.close();
      server.closeIdleConnections();
    }
    if (inFlight === 0) return;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, graceMs);
      timer.unref();
      idleWaiters.push(() => {
        clearTimeout(timer);
        resolve();
      });
    });
  };

  return {
    url: `http://${SERVER_HOST}:${port}/v1`,
    port,
    stopAccepting,
    close: async () => {
      await stopAccepting();
      const open = [...streams];
      for (const controller of open) controller.abort();
      // Let aborted streams write their error frame and end, then drop whatever is still connected.
      await new Promise<void>((resolve) => setImmediate(resolve));
      server.closeAllConnections();
      await closed;
    },
  };
}
