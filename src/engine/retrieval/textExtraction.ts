/**
 * Which bytes are text, and what text. file_search accepts text in UTF-8, UTF-16 or ASCII
 * (docs/assistants-v2.md §6.5); everything else is reported as unsupported rather than indexed as
 * mojibake. Binary detection follows the usual rule of editors and git: a NUL byte near the start
 * means binary, unless a UTF-16 byte-order mark (or the NUL pattern of BOM-less UTF-16) explains it.
 */

export type TextEncodingName = 'utf-8' | 'utf-16le' | 'utf-16be';

export type ExtractedText =
  | { ok: true; text: string; encoding: TextEncodingName }
  | { ok: false; reason: 'binary' | 'invalid_encoding' | 'too_large' | 'empty'; message: string };

/** Bytes inspected for NULs and control characters. */
const SNIFF_BYTES = 8192;
/** Share of U+FFFD after UTF-8 decoding above which the file is not really UTF-8 text. */
const MAX_REPLACEMENT_SHARE = 0.02;

/** Extensions that are never text; skipping them saves reading the file at all. */
const BINARY_EXTENSIONS = new Set([
  'png', 'jpg', 'jpeg', 'gif', 'bmp', 'ico', 'icns', 'webp', 'avif', 'tif', 'tiff', 'psd',
  'mp3', 'mp4', 'm4a', 'wav', 'ogg', 'flac', 'avi', 'mov', 'mkv', 'webm',
  'zip', 'gz', 'tgz', 'bz2', 'xz', 'zst', '7z', 'rar', 'tar', 'jar', 'war', 'vsix', 'nupkg',
  'exe', 'dll', 'so', 'dylib', 'o', 'a', 'lib', 'obj', 'class', 'pyc', 'pyo', 'wasm', 'node',
  'pdf', 'doc', 'docx', 'xls', 'xlsx', 'ppt', 'pptx', 'odt', 'ods',
  'ttf', 'otf', 'woff', 'woff2', 'eot', 'sqlite', 'sqlite3', 'sqlite-wal', 'sqlite-shm', 'db', 'db-wal', 'db-shm', 'bin', 'dat', 'pack', 'idx',
]);

export function hasBinaryExtension(path: string): boolean {
  const dot = path.lastIndexOf('.');
  if (dot < 0 || dot < path.lastIndexOf('/')) return false;
  return BINARY_EXTENSIONS.has(path.slice(dot + 1).toLowerCase());
}

export interface ExtractOptions {
  /** Bytes above this are refused with `too_large`. */
  maxBytes?: number;
}

export function extractText(bytes: Uint8Array, options: ExtractOptions = {}): ExtractedText {
  if (options.maxBytes !== undefined && bytes.length > options.maxBytes) {
    return { ok: false, reason: 'too_large', message: `The file is ${bytes.length} bytes; the limit is ${options.maxBytes}.` };
  }
  if (bytes.length === 0) return { ok: false, reason: 'empty', message: 'The file is empty.' };

  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return decodeUtf8(bytes.subarray(3));
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return decodeUtf16(bytes.subarray(2), 'utf-16le');
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return decodeUtf16(bytes.subarray(2), 'utf-16be');

  const sniff = bytes.subarray(0, Math.min(bytes.length, SNIFF_BYTES));
  let evenNuls = 0;
  let oddNuls = 0;
  let controls = 0;
  for (let i = 0; i < sniff.length; i++) {
    const byte = sniff[i]!;
    if (byte === 0) {
      if (i % 2 === 0) evenNuls++;
      else oddNuls++;
    } else if (byte < 32 && byte !== 9 && byte !== 10 && byte !== 13 && byte !== 12 && byte !== 27 && byte !== 8) {
      controls++;
    }
  }
  const pairs = sniff.length / 2;
  // BOM-less UTF-16 of mostly-ASCII text: every other byte is NUL, on one side only.
  if (oddNuls > pairs * 0.3 && evenNuls === 0) return decodeUtf16(bytes, 'utf-16le');
  if (evenNuls > pairs * 0.3 && oddNuls === 0) return decodeUtf16(bytes, 'utf-16be');
  if (evenNuls + oddNuls > 0) return { ok: false, reason: 'binary', message: 'The file contains NUL bytes: it is binary, not text.' };
  if (controls > sniff.length * 0.1) return { ok: false, reason: 'binary', message: 'The file is mostly control characters: it is binary, not text.' };
  return decodeUtf8(bytes);
}

const utf8 = new TextDecoder('utf-8');
const utf16le = new TextDecoder('utf-16le');

function decodeUtf8(bytes: Uint8Array): ExtractedText {
  const text = utf8.decode(bytes);
  let replacements = 0;
  for (let index = text.indexOf('\uFFFD'); index >= 0; index = text.indexOf('\uFFFD', index + 1)) replacements++;
  if (replacements > Math.max(4, text.length * MAX_REPLACEMENT_SHARE)) {
    return { ok: false, reason: 'invalid_encoding', message: 'The file is neither UTF-8 nor UTF-16 text.' };
  }
  return emptyOr(text, 'utf-8');
}

function decodeUtf16(bytes: Uint8Array, encoding: 'utf-16le' | 'utf-16be'): ExtractedText {
  const even = bytes.length - (bytes.length % 2);
  let source = bytes.subarray(0, even);
  if (encoding === 'utf-16be') {
    // Swapped by hand: small-ICU builds of Node have no utf-16be decoder.
    const swapped = new Uint8Array(even);
    for (let i = 0; i < even; i += 2) {
      swapped[i] = source[i + 1]!;
      swapped[i + 1] = source[i]!;
    }
    source = swapped;
  }
  return emptyOr(utf16le.decode(source), encoding);
}

function emptyOr(text: string, encoding: TextEncodingName): ExtractedText {
  if (text.trim() === '') return { ok: false, reason: 'empty', message: 'The file has no text.' };
  return { ok: true, text, encoding };
}
