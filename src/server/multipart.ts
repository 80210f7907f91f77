/**
 * A small multipart/form-data parser (RFC 7578) for `POST /files`: the body is already read
 * under the upload limit; this splits it into parts with limits on the number of parts, the
 * size of each part's headers and the size of plain (non-file) fields.
 */
import { HttpError } from './httpErrors.ts';

export interface MultipartPart {
  name: string;
  /** Present for file parts. */
  filename?: string;
  contentType?: string;
  data: Buffer;
}

export interface MultipartLimits {
  maxParts: number;
  maxHeaderBytes: number;
  /** Plain fields (purpose, expires_after[…]) are short; a file part may use the whole body. */
  maxFieldBytes: number;
}

export const DEFAULT_MULTIPART_LIMITS: MultipartLimits = { maxParts: 16, maxHeaderBytes: 8 * 1024, maxFieldBytes: 64 * 1024 };

const CRLF = Buffer.from('\r\n');
const HEADER_END = Buffer.from('\r\n\r\n');

function malformed(detail: string): HttpError {
  return new HttpError(400, `Invalid multipart/form-data body: ${detail}.`, { code: 'invalid_multipart' });
}

/** The boundary named by a `multipart/form-data; boundary=…` content type, or null. */
export function multipartBoundary(contentType: string | undefined): string | null {
  if (!contentType || !/^multipart\/form-data\s*(;|$)/i.test(contentType.trim())) return null;
  const match = /;\s*boundary=(?:"([^"]+)"|([^;\s]+))/i.exec(contentType);
  const boundary = match?.[1] ?? match?.[2];
  if (!boundary || boundary.length > 200) return null;
  return boundary;
}

export function parseMultipart(body: Buffer, boundary: string, limits: MultipartLimits = DEFAULT_MULTIPART_LIMITS): MultipartPart[] {
  const delimiter = Buffer.from(`--${boundary}`);
  const separator = Buffer.from(`\r\n--${boundary}`);
  let position = body.indexOf(delimiter);
  if (position < 0) throw malformed('the boundary named in Content-Type never appears');
  position += delimiter.length;
  const parts: MultipartPart[] = [];
  for (;;) {
    // After a delimiter: `--` closes the body, CRLF opens the next part.
    if (body[position] === 0x2d && body[position + 1] === 0x2d) return parts;
    if (!body.subarray(position, position + 2).equals(CRLF)) throw malformed('expected a line break after the boundary');
    position += 2;
    if (parts.length >= limits.maxParts) throw malformed(`more than ${limits.maxParts} parts`);
    const headerEnd = body.indexOf(HEADER_END, position);
    if (headerEnd < 0 || headerEnd - position > limits.maxHeaderBytes) throw malformed('part headers are missing, unterminated or too long');
    const headers = parseHeaders(body.subarray(position, headerEnd).toString('utf8'));
    const dataStart = headerEnd + HEADER_END.length;
    const dataEnd = body.indexOf(separator, dataStart);
    if (dataEnd < 0) throw malformed('a part is not closed by the boundary');
    const part = describePart(headers);
    const data = body.subarray(dataStart, dataEnd);
    if (part.filename === undefined && data.length > limits.maxFieldBytes) throw malformed(`field '${part.name}' is longer than ${limits.maxFieldBytes} bytes`);
    parts.push({ ...part, data });
    position = dataEnd + separator.length;
  }
}

function parseHeaders(text: string): Map<string, string> {
  const headers = new Map<string, string>();
  for (const line of text.split('\r\n')) {
    const colon = line.indexOf(':');
    if (colon <= 0) throw malformed(`bad part header line '${line.slice(0, 80)}'`);
    headers.set(line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim());
  }
  return headers;
}

function describePart(headers: Map<string, string>): Omit<MultipartPart, 'data'> {
  const disposition = headers.get('content-disposition');
  if (!disposition || !/^form-data\s*(;|$)/i.test(disposition)) throw malformed('a part has no Content-Disposition: form-data header');
  const parameters = dispositionParameters(disposition);
  const name = parameters.get('name');
  if (name === undefined) throw malformed('a part has no name');
  const filename = parameters.get('filename*') ?? parameters.get('filename');
  const contentType = headers.get('content-type');
  return { name, ...(filename !== undefined ? { filename } : {}), ...(contentType ? { contentType } : {}) };
}

/** `name="x"; filename="a \"b\".txt"; filename*=UTF-8''a%20b.txt` → a map of decoded values. */
function dispositionParameters(disposition: string): Map<string, string> {
  const result = new Map<string, string>();
  const pattern = /;\s*([a-zA-Z*]+)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^;]*))/g;
  for (const match of disposition.matchAll(pattern)) {
    const key = match[1]!.toLowerCase();
    const quoted = match[2];
    let value = quoted !== undefined ? quoted.replace(/\\(.)/g, '$1') : (match[3] ?? '').trim();
    if (key === 'filename*') {
      const extended = /^([\w-]+)'[^']*'(.*)$/.exec(value);
      if (!extended) continue;
      try {
        value = decodeURIComponent(extended[2]!);
      } catch {
        continue;
      }
    }
    result.set(key, value);
  }
  return result;
}
