// The composition root: the one place that constructs the engine, the providers and the VS Code
// adapters and wires them together. Reading it top to bottom shows the whole object graph.
import * as vscode from 'vscode';

export function createApp(context: vscode.ExtensionContext): vscode.Disposable {
  const log = vscode.window.createOutputChannel('Threadwork', { log: true });
  log.info(`Threadwork activated from ${context.extensionUri.toString()}`);
  return vscode.Disposable.from(log);
}
