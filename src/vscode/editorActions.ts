/** The chat panel's reach into the editor: inserting code, opening links, provider setup. */
import * as vscode from 'vscode';
import type { ChatMemory, EditorPort } from './chatPorts.ts';
import type { ProviderSetup } from './providerSetup.ts';

export function createEditorActions(provider: ProviderSetup): EditorPort {
  return {
    insertCode: async (code) => {
      const editor = vscode.window.activeTextEditor ?? vscode.window.visibleTextEditors[0];
      if (!editor) return { inserted: false, reason: 'Open a file in an editor first; the code goes where its cursor is.' };
      const inserted = await editor.edit((edit) => {
        for (const selection of editor.selections) edit.replace(selection, code);
      });
      return inserted ? { inserted } : { inserted, reason: 'The editor refused the edit (is the file read-only?).' };
    },
    // openExternal shows VS Code's own "open this link?" confirmation for untrusted domains.
    openLink: (href) => Promise.resolve(vscode.env.openExternal(vscode.Uri.parse(href, true))),
    configureProvider: (action) => (action === 'setApiKey' ? provider.promptForApiKey() : provider.openSettings()),
  };
}

const MEMORY_KEYS = { lastThreadId: 'threadwork.chat.lastThreadId', selectedAssistantId: 'threadwork.chat.selectedAssistantId' } as const;

/** Remembered in globalState, so the panel reopens on the same thread in any window after a reload. */
export function createChatMemory(state: vscode.Memento): ChatMemory {
  return {
    get: (key) => state.get<string>(MEMORY_KEYS[key]),
    set: (key, value) => Promise.resolve(state.update(MEMORY_KEYS[key], value)),
  };
}
