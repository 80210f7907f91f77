/**
 * Sorting what a cell left under /mnt/data into images (shown inline as `image_file` parts) and
 * other files (offered as `file_path` downloads), plus the checks on names that cross the
 * sandbox boundary in either direction.
 */
import type { SandboxFile, SandboxImage } from '../ports/codeInterpreter.ts';

interface ImageKind {
  mimeType: string;
  /** The bytes must start like this, so a text file named chart.png is not sent as an image. */
  matches: (bytes: Uint8Array) => boolean;
}

const startsWith = (bytes: Uint8Array, prefix: number[], at = 0): boolean =>
  prefix.every((byte, i) => bytes[at + i] === byte);
const ascii = (text: string): number[] => [...text].map((c) => c.charCodeAt(0));

const PNG: ImageKind = { mimeType: 'image/png', matches: (b) => startsWith(b, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]) };
const JPEG: ImageKind = { mimeType: 'image/jpeg', matches: (b) => startsWith(b, [0xff, 0xd8, 0xff]) };
const GIF: ImageKind = { mimeType: 'image/gif', matches: (b) => startsWith(b, ascii('GIF8')) };
const WEBP: ImageKind = { mimeType: 'image/webp', matches: (b) => startsWith(b, ascii('RIFF')) && startsWith(b, ascii('WEBP'), 8) };
const SVG: ImageKind = {
  mimeType: 'image/svg+xml',
  matches: (b) => new TextDecoder().decode(b.subarray(0, 1024)).includes('<svg'),
};

const IMAGE_KINDS: Record<string, ImageKind> = { png: PNG, jpg: JPEG, jpeg: JPEG, gif: GIF, webp: WEBP, svg: SVG };

export function imageMimeType(name: string, bytes: Uint8Array): string | undefined {
  const extension = name.slice(name.lastIndexOf('.') + 1).toLowerCase();
  const kind = IMAGE_KINDS[extension];
  return kind?.matches(bytes) ? kind.mimeType : undefined;
}

export function splitOutputs(outputs: SandboxFile[]): { images: SandboxImage[]; files: SandboxFile[] } {
  const images: SandboxImage[] = [];
  const files: SandboxFile[] = [];
  for (const file of outputs) {
    const mimeType = imageMimeType(file.name, file.bytes);
    if (mimeType) images.push({ name: file.name, bytes: file.bytes, mimeType });
    else files.push(file);
  }
  return { images, files };
}

/**
 * A name is a relative path under /mnt/data: no leading slash, no `.`/`..` segments, no empty
 * segments, no NUL. Anything else is refused before it reaches a file system.
 */
export function isSafeRelativeName(name: string): boolean {
  if (name.length === 0 || name.length > 255 || name.includes('\0') || name.includes('\\')) return false;
  return name.split('/').every((segment) => segment !== '' && segment !== '.' && segment !== '..');
}

export function assertSafeNames(files: SandboxFile[]): void {
  for (const file of files) {
    if (!isSafeRelativeName(file.name)) {
      throw new Error(`Invalid sandbox file name ${JSON.stringify(file.name)}: use a relative path under /mnt/data without '..'.`);
    }
  }
}
