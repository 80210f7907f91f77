// The composition root: the one place that constructs the engine, the providers and the VS Code
// adapters and wires them together. Reading it top to bottom shows the whole object graph.
import * as vscode from 'vscode';
import { ApiKeyStore } from './vscode/apiKeyStore.ts';
import { ApprovalBroker } from './vscode/approvalBroker.ts';
import { registerChatCommands } from './vscode/chatCommands.ts';
import { CHAT_VIEW_ID, ChatViewProvider } from './vscode/chatViewProvider.ts';
import { createChatMemory, createEditorActions } from './vscode/editorActions.ts';
import { EngineHost } from './vscode/engineHost.ts';
import { ProviderSetup } from './vscode/providerSetup.ts';
import { registerToolCommands } from './vscode/tools/toolCommands.ts';
import { WorkspaceToolsHost } from './vscode/tools/workspaceToolsHost.ts';

export function createApp(context: vscode.ExtensionContext): vscode.Disposable {
  const log = vscode.window.createOutputChannel('Threadwork', { log: true });
  log.info(`Threadwork activated from ${context.extensionUri.toString()}`);

  // Model provider: settings plus the API key from SecretStorage.
  const apiKeys = new ApiKeyStore(context.secrets);
  const provider = new ProviderSetup(apiKeys);

  // The engine opens its database on first use, not during activation.
  const engine = new EngineHost({
    storageDir: context.globalStorageUri.fsPath,
    modelBackend: () => provider.modelBackend(),
    log: (message) => log.info(message),
  });

  // Tool calls that need the user wait here; the chat panel shows and answers them.
  const approvals = new ApprovalBroker();

  // Workspace tools: this host executes the built-in assistant's function calls (read, search, edit
  // with approval, run tests) through the engine's executor, and keeps checkpoints of changed files.
  const tools = new WorkspaceToolsHost(context, approvals, log);
  const toolServingEngine = () => tools.attach(engine.get());
  const memory = createChatMemory(context.globalState);

  // The chat panel in the activity bar, and its commands.
  const chatView = new ChatViewProvider(context.extensionUri, {
    engine: toolServingEngine,
    provider,
    approvals,
    editor: createEditorActions(provider),
    memory,
    tools,
  }, log);

  return vscode.Disposable.from(
    log,
    apiKeys,
    provider,
    vscode.window.registerWebviewViewProvider(CHAT_VIEW_ID, chatView),
    registerChatCommands(chatView, provider),
    registerToolCommands({ engine: toolServingEngine, tools, currentThreadId: () => memory.get('lastThreadId'), log }),
    chatView,
    tools,
    engine,
  );
}
