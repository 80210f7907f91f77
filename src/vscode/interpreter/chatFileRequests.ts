/**
 * The chat panel's file requests: attaching files to a message (picked by the user, uploaded to the
 * engine's file store), the names of attached files, the bytes of images the answer shows, and
 * opening or saving files the assistant generated. The panel never reads a file or a URL itself;
 * everything it shows comes through here. No `vscode` import: the picker and the editor are a port.
 */
import type { Engine } from '../../engine/engine.ts';
import type { FileObject } from '../../engine/types/file.ts';
import type { Channel } from '../../protocol/channel.ts';
import type { AttachedFile, ImageData } from '../../protocol/chatModel.ts';
import type { ParamsOf, ResultOf } from '../../protocol/descriptors.ts';
import { ProtocolError } from '../../protocol/envelope.ts';
import * as protocol from '../../protocol/messages.ts';
import { attachmentTools } from './interpreterTools.ts';

/** Larger files are not uploaded: the sandbox holds its inputs in memory. */
export const MAX_ATTACHMENT_BYTES = 50 * 1024 * 1024;
/** Images larger than this are not sent to the panel (a chart is a few tens of kilobytes). */
export const MAX_IMAGE_BYTES = 10 * 1024 * 1024;
const MAX_FILES_PER_PICK = 20;

export interface PickedFile {
  name: string;
  bytes: Uint8Array;
}

export interface StoredFile {
  fileId: string;
  filename: string;
  bytes: Uint8Array;
}

/** What the requests need from VS Code. */
export interface ChatFilesPort {
  /** Shows a file picker; files over `maxBytes` come back as `skipped` reasons. Cancelled: nothing. */
  pickFiles(maxBytes: number): Promise<{ files: PickedFile[]; skipped: string[] }>;
  /** Opens a generated file in an editor (text, or VS Code's image preview). */
  openFile(file: StoredFile): Promise<boolean>;
  /** Asks where to save a generated file and writes it there; false when the user cancelled. */
  saveFile(file: StoredFile): Promise<boolean>;
  codeInterpreterEnabled(): boolean;
}

type Result<T> = Promise<ResultOf<T>> | ResultOf<T>;

export class ChatFileRequests {
  private readonly engine: () => Engine;
  private readonly port: ChatFilesPort;
  /** Uploaded from this panel and not sent yet: the only files `files/discard` may delete. */
  private readonly unsent = new Set<string>();

  constructor(engine: () => Engine, port: ChatFilesPort) {
    this.engine = engine;
    this.port = port;
  }

  /** Registers the handlers on a panel's channel; returns their disposers. */
  register(channel: Channel): Array<() => void> {
    return [
      channel.onRequest(protocol.AttachFiles, () => this.attach()),
      channel.onRequest(protocol.DiscardAttachment, (p) => this.discard(p)),
      channel.onRequest(protocol.DescribeFiles, (p) => this.describe(p)),
      channel.onRequest(protocol.GetImage, (p) => this.image(p)),
      channel.onRequest(protocol.OpenGeneratedFile, (p) => this.openGenerated(p)),
    ];
  }

  /** The message that carried these files was sent: they are the thread's now. */
  markSent(fileIds: readonly string[]): void {
    for (const id of fileIds) this.unsent.delete(id);
  }

  async attach(): Promise<ResultOf<typeof protocol.AttachFiles>> {
    const picked = await this.port.pickFiles(MAX_ATTACHMENT_BYTES);
    const skipped = [...picked.skipped];
    const files: AttachedFile[] = [];
    const engine = this.engine();
    const enabled = this.port.codeInterpreterEnabled();
    for (const [index, file] of picked.files.entries()) {
      if (index >= MAX_FILES_PER_PICK) {
        skipped.push(`${file.name}: at most ${MAX_FILES_PER_PICK} files at a time.`);
        continue;
      }
      const tools = attachmentTools(file.name, enabled);
      if (tools.length === 0) {
        skipped.push(`${file.name}: no tool can read this file while the code interpreter is turned off (threadwork.codeInterpreter.enabled).`);
        continue;
      }
      const stored = engine.files.create({ filename: file.name, purpose: 'assistants', bytes: file.bytes });
      this.unsent.add(stored.id);
      files.push({ fileId: stored.id, filename: stored.filename, bytes: stored.bytes, tools: tools.map((tool) => tool.type) });
    }
    return { files, skipped };
  }

  discard({ fileId }: ParamsOf<typeof protocol.DiscardAttachment>): Result<typeof protocol.DiscardAttachment> {
    if (!this.unsent.delete(fileId)) return { deleted: false };
    const engine = this.engine();
    if (!engine.store.files.get(fileId)) return { deleted: false };
    engine.files.delete(fileId);
    return { deleted: true };
  }

  describe({ fileIds }: ParamsOf<typeof protocol.DescribeFiles>): Result<typeof protocol.DescribeFiles> {
    const store = this.engine().store.files;
    const files = fileIds.slice(0, 100).flatMap((fileId) => {
      const file = typeof fileId === 'string' ? store.get(fileId) : undefined;
      return file ? [{ fileId: file.id, filename: file.filename, bytes: file.bytes }] : [];
    });
    return { files };
  }

  image({ fileId }: ParamsOf<typeof protocol.GetImage>): ImageData {
    const { file, bytes } = this.read(fileId);
    if (bytes.byteLength > MAX_IMAGE_BYTES) throw new ProtocolError('invalid_request', `${file.filename} is too large to show here; open it from the file list instead.`);
    const type = imageType(bytes, file.filename);
    if (!type) throw new ProtocolError('invalid_request', `${file.filename} is not an image the panel can show.`);
    return { dataUri: `data:${type};base64,${Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64')}`, ...imageSize(bytes) };
  }

  async openGenerated({ fileId, action }: ParamsOf<typeof protocol.OpenGeneratedFile>): Promise<ResultOf<typeof protocol.OpenGeneratedFile>> {
    const { file, bytes } = this.read(fileId);
    // Model text cannot name an arbitrary file: only what a tool wrote is offered to the editor.
    if (file.purpose !== 'assistants_output') throw new ProtocolError('invalid_request', 'Only files the assistant generated can be opened from the answer.');
    const stored: StoredFile = { fileId: file.id, filename: file.filename, bytes };
    const done = action === 'save' ? await this.port.saveFile(stored) : await this.port.openFile(stored);
    return { done };
  }

  private read(fileId: string): { file: FileObject; bytes: Uint8Array } {
    const engine = this.engine();
    const file = typeof fileId === 'string' ? engine.store.files.get(fileId) : undefined;
    if (!file) throw new ProtocolError('not_found', 'That file is no longer in Threadwork\'s storage.');
    return { file, bytes: engine.store.fileContent(fileId) ?? new Uint8Array() };
  }
}

/** The image type from the file's first bytes (SVG, being text, also by its name). */
export function imageType(bytes: Uint8Array, filename: string): string | null {
  const starts = (...signature: number[]) => signature.every((byte, index) => bytes[index] === byte);
  if (starts(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a)) return 'image/png';
  if (starts(0xff, 0xd8, 0xff)) return 'image/jpeg';
  if (starts(0x47, 0x49, 0x46, 0x38)) return 'image/gif';
  if (starts(0x52, 0x49, 0x46, 0x46) && String.fromCharCode(...bytes.subarray(8, 12)) === 'WEBP') return 'image/webp';
  if (/\.svg$/i.test(filename) && new TextDecoder().decode(bytes.subarray(0, 4096)).includes('<svg')) return 'image/svg+xml';
  return null;
}

/** Width and height from a PNG or GIF header; null for other formats. */
export function imageSize(bytes: Uint8Array): { width: number | null; height: number | null } {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (bytes.byteLength >= 24 && bytes[0] === 0x89 && String.fromCharCode(...bytes.subarray(12, 16)) === 'IHDR') {
    return { width: view.getUint32(16), height: view.getUint32(20) };
  }
  if (bytes.byteLength >= 10 && bytes[0] === 0x47 && bytes[1] === 0x49) return { width: view.getUint16(6, true), height: view.getUint16(8, true) };
  return { width: null, height: null };
}
