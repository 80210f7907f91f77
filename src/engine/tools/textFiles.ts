/** Bytes ↔ text for the file tools: UTF-8 with or without BOM, binary detection, line endings. */

export interface DecodedText {
  text: string;
  hasBom: boolean;
}

export type LineEnding = '\n' | '\r\n' | '\r';

export interface SplitText {
  /** Lines without their terminators. */
  lines: string[];
  /** Terminator after each line; '' after the last one. Same length as `lines`. */
  endings: Array<LineEnding | ''>;
}

const SNIFF_BYTES = 8000;

/** A NUL byte, or mostly control characters, in the first 8 KB (git's heuristic, roughly). */
export function looksBinary(bytes: Uint8Array): boolean {
  const length = Math.min(bytes.length, SNIFF_BYTES);
  let control = 0;
  for (let index = 0; index < length; index++) {
    const byte = bytes[index]!;
    if (byte === 0) return true;
    if (byte < 7 || (byte > 13 && byte < 32 && byte !== 27)) control++;
  }
  return length > 0 && control / length > 0.3;
}

/** Undefined when the bytes are not valid UTF-8. */
export function decodeUtf8(bytes: Uint8Array): DecodedText | undefined {
  const hasBom = bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf;
  try {
    const text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(hasBom ? bytes.subarray(3) : bytes);
    return { text, hasBom };
  } catch {
    return undefined;
  }
}

export function encodeUtf8(text: string, hasBom = false): Uint8Array {
  const body = new TextEncoder().encode(text);
  if (!hasBom) return body;
  const out = new Uint8Array(body.length + 3);
  out.set([0xef, 0xbb, 0xbf]);
  out.set(body, 3);
  return out;
}

export function splitLines(text: string): SplitText {
  if (!text.includes('\r')) {
    const lines = text.split('\n');
    const endings = new Array<LineEnding | ''>(lines.length).fill('\n');
    endings[lines.length - 1] = '';
    return { lines, endings };
  }
  const lines: string[] = [];
  const endings: Array<LineEnding | ''> = [];
  const pattern = /\r\n|\n|\r/g;
  let start = 0;
  for (let match = pattern.exec(text); match; match = pattern.exec(text)) {
    lines.push(text.slice(start, match.index));
    endings.push(match[0] as LineEnding);
    start = match.index + match[0].length;
  }
  lines.push(text.slice(start));
  endings.push('');
  return { lines, endings };
}

/** Just the lines, whatever their terminators. */
export function toLines(text: string): string[] {
  return text.includes('\r') ? text.split(/\r\n|\n|\r/) : text.split('\n');
}

/** The most common terminator; LF for a file with none. */
export function dominantLineEnding(endings: ReadonlyArray<LineEnding | ''>): LineEnding {
  let lf = 0;
  let crlf = 0;
  let cr = 0;
  for (const ending of endings) {
    if (ending === '\n') lf++;
    else if (ending === '\r\n') crlf++;
    else if (ending === '\r') cr++;
  }
  if (crlf > lf && crlf >= cr) return '\r\n';
  if (cr > lf && cr > crlf) return '\r';
  return '\n';
}

export function toLf(text: string): string {
  return text.replace(/\r\n?/g, '\n');
}

export function formatBytes(size: number): string {
  if (size < 1024) return `${size} B`;
  if (size < 1024 * 1024) return `${(size / 1024).toFixed(1)} KB`;
  return `${(size / 1024 / 1024).toFixed(1)} MB`;
}
