/**
 * The chat panel's commands: one handler per id in chatIds.ts (the ids package.json declares; a
 * unit test checks that the two lists agree), registered in one loop.
 */
import * as vscode from 'vscode';
import { CHAT_COMMANDS, type ChatCommandId } from './chatIds.ts';
import type { ChatViewProvider } from './chatViewProvider.ts';
import type { ProviderSetup } from './providerSetup.ts';

export { CHAT_COMMANDS };

export function registerChatCommands(view: ChatViewProvider, provider: ProviderSetup): vscode.Disposable {
  const handlers: Record<ChatCommandId, () => Promise<void>> = {
    [CHAT_COMMANDS.newThread]: () => view.runViewAction('newThread'),
    [CHAT_COMMANDS.showHistory]: () => view.runViewAction('showHistory'),
    [CHAT_COMMANDS.setApiKey]: () => provider.promptForApiKey(),
  };
  return vscode.Disposable.from(...Object.entries(handlers).map(([id, handler]) => vscode.commands.registerCommand(id, handler)));
}
