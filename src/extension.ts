// The extension's entry point: everything is built and owned by the composition root in app.ts.
import type * as vscode from 'vscode';
import { createApp } from './app.ts';
import type { CodeLoading } from './vscode/cachedEntry.ts';

/** `loading` comes from the cached entry (dist/main.cjs); run any other way, there is none. */
export function activate(context: vscode.ExtensionContext, loading?: CodeLoading): void {
  context.subscriptions.push(createApp(context, loading));
}

export function deactivate(): void {
  // Disposal happens through context.subscriptions.
}
