// The composition root: the one place that constructs the engine, the providers and the VS Code
// adapters and wires them together. Reading it top to bottom shows the whole object graph.
import { join } from 'node:path';
import * as vscode from 'vscode';
import { ApiKeyStore } from './vscode/apiKeyStore.ts';
import { ApprovalBroker } from './vscode/approvalBroker.ts';
import { InstructionsFileSystem } from './vscode/assistants/instructionsFileSystem.ts';
import type { CodeLoading } from './vscode/cachedEntry.ts';
import { registerChatCommands } from './vscode/chatCommands.ts';
import type { WorkspaceToolsPort } from './vscode/chatPorts.ts';
import { CHAT_VIEW_ID, ChatViewProvider } from './vscode/chatViewProvider.ts';
import { COMMANDS, CONTEXT_KEYS } from './vscode/commands/commandTable.ts';
import { createEditorCommands } from './vscode/commands/editorCommands.ts';
import { registerFixCodeActions } from './vscode/commands/fixCodeActions.ts';
import { PanelAsk } from './vscode/commands/panelAsk.ts';
import { registerCommands } from './vscode/commands/registerCommands.ts';
import { createChatMemory, createEditorActions } from './vscode/editorActions.ts';
import { EngineHost, type EngineAddOn } from './vscode/engineHost.ts';
import { codeInterpreterAddOn } from './vscode/interpreter/codeInterpreterAddOn.ts';
import { readInterpreterSettings, watchRunnerChoice } from './vscode/interpreter/interpreterConfiguration.ts';
import { withCodeInterpreter } from './vscode/interpreter/interpreterTools.ts';
import { VsCodeChatFiles } from './vscode/interpreter/vscodeChatFiles.ts';
import { KnowledgeFeature } from './vscode/knowledge/knowledgeFeature.ts';
import { ProviderSetup } from './vscode/providerSetup.ts';
import { LocalApiServer } from './vscode/server/localApiServer.ts';
import { ApiKeyRing } from './vscode/setup/apiKeyRing.ts';
import { CapabilityStore } from './vscode/setup/capabilityStore.ts';
import { ProviderWizard } from './vscode/setup/providerWizard.ts';
import { contextWindowOverrides, onDidChangeSettings, prices, readSetting } from './vscode/setup/setupConfiguration.ts';
import { watchToolRefusals, withoutToolsWhenRefused } from './vscode/setup/toolRefusals.ts';
import { observableMemory, ThreadworkStatusBar } from './vscode/statusBar.ts';
import { registerToolCommands } from './vscode/tools/toolCommands.ts';
import { WorkspaceToolsHost } from './vscode/tools/workspaceToolsHost.ts';

const DEFAULT_CONTEXT_WINDOW = 128_000;

export function createApp(context: vscode.ExtensionContext, loading?: CodeLoading): vscode.Disposable {
  const started = performance.now();
  const log = vscode.window.createOutputChannel('Threadwork', { log: true });
  log.info(`Threadwork activated from ${context.extensionUri.toString()}`);

  // Model provider: settings plus the API key from SecretStorage (one key kept per endpoint), and
  // what each endpoint was found able to do (tool calls, context window).
  const apiKeys = new ApiKeyStore(context.secrets);
  const provider = new ProviderSetup(apiKeys);
  const capabilities = new CapabilityStore(context.globalState);
  const currentEndpoint = () => provider.status();
  const toolsAllowed = () => provider.status().kind === 'vscode-lm' || capabilities.toolsAllowed(currentEndpoint().baseUrl, currentEndpoint().model);
  const contextWindow = (model: string) => capabilities.contextWindow(currentEndpoint().baseUrl, model, contextWindowOverrides());

  // The engine opens its database on first use, not during activation; the knowledge base's index
  // is built with it. The code interpreter's sandbox starts on the first code cell (Pyodide in a
  // worker by default; see src/vscode/interpreter/).
  const distDir = join(context.extensionPath, 'dist');
  const engine = new EngineHost({
    storageDir: context.globalStorageUri.fsPath,
    modelBackend: () => withoutToolsWhenRefused(provider.modelBackend(), toolsAllowed),
    log: (message) => log.info(message),
    contextWindowFor: (model) => contextWindow(model) ?? DEFAULT_CONTEXT_WINDOW,
    addOns: [(storageDir): EngineAddOn => knowledge.engineAddOn(storageDir), codeInterpreterAddOn({ distDir, settings: readInterpreterSettings, log: (message) => log.info(message) })],
  });

  // Tool calls that need the user wait here; the chat panel shows and answers them.
  const approvals = new ApprovalBroker();

  // Workspace tools: this host executes the built-in assistant's function calls (read, search, edit
  // with approval, run tests) through the engine's executor, and keeps checkpoints of changed files.
  // A model that refuses tool calls gets none (it still chats).
  const tools = new WorkspaceToolsHost(context, approvals, log);
  const runTools: WorkspaceToolsPort = {
    runTools: () => (toolsAllowed() ? withCodeInterpreter(tools.runTools(), readInterpreterSettings().enabled) : []),
    viewDiff: (id) => tools.viewDiff(id),
  };
  const memory = observableMemory(createChatMemory(context.globalState), () => {
    statusBar.refresh();
    knowledge.refresh();
  });
  // The knowledge base: a vector store per workspace folder kept in sync, the user's knowledge
  // bases (Add to Knowledge Base, the Knowledge view), file_search with citations that open files.
  const knowledge: KnowledgeFeature = new KnowledgeFeature({ engine: () => servingEngine(), isEngineOpen: (): boolean => engine.isOpen, memory, provider, apiKey: () => apiKeys.current, log });
  const server = new LocalApiServer({ storageDir: context.globalStorageUri.fsPath, secrets: context.secrets, provider, log });

  // The status bar follows the engine once something else opens it.
  const statusBar = new ThreadworkStatusBar({
    provider, memory, prices, contextWindow, allowTools: toolsAllowed,
    runTools: () => withCodeInterpreter(tools.runTools(), readInterpreterSettings().enabled),
    isEnabled: () => readSetting('threadwork.statusBar.enabled'),
    knowledge: () => knowledge.describe(),
    server: () => server.info,
    onRunEnded: watchToolRefusals({ provider, capabilities, log, tell: (message) => void vscode.window.showWarningMessage(message) }),
  });
  const servingEngine = () => {
    const opened = tools.attach(engine.get());
    statusBar.attach(opened);
    return opened;
  };

  // Select Model: local servers found on their usual ports, OpenAI, any compatible endpoint, VS Code's models.
  const wizard = new ProviderWizard({ keys: new ApiKeyRing(context.secrets, apiKeys), capabilities, log });
  const editorActions = createEditorActions(provider);

  // The chat panel in the activity bar, and its commands.
  const chatView = new ChatViewProvider(context.extensionUri, {
    engine: servingEngine,
    provider,
    approvals,
    // The panel's "Open Settings" on a fresh install leads to Select Model rather than a settings page.
    editor: { ...editorActions, configureProvider: (action) => (action === 'openSettings' ? wizard.run().then(() => undefined) : editorActions.configureProvider(action)) },
    memory,
    tools: runTools,
    files: new VsCodeChatFiles(context.globalStorageUri.fsPath, log),
    citations: knowledge.citations,
  }, log);

  // Editor actions put their question into the panel, where the answer streams.
  const panelAsk = new PanelAsk({
    engine: servingEngine,
    provider,
    memory,
    tools: runTools,
    allowTools: toolsAllowed,
    showThread: (threadId) => chatView.showThread(threadId),
    conversation: () => readSetting('threadwork.editorActions.conversation'),
    onNotConfigured: (problem) => void vscode.window.showWarningMessage(`Threadwork has no model to ask yet. ${problem}`, 'Choose a Model').then((choice) => {
      if (choice) void vscode.commands.executeCommand(COMMANDS.selectModel);
    }),
  });

  const updateProviderContext = () => void vscode.commands.executeCommand('setContext', CONTEXT_KEYS.providerConfigured, provider.status().isConfigured);
  void provider.whenReady().then(updateProviderContext);

  const app = vscode.Disposable.from(
    log,
    apiKeys,
    provider,
    vscode.window.registerWebviewViewProvider(CHAT_VIEW_ID, chatView),
    registerChatCommands(chatView, provider),
    registerToolCommands({ engine: servingEngine, tools, currentThreadId: () => memory.get('lastThreadId'), log }),
    registerCommands({
      openChat: () => chatView.reveal(),
      editor: createEditorCommands({ ask: (text) => panelAsk.ask(text) }),
      wizard,
      assistants: { engine: servingEngine, memory, provider },
      transfer: { engine: servingEngine, currentThreadId: () => memory.get('lastThreadId'), showThread: (threadId) => chatView.showThread(threadId), log },
      server,
      addToKnowledgeBase: (resource, selected) => knowledge.addToKnowledgeBase(resource, selected),
      log,
    }),
    registerFixCodeActions(),
    watchRunnerChoice(distDir, log),
    InstructionsFileSystem.register(servingEngine),
    new vscode.Disposable(provider.onDidChange(() => {
      updateProviderContext();
      statusBar.refresh();
    })),
    server.onDidChange(() => statusBar.refresh()),
    onDidChangeSettings(['threadwork.usage', 'threadwork.statusBar', 'threadwork.provider.contextWindows'], () => statusBar.refresh()),
    statusBar,
    chatView,
    server,
    tools,
    knowledge.register(),
    knowledge,
    engine,
  );
  // bench:activation reads VS Code's own figure; this line splits out the parts spent in our code.
  const codeLoading = loading ? ` after ${Math.round(loading.ms)} ms loading code (code cache ${loading.cache})` : '';
  log.info(`Activation wired in ${Math.round(performance.now() - started)} ms${codeLoading} (the engine opens on first use).`);
  return app;
}
