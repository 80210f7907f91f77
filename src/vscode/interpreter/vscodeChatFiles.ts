/**
 * The chat panel's file requests as VS Code carries them out: the open dialog for attachments, and
 * for files the assistant generated either an editor (the bytes are written under the extension's
 * storage and opened there, so images get VS Code's preview and CSVs a text editor) or the save
 * dialog (Save As, starting in the workspace).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import * as vscode from 'vscode';
import type { ChatFilesPort, PickedFile, StoredFile } from './chatFileRequests.ts';
import { readInterpreterSettings } from './interpreterConfiguration.ts';

export class VsCodeChatFiles implements ChatFilesPort {
  private readonly storageDir: string;
  private readonly log: vscode.LogOutputChannel;

  constructor(storageDir: string, log: vscode.LogOutputChannel) {
    this.storageDir = storageDir;
    this.log = log;
  }

  codeInterpreterEnabled(): boolean {
    return readInterpreterSettings().enabled;
  }

  async pickFiles(maxBytes: number): Promise<{ files: PickedFile[]; skipped: string[] }> {
    const uris = await vscode.window.showOpenDialog({
      canSelectMany: true,
      canSelectFiles: true,
      canSelectFolders: false,
      openLabel: 'Attach',
      title: 'Attach files to your message',
      ...(vscode.workspace.workspaceFolders?.[0] ? { defaultUri: vscode.workspace.workspaceFolders[0].uri } : {}),
    });
    const files: PickedFile[] = [];
    const skipped: string[] = [];
    for (const uri of uris ?? []) {
      const name = basename(uri.path);
      try {
        const stat = await vscode.workspace.fs.stat(uri);
        if (stat.size > maxBytes) {
          skipped.push(`${name}: larger than ${Math.round(maxBytes / (1024 * 1024))} MB.`);
          continue;
        }
        files.push({ name, bytes: await vscode.workspace.fs.readFile(uri) });
      } catch (error) {
        skipped.push(`${name}: could not be read (${error instanceof Error ? error.message : String(error)}).`);
      }
    }
    if (files.length > 0) this.log.info(`Attached ${files.map((file) => `${file.name} (${file.bytes.byteLength} bytes)`).join(', ')}.`);
    return { files, skipped };
  }

  async openFile(file: StoredFile): Promise<boolean> {
    // One folder per file id: two runs may both write "chart.png".
    const folder = join(this.storageDir, 'generated', file.fileId.replace(/[^\w-]/g, ''));
    mkdirSync(folder, { recursive: true });
    const path = join(folder, safeName(file.filename));
    writeFileSync(path, file.bytes);
    await vscode.commands.executeCommand('vscode.open', vscode.Uri.file(path), { preview: true });
    return true;
  }

  async saveFile(file: StoredFile): Promise<boolean> {
    const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
    const target = await vscode.window.showSaveDialog({
      title: `Save ${safeName(file.filename)}`,
      saveLabel: 'Save',
      ...(folder ? { defaultUri: vscode.Uri.joinPath(folder, safeName(file.filename)) } : {}),
    });
    if (!target) return false;
    await vscode.workspace.fs.writeFile(target, file.bytes);
    this.log.info(`Saved generated file ${file.fileId} to ${target.toString()}.`);
    return true;
  }
}

/** The file's own name without any folder part, and nothing a file system would refuse. */
function safeName(filename: string): string {
  const name = basename(filename.replace(/\\/g, '/')).replace(/[\u0000-\u001f<>:"|?*]/g, '_').trim();
  return name === '' || name === '.' || name === '..' ? 'output' : name;
}
