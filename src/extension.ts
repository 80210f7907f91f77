// The extension's entry point: everything is built and owned by the composition root in app.ts.
import type * as vscode from 'vscode';
import { createApp } from './app.ts';

export function activate(context: vscode.ExtensionContext): void {
  context.subscriptions.push(createApp(context));
}

export function deactivate(): void {
  // Disposal happens through context.subscriptions.
}
