/**
 * The editor actions: Explain Selection, Fix This, Write Tests for Selection, Refactor Selection and
 * Ask About This File. Each reads the editor, builds its question (editorPrompts.ts) and hands it to
 * the chat panel, where the answer streams.
 */
import * as vscode from 'vscode';
import { readSetting } from '../setup/setupConfiguration.ts';
import { activeEditor, diagnosticsIn, excerptFromEditor, excerptOfLines, fileExcerpt, type FixTarget } from './editorContext.ts';
import { askAboutFilePrompt, explainPrompt, fixPrompt, refactorPrompt, testsPrompt } from './editorPrompts.ts';
import type { AskResult } from './panelAsk.ts';

export interface EditorCommandDependencies {
  ask(text: string): Promise<AskResult | undefined>;
}

function needEditor(): vscode.TextEditor | undefined {
  const editor = activeEditor();
  if (!editor) void vscode.window.showInformationMessage('Open a file in an editor first: the question is about its code.');
  return editor;
}

export function createEditorCommands(deps: EditorCommandDependencies): {
  explainSelection(): Promise<AskResult | undefined>;
  fixThis(target?: FixTarget): Promise<AskResult | undefined>;
  writeTests(): Promise<AskResult | undefined>;
  refactorSelection(request?: string): Promise<AskResult | undefined>;
  askAboutFile(resource?: vscode.Uri | string, question?: string): Promise<AskResult | undefined>;
} {
  return {
    explainSelection: async () => {
      const editor = needEditor();
      return editor ? deps.ask(explainPrompt(await excerptFromEditor(editor))) : undefined;
    },

    fixThis: async (target) => {
      if (isFixTarget(target)) {
        const document = await vscode.workspace.openTextDocument(vscode.Uri.parse(target.uri));
        return deps.ask(fixPrompt(excerptOfLines(document, target.startLine, target.endLine), target.diagnostics));
      }
      const editor = needEditor();
      if (!editor) return undefined;
      const excerpt = await excerptFromEditor(editor);
      return deps.ask(fixPrompt(excerpt, diagnosticsIn(editor.document.uri, excerpt.startLine - 1, excerpt.endLine - 1)));
    },

    writeTests: async () => {
      const editor = needEditor();
      return editor ? deps.ask(testsPrompt(await excerptFromEditor(editor))) : undefined;
    },

    refactorSelection: async (request) => {
      const editor = needEditor();
      if (!editor) return undefined;
      const excerpt = await excerptFromEditor(editor);
      const wanted = typeof request === 'string' && request.trim().length > 0 ? request : await vscode.window.showInputBox({
        title: `Refactor ${excerpt.symbol ?? `lines ${excerpt.startLine}–${excerpt.endLine}`}`,
        prompt: 'What should change? For example: extract the parsing into a function, use async/await, rename x to count.',
        ignoreFocusOut: true,
        validateInput: (text) => (text.trim().length === 0 ? 'Say what to change.' : undefined),
      });
      return wanted ? deps.ask(refactorPrompt(excerpt, wanted)) : undefined;
    },

    askAboutFile: async (resource, question) => {
      // From the explorer the file comes as the argument; from the palette it is the active editor's.
      const uri = resource instanceof vscode.Uri ? resource : typeof resource === 'string' ? vscode.Uri.parse(resource) : activeEditor()?.document.uri;
      if (!uri) {
        void vscode.window.showInformationMessage('Open a file, or right-click one in the Explorer, to ask about it.');
        return undefined;
      }
      const file = await fileExcerpt(uri, readSetting('threadwork.editorActions.maxFileCharacters'));
      const asked = typeof question === 'string' && question.trim().length > 0 ? question : await vscode.window.showInputBox({
        title: `Ask about ${file.path}`,
        prompt: 'Your question about this file',
        placeHolder: 'What does this file do? Where is X handled? What would break if…',
        ignoreFocusOut: true,
      });
      return asked && asked.trim().length > 0 ? deps.ask(askAboutFilePrompt(file, asked)) : undefined;
    },
  };
}

function isFixTarget(value: unknown): value is FixTarget {
  const target = value as FixTarget | undefined;
  return typeof target === 'object' && target !== null && typeof target.uri === 'string' && Number.isInteger(target.startLine) && Number.isInteger(target.endLine) && Array.isArray(target.diagnostics);
}
