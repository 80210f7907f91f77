/**
 * Files in the panel: attachments waiting to go out with the next message, and the host's answers
 * about stored files (names for attachment chips, image bytes for charts), each asked for once and
 * cached. Images and names resolve as promises that the rows fill in when they arrive, so a chart
 * loading never redraws the conversation.
 */
import type { AttachedFile, Attachment, ImageData } from '../src/protocol/chatModel.ts';
import * as protocol from '../src/protocol/messages.ts';
import { errorMessage, type PanelStateHost } from './panelStateHost.ts';

export class FileState {
  /** Uploaded and waiting for the next message, in the order picked. */
  pending: AttachedFile[] = [];
  isAttaching = false;

  private readonly host: PanelStateHost;
  private readonly names = new Map<string, Promise<string | undefined>>();
  private readonly images = new Map<string, Promise<ImageData>>();
  private readonly readyImages = new Map<string, ImageData>();
  private describeQueue: Array<{ fileId: string; resolve: (name: string | undefined) => void }> = [];

  constructor(host: PanelStateHost) {
    this.host = host;
  }

  /** The paperclip: the host shows its file picker and uploads what the user chose. */
  async attach(): Promise<void> {
    if (this.isAttaching) return;
    this.host.update(() => (this.isAttaching = true));
    try {
      const { files, skipped } = await this.host.channel.request(protocol.AttachFiles, {});
      this.host.update(() => {
        for (const file of files) this.names.set(file.fileId, Promise.resolve(file.filename));
        this.pending = [...this.pending, ...files];
      });
      if (skipped.length > 0) this.host.notify(`Not attached: ${skipped.join(' ')}`);
    } catch (error) {
      this.host.notify(`Could not attach: ${errorMessage(error)}`);
    } finally {
      this.host.update(() => (this.isAttaching = false));
    }
  }

  /** Removes an attachment before sending; the host deletes its upload. */
  discard(fileId: string): void {
    this.host.update(() => (this.pending = this.pending.filter((file) => file.fileId !== fileId)));
    void this.host.channel.request(protocol.DiscardAttachment, { fileId }).catch(() => undefined);
  }

  /** The pending files as v2 message attachments. */
  attachments(): Attachment[] {
    return this.pending.map((file) => ({ file_id: file.fileId, tools: file.tools.map((type) => ({ type })) }));
  }

  /** The message carrying the pending files was sent. */
  clearPending(): void {
    this.host.update(() => (this.pending = []));
  }

  /** A stored file's name; asked for together with others requested in the same moment. */
  nameOf(fileId: string): Promise<string | undefined> {
    let name = this.names.get(fileId);
    if (!name) {
      name = new Promise((resolve) => {
        this.describeQueue.push({ fileId, resolve });
        if (this.describeQueue.length === 1) queueMicrotask(() => this.describeQueued());
      });
      this.names.set(fileId, name);
    }
    return name;
  }

  /** An image already loaded, for drawing it at once (a row drawn again after scrolling). */
  readyImage(fileId: string): ImageData | undefined {
    return this.readyImages.get(fileId);
  }

  image(fileId: string): Promise<ImageData> {
    let image = this.images.get(fileId);
    if (!image) {
      image = this.host.channel.request(protocol.GetImage, { fileId }).then((data) => {
        this.readyImages.set(fileId, data);
        return data;
      });
      // A failure is shown on the image and asked again only when the row is drawn anew.
      image.catch(() => this.images.delete(fileId));
      this.images.set(fileId, image);
    }
    return image;
  }

  /** Opens a file the assistant generated in VS Code, or saves it (Save As). */
  async openGenerated(fileId: string, action: 'open' | 'save'): Promise<void> {
    try {
      await this.host.channel.request(protocol.OpenGeneratedFile, { fileId, action });
    } catch (error) {
      this.host.notify(`Could not ${action === 'save' ? 'save' : 'open'} the file: ${errorMessage(error)}`);
    }
  }

  private describeQueued(): void {
    const batch = this.describeQueue.splice(0);
    void this.host.channel.request(protocol.DescribeFiles, { fileIds: batch.map((entry) => entry.fileId) }).then(
      ({ files }) => {
        const found = new Map(files.map((file) => [file.fileId, file.filename]));
        for (const entry of batch) entry.resolve(found.get(entry.fileId));
      },
      () => {
        for (const entry of batch) {
          this.names.delete(entry.fileId);
          entry.resolve(undefined);
        }
      },
    );
  }
}
