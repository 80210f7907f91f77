/** `/files`: multipart upload, list, retrieve, content, delete (docs/assistants-v2.md §2.10). No beta header. */
import { invalid } from '../../engine/errors.ts';
import { checkString } from '../../engine/validation/bodyReader.ts';
import { parseListParams } from '../../engine/validation/commonParams.ts';
import type { MultipartPart } from '../multipart.ts';
import type { QueryValues } from '../query.ts';
import { ok, type Route } from '../routeContext.ts';

/** v2: `expires_after {anchor: "created_at", seconds: 3600..2592000}`, sent as bracketed form fields. */
const EXPIRY_SECONDS = { min: 3600, max: 2_592_000 };

function field(parts: MultipartPart[], name: string): string | undefined {
  const part = parts.find((candidate) => candidate.name === name && candidate.filename === undefined);
  return part?.data.toString('utf8');
}

function readUpload(parts: MultipartPart[]): { filename: string; purpose: string; bytes: Uint8Array; expiresAfterSeconds?: number } {
  const known = new Set(['file', 'purpose', 'expires_after[anchor]', 'expires_after[seconds]']);
  for (const part of parts) if (!known.has(part.name)) throw invalid(`Unknown parameter: '${part.name}'.`, part.name, 'unknown_parameter');
  const file = parts.find((part) => part.name === 'file');
  if (!file) throw invalid("Missing required parameter: 'file'.", 'file', 'missing_required_parameter');
  if (file.filename === undefined) throw invalid("Invalid 'file': expected a file upload (a part with a filename).", 'file', 'invalid_type');
  const purpose = field(parts, 'purpose');
  if (purpose === undefined) throw invalid("Missing required parameter: 'purpose'.", 'purpose', 'missing_required_parameter');
  if (purpose === 'assistants_output') throw invalid("Invalid value: 'assistants_output'. Files with this purpose are produced by code_interpreter, not uploaded.", 'purpose', 'invalid_value');
  const upload: { filename: string; purpose: string; bytes: Uint8Array; expiresAfterSeconds?: number } = { filename: file.filename, purpose, bytes: new Uint8Array(file.data) };
  const anchor = field(parts, 'expires_after[anchor]');
  const seconds = field(parts, 'expires_after[seconds]');
  if (anchor !== undefined || seconds !== undefined) {
    checkString(anchor, 'expires_after.anchor', { enum: ['created_at'] });
    const value = seconds !== undefined && /^\d+$/.test(seconds) ? Number(seconds) : NaN;
    if (!Number.isInteger(value) || value < EXPIRY_SECONDS.min || value > EXPIRY_SECONDS.max) {
      throw invalid(`Invalid 'expires_after.seconds': expected an integer between ${EXPIRY_SECONDS.min} and ${EXPIRY_SECONDS.max}, got '${seconds ?? ''}'.`, 'expires_after.seconds', 'invalid_value');
    }
    upload.expiresAfterSeconds = value;
  }
  return upload;
}

function fileListParams(query: QueryValues): { limit?: number; order?: 'asc' | 'desc'; after?: string; purpose?: string } {
  // GET /files pages differently: up to 10,000 per page, and no `before`.
  const { before: _before, ...params } = parseListParams(query, { maxLimit: 10_000 });
  return query['purpose'] !== undefined ? { ...params, purpose: checkString(query['purpose'], 'purpose') } : params;
}

export const fileRoutes: Route[] = [
  { method: 'GET', path: '/files', beta: false, handler: ({ engine, query }) => ok(engine.files.list(fileListParams(query))) },
  { method: 'POST', path: '/files', beta: false, handler: async ({ engine, multipart }) => ok(engine.files.create(readUpload(await multipart()))) },
  { method: 'GET', path: '/files/{file_id}', beta: false, handler: ({ engine, params }) => ok(engine.files.retrieve(params['file_id']!)) },
  { method: 'DELETE', path: '/files/{file_id}', beta: false, handler: ({ engine, params }) => ok(engine.files.delete(params['file_id']!)) },
  {
    method: 'GET',
    path: '/files/{file_id}/content',
    beta: false,
    handler: ({ engine, params }) => ({ kind: 'bytes', body: engine.files.content(params['file_id']!), contentType: 'application/octet-stream' }),
  },
];
