/**
 * The host's side of a local session's /mnt/data. Sandboxed code can put symbolic links, FIFOs
 * or races into this folder, and the host reads and writes it with the user's full rights, so:
 * - inputs are flat names, created fresh with O_EXCL (never through an existing link);
 * - outputs are regular files found with lstat, opened with O_NOFOLLOW, and kept only if the
 *   opened file is the very inode that was listed (a directory swapped for a link mid-walk
 *   cannot redirect a read to the user's files);
 * - links, devices and FIFOs are never opened.
 */
import { constants } from 'node:fs';
import { lstat, open, readdir, rm, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import type { SandboxFile } from '../../ports/codeInterpreter.ts';

const MAX_LISTED = 10_000;

export interface ListedFile {
  size: number;
  /** Changes when the file is rewritten or replaced. */
  stamp: string;
  dev: number;
  ino: number;
}

export async function listFolder(root: string): Promise<Map<string, ListedFile>> {
  const found = new Map<string, ListedFile>();
  const walk = async (dir: string, prefix: string): Promise<void> => {
    let entries;
    try {
      entries = await readdir(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const entry of entries) {
      if (found.size >= MAX_LISTED) return;
      const path = join(dir, entry.name);
      if (entry.isDirectory()) await walk(path, `${prefix}${entry.name}/`);
      else if (entry.isFile()) {
        try {
          const stat = await lstat(path);
          if (stat.isFile()) found.set(`${prefix}${entry.name}`, { size: stat.size, stamp: `${stat.size}:${stat.mtimeMs}:${stat.ino}`, dev: stat.dev, ino: stat.ino });
        } catch {
          // gone since the listing
        }
      }
    }
  };
  await walk(root, '');
  return found;
}

/** Reads a listed file if it is still that same regular file; undefined otherwise. */
export async function readListedFile(root: string, name: string, listed: ListedFile): Promise<Uint8Array | undefined> {
  let handle;
  try {
    handle = await open(join(root, name), constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK);
  } catch {
    return undefined;
  }
  try {
    const stat = await handle.stat();
    if (!stat.isFile() || stat.ino !== listed.ino || stat.dev !== listed.dev) return undefined;
    const bytes = new Uint8Array(stat.size);
    let offset = 0;
    while (offset < bytes.length) {
      const { bytesRead } = await handle.read(bytes, offset, bytes.length - offset, offset);
      if (bytesRead === 0) break;
      offset += bytesRead;
    }
    return offset === bytes.length ? bytes : bytes.subarray(0, offset);
  } finally {
    await handle.close();
  }
}

/** Places input files at the top of the folder; returns notes about any that were refused. */
export async function writeInputFiles(root: string, files: SandboxFile[]): Promise<string[]> {
  const notes: string[] = [];
  for (const file of files) {
    if (file.name.includes('/')) {
      notes.push(`[sandbox] ${file.name} was not placed: the local runner takes input files at the top of /mnt/data only`);
      continue;
    }
    const path = join(root, file.name);
    try {
      const existing = await lstat(path).catch(() => undefined);
      if (existing?.isDirectory()) {
        notes.push(`[sandbox] ${file.name} was not placed: /mnt/data/${file.name} is a directory`);
        continue;
      }
      if (existing) await unlink(path);
      const handle = await open(path, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW, 0o644);
      try {
        await handle.writeFile(file.bytes);
      } finally {
        await handle.close();
      }
    } catch (error) {
      notes.push(`[sandbox] ${file.name} was not placed: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  return notes;
}

export async function removeFolder(path: string): Promise<void> {
  await rm(path, { recursive: true, force: true });
}

export async function removeFile(path: string): Promise<void> {
  await unlink(path).catch(() => undefined);
}
