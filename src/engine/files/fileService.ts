/** Files: upload, retrieve, list, content, delete (docs/assistants-v2.md §2.10). Bytes live in the same database. */
import type { EngineContext } from '../engineContext.ts';
import { invalid, notFound } from '../errors.ts';
import { checkIdPrefix, newId } from '../ids.ts';
import type { ListPage } from '../types/common.ts';
import type { FileObject, FilePurpose } from '../types/file.ts';
import { checkString } from '../validation/bodyReader.ts';

export const FILE_PURPOSES: readonly FilePurpose[] = ['assistants', 'assistants_output', 'vision', 'batch', 'fine-tune', 'user_data'];
/** 512 MB per file, as v2 allowed. */
export const MAX_FILE_BYTES = 512 * 1024 * 1024;

/** Called when a file is deleted, so vector stores and tool resources drop it too. */
export type FileDeletionListener = (fileId: string) => void;

export class FileService {
  private readonly context: EngineContext;
  private readonly deletionListeners: FileDeletionListener[] = [];

  constructor(context: EngineContext) {
    this.context = context;
  }

  onDelete(listener: FileDeletionListener): void {
    this.deletionListeners.push(listener);
  }

  /** `expiresAfterSeconds`: v2's `expires_after {anchor: created_at, seconds}` (3600..2592000), already validated. */
  create(input: { filename: string; purpose: string; bytes: Uint8Array; expiresAfterSeconds?: number }): FileObject {
    const purpose = checkString(input.purpose, 'purpose', { enum: FILE_PURPOSES }) as FilePurpose;
    const filename = checkString(input.filename, 'file', { min: 1, max: 1024 });
    if (input.bytes.byteLength > MAX_FILE_BYTES) throw invalid(`File is too large: ${input.bytes.byteLength} bytes; the limit is ${MAX_FILE_BYTES} bytes.`, 'file', 'file_too_large');
    const now = this.context.clock.nowSeconds();
    const file: FileObject = {
      id: newId('file'),
      object: 'file',
      bytes: input.bytes.byteLength,
      created_at: now,
      // The spec types expires_at and status_details as non-null when present: leave them out instead of sending null.
      ...(input.expiresAfterSeconds === undefined ? {} : { expires_at: now + input.expiresAfterSeconds }),
      filename,
      purpose,
      status: 'processed',
    };
    this.context.store.transaction(() => {
      this.context.store.files.insert(file.id, file);
      this.context.store.putFileContent(file.id, input.bytes);
    });
    return file;
  }

  retrieve(fileId: string): FileObject {
    checkIdPrefix(fileId, 'file', 'file_id');
    const file = this.context.store.files.get(fileId);
    if (!file) throw notFound('file', fileId);
    return file;
  }

  content(fileId: string): Uint8Array {
    this.retrieve(fileId);
    return this.context.store.fileContent(fileId) ?? new Uint8Array();
  }

  list(params: { limit?: number; order?: 'asc' | 'desc'; after?: string; purpose?: string } = {}): ListPage<FileObject> {
    const where: Record<string, string> = {};
    if (params.purpose !== undefined) where['purpose'] = params.purpose;
    return this.context.store.files.list(where, params, { defaultLimit: 10_000 });
  }

  delete(fileId: string): { id: string; object: 'file'; deleted: true } {
    this.retrieve(fileId);
    this.context.store.transaction(() => {
      this.context.store.files.delete(fileId);
      this.context.store.deleteFileContent(fileId);
      for (const listener of this.deletionListeners) listener(fileId);
    });
    return { id: fileId, object: 'file', deleted: true };
  }
}
