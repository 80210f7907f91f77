/**
 * An assistant's instructions as a Markdown document the user edits in a normal editor tab:
 * `threadwork-assistant:/<assistant id>/<name>.md`. Saving (Ctrl+S) writes them into the engine, so
 * long, multi-line instructions get a real editor instead of an input box.
 */
import * as vscode from 'vscode';
import type { Engine } from '../../engine/engine.ts';

export const INSTRUCTIONS_SCHEME = 'threadwork-assistant';

export function instructionsUri(assistantId: string, name: string): vscode.Uri {
  const safe = name.replace(/[^\w .-]+/g, '').trim() || 'assistant';
  return vscode.Uri.from({ scheme: INSTRUCTIONS_SCHEME, path: `/${assistantId}/${safe} instructions.md` });
}

export class InstructionsFileSystem implements vscode.FileSystemProvider {
  private readonly engine: () => Engine;
  private readonly changed = new vscode.EventEmitter<vscode.FileChangeEvent[]>();
  readonly onDidChangeFile = this.changed.event;

  constructor(engine: () => Engine) {
    this.engine = engine;
  }

  static register(engine: () => Engine): vscode.Disposable {
    return vscode.workspace.registerFileSystemProvider(INSTRUCTIONS_SCHEME, new InstructionsFileSystem(engine), { isCaseSensitive: true });
  }

  stat(uri: vscode.Uri): vscode.FileStat {
    const assistant = this.assistantOf(uri);
    return { type: vscode.FileType.File, ctime: assistant.created_at * 1000, mtime: Date.now(), size: Buffer.byteLength(assistant.instructions ?? '') };
  }

  readFile(uri: vscode.Uri): Uint8Array {
    return new TextEncoder().encode(this.assistantOf(uri).instructions ?? '');
  }

  writeFile(uri: vscode.Uri, content: Uint8Array): void {
    const assistant = this.assistantOf(uri);
    this.engine().assistants.update(assistant.id, { instructions: new TextDecoder().decode(content) });
    this.changed.fire([{ type: vscode.FileChangeType.Changed, uri }]);
  }

  watch(): vscode.Disposable {
    return new vscode.Disposable(() => undefined);
  }

  readDirectory(): [string, vscode.FileType][] {
    return [];
  }

  createDirectory(): void {
    throw vscode.FileSystemError.NoPermissions('Assistant instructions are single documents.');
  }

  delete(): void {
    throw vscode.FileSystemError.NoPermissions('Delete an assistant with "Threadwork: Manage Assistants".');
  }

  rename(): void {
    throw vscode.FileSystemError.NoPermissions('Rename an assistant with "Threadwork: Manage Assistants".');
  }

  private assistantOf(uri: vscode.Uri) {
    const id = uri.path.split('/')[1] ?? '';
    const assistant = id.startsWith('asst_') ? this.engine().store.assistants.get(id) : undefined;
    if (!assistant) throw vscode.FileSystemError.FileNotFound(uri);
    return assistant;
  }
}
