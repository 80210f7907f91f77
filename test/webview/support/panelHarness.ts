/**
 * The chat panel's browser bundle (dist/webview.js) in real Chromium, with a fake
 * `acquireVsCodeApi` whose other end is a protocol Channel in this Node process. Two kinds of host:
 * `engine` puts the real ChatController on that channel, over a real engine that talks to the
 * scripted model server (the model is the only fake); `manual` leaves the channel to the test, which
 * answers requests and sends notifications itself through the protocol descriptors.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type Locator, type Page } from 'playwright-core';
import type { Envelope } from '../../../src/protocol/envelope.ts';
import { Channel } from '../../../src/protocol/channel.ts';
import type { RequestType } from '../../../src/protocol/descriptors.ts';
import type { ProviderStatus } from '../../../src/protocol/chatModel.ts';
import { ApprovalBroker } from '../../../src/vscode/approvalBroker.ts';
import { ChatController } from '../../../src/vscode/chatController.ts';
import type { ChatMemory, EditorPort, ProviderPort } from '../../../src/vscode/chatPorts.ts';
import { describeHostError } from '../../../src/vscode/protocolErrors.ts';
import { renderWebviewHtml } from '../../../src/vscode/webviewHtml.ts';
import { chromiumPath, repoRoot } from '../../e2e/support/paths.ts';
import { chromiumArgs } from '../../e2e/support/workbench.ts';
import { createEngineHarness, type EngineHarness } from '../../support/engineHarness.ts';
import { themeBodyClass, themeCss, type ThemeName } from './theme.ts';

const ORIGIN = 'http://webview.test';

export interface PanelOptions {
  host: 'engine' | 'manual';
  /** The production content security policy (default), or none at all (the XSS corpus runs without it). */
  csp?: boolean;
  theme?: ThemeName;
  viewport?: { width: number; height: number };
  provider?: Partial<ProviderStatus>;
  /** Runs before the page loads (manual hosts register their `webview/ready` answer here). */
  setup?: (panel: Panel) => void | Promise<void>;
}

export interface EditorCalls {
  inserted: Array<{ code: string; language: string | null }>;
  opened: string[];
  configured: string[];
}

export interface Panel {
  page: Page;
  /** The host end of the protocol. */
  channel: Channel;
  /** Everything the webview sent, in order. */
  received: Envelope[];
  /** Everything the host sent, in order (dropped messages excluded). */
  sent: Envelope[];
  /** Host messages matching this are not delivered (to simulate a lost event). */
  drop: ((message: Envelope) => boolean) | null;
  /** Only with `host: 'engine'`. */
  engine?: EngineHarness;
  approvals: ApprovalBroker;
  editor: EditorCalls;
  provider: ProviderStatus;
  /** Manual hosts: answers a request method, on this channel and on every channel after a reload. */
  handle<P, R>(type: RequestType<P, R>, handler: (params: P) => R | Promise<R>): void;
  /** Resolves once every message the host sent so far has been delivered to the page. */
  delivered(): Promise<void>;
  /** Requests the webview sent for one method. */
  requests(method: string): unknown[];
  /** Waits until the webview has sent `count` requests of a method. */
  waitForRequests(method: string, count?: number): Promise<unknown[]>;
  /** Reloads the page (VS Code tearing down and recreating the view) with a fresh channel and controller. */
  reload(): Promise<void>;
  /** Problems the page reported: console errors, page errors, CSP violations. */
  problems(): Promise<string[]>;
  close(): Promise<void>;
}

let browser: Browser | undefined;
let users = 0;

function assertBuilt(): void {
  const script = join(repoRoot, 'dist', 'webview.js');
  if (!existsSync(script)) throw new Error('dist/webview.js is missing; run: node esbuild.js');
  const newest = ['webview', 'src/protocol'].flatMap((dir) => sourceTimes(join(repoRoot, dir)));
  if (Math.max(...newest) > statSync(script).mtimeMs) throw new Error('dist/webview.js is older than its sources; run: node esbuild.js');
}

function sourceTimes(dir: string): number[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((file) => /\.(ts|css)$/.test(file))
    .map((file) => statSync(join(dir, file)).mtimeMs);
}

async function sharedBrowser(): Promise<Browser> {
  browser ??= await chromium.launch({ executablePath: chromiumPath, headless: true, args: chromiumArgs });
  users++;
  return browser;
}

async function releaseBrowser(): Promise<void> {
  users--;
  if (users === 0 && browser) {
    const closing = browser;
    browser = undefined;
    await closing.close();
  }
}

/** The page-side fake of VS Code's webview API, plus hooks that record anything model output might run. */
function initScript(theme: ThemeName): string {
  return `(() => {
    const key = '__threadworkState';
    let acquired = false;
    window.acquireVsCodeApi = () => {
      if (acquired) throw new Error('acquireVsCodeApi called twice');
      acquired = true;
      return {
        postMessage: (message) => window.__threadworkPost(message),
        getState: () => { const raw = sessionStorage.getItem(key); return raw ? JSON.parse(raw) : undefined; },
        setState: (state) => sessionStorage.setItem(key, JSON.stringify(state)),
      };
    };
    window.__xssHits = [];
    window.__cspViolations = [];
    const record = (what) => function () { window.__xssHits.push(what + ':' + String(arguments[0])); };
    window.alert = record('alert');
    window.confirm = record('confirm');
    window.prompt = record('prompt');
    window.print = record('print');
    window.__xss = record('__xss');
    document.addEventListener('securitypolicyviolation', (event) => {
      window.__cspViolations.push(event.violatedDirective + ' ' + event.blockedURI);
    });
    document.addEventListener('DOMContentLoaded', () => document.body.classList.add(${JSON.stringify(themeBodyClass(theme))}));
  })();`;
}

function pageHtml(csp: boolean): string {
  const html = renderWebviewHtml({ cspSource: ORIGIN } as never, {
    script: { toString: () => `${ORIGIN}/dist/webview.js` } as never,
    style: { toString: () => `${ORIGIN}/dist/webview.css` } as never,
  });
  const themed = html.replace('<link rel="stylesheet"', `<link rel="stylesheet" href="${ORIGIN}/theme.css">\n<link rel="stylesheet"`);
  return csp ? themed : themed.replace(/<meta http-equiv="Content-Security-Policy"[^>]*>\n/, '');
}

export function defaultProvider(overrides: Partial<ProviderStatus> = {}): ProviderStatus {
  return { isConfigured: true, kind: 'chat-completions', baseUrl: 'http://127.0.0.1:1/v1', model: 'scripted-model', hasApiKey: false, problem: null, ...overrides };
}

export async function openPanel(options: PanelOptions): Promise<Panel> {
  assertBuilt();
  const theme = options.theme ?? 'dark';
  const shared = await sharedBrowser();
  const context = await shared.newContext({ viewport: options.viewport ?? { width: 420, height: 760 } });
  const page = await context.newPage();
  const pageProblems: string[] = [];
  page.on('pageerror', (error) => pageProblems.push(`pageerror: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error') pageProblems.push(`console: ${message.text()}`);
  });
  page.on('dialog', (dialog) => {
    pageProblems.push(`dialog: ${dialog.message()}`);
    void dialog.dismiss();
  });
  await page.route(`${ORIGIN}/**`, async (route) => {
    const path = new URL(route.request().url()).pathname;
    const files: Record<string, () => { body: string; type: string }> = {
      '/index.html': () => ({ body: pageHtml(options.csp ?? true), type: 'text/html' }),
      '/theme.css': () => ({ body: themeCss(theme), type: 'text/css' }),
      '/dist/webview.js': () => ({ body: readFileSync(join(repoRoot, 'dist', 'webview.js'), 'utf8'), type: 'text/javascript' }),
      '/dist/webview.css': () => ({ body: readFileSync(join(repoRoot, 'dist', 'webview.css'), 'utf8'), type: 'text/css' }),
    };
    const file = files[path];
    await (file ? route.fulfill({ status: 200, contentType: file().type, body: file().body }) : route.fulfill({ status: 404, body: '' }));
  });
  await page.addInitScript(initScript(theme));

  const received: Envelope[] = [];
  const sent: Envelope[] = [];
  let listener: ((message: unknown) => void) | null = null;
  let delivery = Promise.resolve();
  const outbox: Envelope[] = [];
  await page.exposeBinding('__threadworkPost', (_source, message: Envelope) => {
    received.push(message);
    listener?.(message);
  });

  const provider = defaultProvider(options.provider);
  const approvals = new ApprovalBroker();
  const editor: EditorCalls = { inserted: [], opened: [], configured: [] };
  const engine = options.host === 'engine' ? await createEngineHarness() : undefined;
  const memory = new Map<string, string>();
  const handlers = new Map<string, { type: RequestType<unknown, unknown>; handler: (params: unknown) => unknown; dispose?: () => void }>();

  const panel: Panel = {
    page,
    channel: undefined as unknown as Channel,
    received,
    sent,
    drop: null,
    ...(engine ? { engine } : {}),
    approvals,
    editor,
    provider,
    handle: (type, handler) => {
      if (engine) throw new Error('the engine host answers requests itself');
      handlers.get(type.method)?.dispose?.();
      const entry = { type: type as RequestType<unknown, unknown>, handler: handler as (params: unknown) => unknown, dispose: undefined as (() => void) | undefined };
      entry.dispose = panel.channel.onRequest(entry.type, (params) => entry.handler(params));
      handlers.set(type.method, entry);
    },
    delivered: async () => {
      while (outbox.length > 0) await delivery;
      await delivery;
    },
    requests: (method) => received.filter((m) => m.kind === 'request' && m.method === method).map((m) => (m as { params: unknown }).params),
    waitForRequests: async (method, count = 1) => {
      const deadline = Date.now() + 10_000;
      while (panel.requests(method).length < count) {
        if (Date.now() > deadline) throw new Error(`the webview sent ${panel.requests(method).length} of ${count} ${method} requests`);
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
      return panel.requests(method);
    },
    reload: async () => {
      disconnect();
      connect();
      await page.reload();
      await page.waitForSelector('body[data-threadwork="ready"]', { timeout: 15_000 });
    },
    problems: async () => {
      const fromPage = await page.evaluate('[...window.__cspViolations.map((v) => "csp: " + v)]') as string[];
      return [...pageProblems, ...fromPage];
    },
    close: async () => {
      disconnect();
      await context.close();
      await engine?.close();
      await releaseBrowser();
    },
  };

  let controller: ChatController | undefined;
  const providerPort: ProviderPort = { status: () => panel.provider, whenReady: () => Promise.resolve(), onDidChange: () => () => undefined };
  const editorPort: EditorPort = {
    insertCode: (code, language) => {
      editor.inserted.push({ code, language });
      return Promise.resolve({ inserted: true });
    },
    openLink: (href) => {
      editor.opened.push(href);
      return Promise.resolve(true);
    },
    configureProvider: (action) => {
      editor.configured.push(action);
      return Promise.resolve();
    },
  };
  const chatMemory: ChatMemory = {
    get: (key) => memory.get(key),
    set: (key, value) => {
      if (value === undefined) memory.delete(key);
      else memory.set(key, value);
      return Promise.resolve();
    },
  };

  function connect(): void {
    panel.channel = new Channel({
      send: (message) => {
        if (panel.drop?.(message)) return;
        // Serialized now, as VS Code's postMessage does: engine objects may change after this call.
        const copy = JSON.parse(JSON.stringify(message)) as Envelope;
        sent.push(copy);
        // Messages queue up and go over in batches, one evaluate at a time, so order is kept and a
        // burst of thousands of deltas costs a few round trips instead of thousands.
        outbox.push(copy);
        if (outbox.length === 1) delivery = delivery.then(() => page.evaluate(dispatchInPage, outbox.splice(0) as never)).catch(() => undefined);
      },
      onMessage: (next) => {
        listener = next;
        return () => {
          if (listener === next) listener = null;
        };
      },
    }, { describeError: describeHostError });
    for (const entry of handlers.values()) entry.dispose = panel.channel.onRequest(entry.type, (params) => entry.handler(params));
    if (engine) controller = new ChatController(panel.channel, { engine: () => engine.engine, provider: providerPort, approvals, editor: editorPort, memory: chatMemory });
  }

  function disconnect(): void {
    controller?.dispose();
    controller = undefined;
    panel.channel?.dispose();
  }

  connect();
  await options.setup?.(panel);
  await page.goto(`${ORIGIN}/index.html`);
  await page.waitForSelector('body[data-threadwork="ready"]', { timeout: 15_000 });
  return panel;
}

/** Runs in the page: delivers host messages the way VS Code does, each as a window message event. */
function dispatchInPage(messages: unknown[]): void {
  const page = globalThis as unknown as { dispatchEvent(event: unknown): boolean; MessageEvent: new (type: string, init: { data: unknown }) => unknown };
  for (const data of messages) page.dispatchEvent(new page.MessageEvent('message', { data }));
}

/** Polls a locator's rendered text until `accept` says yes (Playwright's own waits cannot compare text to a value). */
export async function waitForText(locator: Locator, accept: (text: string) => boolean, timeoutMs = 10_000): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  let last = '';
  for (;;) {
    last = (await locator.count()) > 0 ? await locator.innerText() : '';
    if (accept(last)) return last;
    if (Date.now() > deadline) throw new Error(`text never matched; last seen: ${JSON.stringify(last.slice(0, 300))}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
