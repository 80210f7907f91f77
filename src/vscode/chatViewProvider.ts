/**
 * The sidebar webview that hosts the chat panel. Each time VS Code resolves the view it gets a fresh
 * channel and controller; both belong to that webview and are disposed with it (a hidden view is
 * torn down, and the panel catches up from a snapshot when it comes back).
 */
import * as vscode from 'vscode';
import { Channel } from '../protocol/channel.ts';
import type { Envelope } from '../protocol/envelope.ts';
import { ChatController, type ChatControllerDependencies } from './chatController.ts';
import { CHAT_VIEW_ID } from './chatIds.ts';
import { describeHostError } from './protocolErrors.ts';
import { renderWebviewHtml } from './webviewHtml.ts';

export { CHAT_VIEW_ID };

export class ChatViewProvider implements vscode.WebviewViewProvider, vscode.Disposable {
  private readonly extensionUri: vscode.Uri;
  private readonly dependencies: ChatControllerDependencies;
  private readonly log: vscode.LogOutputChannel;
  private controller: ChatController | undefined;
  /** A view-title action pressed before the webview existed; delivered once it is ready. */
  private queuedAction: 'newThread' | 'showHistory' | undefined;
  /** A thread a command asked to show before the webview existed. */
  private queuedThreadId: string | undefined;
  private view: vscode.WebviewView | undefined;

  constructor(extensionUri: vscode.Uri, dependencies: ChatControllerDependencies, log: vscode.LogOutputChannel) {
    this.extensionUri = extensionUri;
    this.dependencies = dependencies;
    this.log = log;
  }

  resolveWebviewView(view: vscode.WebviewView): void {
    const dist = vscode.Uri.joinPath(this.extensionUri, 'dist');
    const media = vscode.Uri.joinPath(this.extensionUri, 'media');
    view.webview.options = { enableScripts: true, enableCommandUris: false, localResourceRoots: [dist, media] };
    view.webview.html = renderWebviewHtml(view.webview, {
      script: view.webview.asWebviewUri(vscode.Uri.joinPath(dist, 'webview.js')),
      style: view.webview.asWebviewUri(vscode.Uri.joinPath(dist, 'webview.css')),
    });

    const perWebview: vscode.Disposable[] = [];
    const channel = new Channel(
      {
        send: (message: Envelope) => void view.webview.postMessage(message),
        onMessage: (listener) => {
          const subscription = view.webview.onDidReceiveMessage(listener);
          return () => subscription.dispose();
        },
      },
      {
        describeError: (error) => {
          const described = describeHostError(error);
          if (described.code === 'internal') this.log.error('Chat request failed', error);
          return described;
        },
        onProblem: (problem, error) => this.log.warn(problem, error ?? ''),
      },
    );
    const controller = new ChatController(channel, this.dependencies);
    this.controller = controller;
    this.view = view;
    perWebview.push({ dispose: () => channel.dispose() }, { dispose: () => controller.dispose() });
    perWebview.push(view.onDidDispose(() => {
      if (this.controller === controller) this.controller = undefined;
      if (this.view === view) this.view = undefined;
      for (const disposable of perWebview.splice(0).reverse()) disposable.dispose();
    }));
    if (this.queuedAction) {
      // The webview asks for its snapshot first; the action follows it in order.
      controller.viewAction(this.queuedAction);
      this.queuedAction = undefined;
    }
    if (this.queuedThreadId) {
      controller.showThread(this.queuedThreadId);
      this.queuedThreadId = undefined;
    }
  }

  /** Reveals the panel on a thread (editor actions, imports); its running answer streams there. */
  async showThread(threadId: string): Promise<void> {
    if (this.controller && this.view) {
      this.view.show(true);
      this.controller.showThread(threadId);
      return;
    }
    this.queuedThreadId = threadId;
    await vscode.commands.executeCommand(`${CHAT_VIEW_ID}.focus`);
  }

  /** Reveals the panel as it is. */
  async reveal(): Promise<void> {
    if (this.view) this.view.show(false);
    else await vscode.commands.executeCommand(`${CHAT_VIEW_ID}.focus`);
  }

  /** Runs a view-title action, revealing the panel first. */
  async runViewAction(action: 'newThread' | 'showHistory'): Promise<void> {
    if (this.controller && this.view) {
      this.view.show(false);
      this.controller.viewAction(action);
      return;
    }
    this.queuedAction = action;
    await vscode.commands.executeCommand(`${CHAT_VIEW_ID}.focus`);
  }

  dispose(): void {
    this.controller?.dispose();
  }
}
