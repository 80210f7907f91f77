/** Reading a file for a write tool, and checking at execution that it is still what was approved. */
import { createHash } from 'node:crypto';
import type { WorkspaceFiles } from '../ports/workspace.ts';
import { WorkspaceFsError } from '../ports/workspace.ts';
import type { ResolvedPath } from './paths.ts';
import { ToolError } from './tool.ts';

export function sha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** The file's bytes, or undefined when it does not exist. Directories are a model-readable error. */
export async function readIfExists(files: WorkspaceFiles, target: ResolvedPath): Promise<Uint8Array | undefined> {
  const stat = await files.stat(target.real);
  if (!stat) return undefined;
  if (stat.type === 'directory') throw new ToolError(`${target.display} is a directory, not a file.`);
  try {
    return await files.readFile(target.real);
  } catch (error) {
    if (WorkspaceFsError.is(error, 'FileNotFound')) return undefined;
    throw error;
  }
}

/**
 * Refuses to go on when the file changed between preparing (what the user approved) and executing:
 * writing now would apply a change the user never saw.
 */
export async function assertUnchanged(files: WorkspaceFiles, target: ResolvedPath, expectedHash: string | undefined): Promise<void> {
  const now = await readIfExists(files, target);
  const nowHash = now === undefined ? undefined : sha256(now);
  if (nowHash !== expectedHash) {
    throw new ToolError(`${target.display} changed after this change was prepared and shown for approval, so nothing was written. Read the file again and redo the change.`);
  }
}
