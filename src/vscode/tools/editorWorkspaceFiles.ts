/**
 * The WorkspaceFiles port in VS Code: the workspace's file:// folders read through node:fs (the
 * engine's NodeWorkspace), and writes to a file that is open in the editor applied as one
 * WorkspaceEdit and saved, so the change shows at once and a single Undo takes it back. The bytes
 * on disk must end up exactly as the engine asked (it re-reads them and compares sha256); when the
 * editor cannot produce them — mixed line endings, a save participant that reformats — the exact
 * bytes are written to disk instead and the unchanged-in-memory document reloads from them.
 */
import { realpathSync } from 'node:fs';
import path from 'node:path';
import * as vscode from 'vscode';
import type { WorkspaceEntry, WorkspaceFileStat, WorkspaceFiles, WorkspaceFolder } from '../../engine/ports/workspace.ts';
import { NodeWorkspace } from '../../engine/tools/nodeWorkspace.ts';
import { ToolError } from '../../engine/tools/tool.ts';
import { decodeUtf8 } from '../../engine/tools/textFiles.ts';
import { eolOf, minimalSplice } from './documentEdits.ts';

export class EditorWorkspaceFiles implements WorkspaceFiles, vscode.Disposable {
  #disk: NodeWorkspace;
  readonly #subscription: vscode.Disposable;
  readonly #log: (message: string) => void;

  constructor(log: (message: string) => void) {
    this.#log = log;
    this.#disk = diskWorkspace();
    this.#subscription = vscode.workspace.onDidChangeWorkspaceFolders(() => {
      this.#disk = diskWorkspace();
    });
  }

  folders(): readonly WorkspaceFolder[] {
    return this.#disk.folders();
  }

  realPath(target: string): Promise<string | undefined> {
    return this.#disk.realPath(target);
  }

  stat(target: string): Promise<WorkspaceFileStat | undefined> {
    return this.#disk.stat(target);
  }

  readDirectory(target: string): Promise<WorkspaceEntry[]> {
    return this.#disk.readDirectory(target);
  }

  readFile(target: string): Promise<Uint8Array> {
    return this.#disk.readFile(target);
  }

  async writeFile(target: string, content: Uint8Array): Promise<void> {
    const document = openDocument(target);
    if (!document) return this.#disk.writeFile(target, content);
    if (document.isDirty) {
      throw new ToolError(`${vscode.workspace.asRelativePath(document.uri)} has unsaved changes in the editor, so the tool did not touch it. Ask the user to save or discard them, then read the file again.`);
    }
    const how = await writeThroughDocument(document, content);
    if (how !== 'editor') {
      this.#log(`Wrote ${document.uri.fsPath} to disk directly (${how}).`);
      await this.#disk.writeFile(target, content);
    }
  }

  deleteFile(target: string): Promise<void> {
    const document = openDocument(target);
    if (document?.isDirty) {
      throw new ToolError(`${vscode.workspace.asRelativePath(document.uri)} has unsaved changes in the editor, so it was not deleted. Ask the user to save or discard them first.`);
    }
    return this.#disk.deleteFile(target);
  }

  dispose(): void {
    this.#subscription.dispose();
  }
}

/** Only local folders: the engine's containment checks work on real OS paths. */
function diskWorkspace(): NodeWorkspace {
  const folders = (vscode.workspace.workspaceFolders ?? []).filter((folder) => folder.uri.scheme === 'file').flatMap((folder) => {
    try {
      realpathSync(folder.uri.fsPath);
      return [{ name: folder.name, path: folder.uri.fsPath }];
    } catch {
      return [];
    }
  });
  return new NodeWorkspace(folders);
}

/** The open document for a real path (documents keep the path they were opened with, links and all). */
function openDocument(target: string): vscode.TextDocument | undefined {
  return vscode.workspace.textDocuments.find((document) => document.uri.scheme === 'file' && sameFile(document.uri.fsPath, target));
}

function sameFile(documentPath: string, target: string): boolean {
  if (path.resolve(documentPath) === target) return true;
  try {
    return realpathSync(documentPath) === target;
  } catch {
    return false;
  }
}

/** 'editor' when the document now holds the content and disk has exactly the bytes; otherwise why not. */
async function writeThroughDocument(document: vscode.TextDocument, content: Uint8Array): Promise<'editor' | string> {
  const decoded = decodeUtf8(content);
  if (!decoded) return 'not UTF-8 text';
  const eol = eolOf(decoded.text);
  if (eol === 'mixed') return 'the new text mixes line endings, which an editor document cannot hold';
  const documentEol = document.eol === vscode.EndOfLine.CRLF ? 'crlf' : 'lf';
  if (eol !== 'none' && eol !== documentEol) return 'the new text uses other line endings than the open document';
  const splice = minimalSplice(document.getText(), decoded.text);
  if (splice) {
    const edit = new vscode.WorkspaceEdit();
    edit.replace(document.uri, new vscode.Range(document.positionAt(splice.start), document.positionAt(splice.end)), splice.insert);
    if (!(await vscode.workspace.applyEdit(edit))) return 'the editor refused the edit';
  }
  if (!(await document.save())) throw new ToolError(`The edit to ${vscode.workspace.asRelativePath(document.uri)} was applied in the editor but could not be saved. The user can save or undo it.`);
  const onDisk = await vscode.workspace.fs.readFile(document.uri);
  return Buffer.from(onDisk).equals(Buffer.from(content)) ? 'editor' : 'saving changed the bytes (a save participant such as format-on-save, or the file encoding)';
}
