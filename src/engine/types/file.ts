import type { UnixSeconds } from './common.ts';

export type FilePurpose = 'assistants' | 'assistants_output' | 'vision' | 'batch' | 'fine-tune' | 'user_data';

/** `object: "file"`: bytes the user uploaded or a tool generated. */
export interface FileObject {
  id: string;
  object: 'file';
  bytes: number;
  created_at: UnixSeconds;
  expires_at?: UnixSeconds | null;
  filename: string;
  purpose: FilePurpose;
  status: 'uploaded' | 'processed' | 'error';
  status_details?: string | null;
}
