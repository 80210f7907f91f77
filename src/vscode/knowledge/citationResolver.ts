/**
 * A click on a citation, turned into a place to open. The annotation names a file id and carries
 * the marker `【k:i†name】`; the message's run has the k-th file_search call, whose i-th result is
 * that file and whose recorded text is the chunk. The chunk's lines come from what the search
 * returned (KnowledgeLinks), and the file's whereabouts from what indexed it: a workspace folder's
 * store (file id = folder-relative path) or a knowledge base (file id → the URI it was read from).
 * A file uploaded some other way is shown from its stored content. No `vscode` import.
 */
import type { Engine } from '../../engine/engine.ts';
import type { FileSearchToolCall } from '../../engine/types/runStep.ts';
import type { KnowledgeLinks } from './knowledgeLinks.ts';

export interface CitationRequest {
  threadId: string;
  messageId: string;
  fileId: string;
  /** The annotation's text: the marker as the model wrote it. */
  marker: string;
}

export interface LineRange {
  /** 1-based, inclusive. */
  startLine: number;
  endLine: number;
}

interface TargetCommon {
  /** The chunk the model read, to find it again in a file edited since. */
  chunkText?: string;
  /** What the model searched for, to point at the lines of the chunk that answer it. */
  query?: string;
  lines?: LineRange;
  label: string;
}

export type CitationTarget =
  | (TargetCommon & { kind: 'workspace'; folderUri: string; relativePath: string })
  | (TargetCommon & { kind: 'source'; uri: string })
  | (TargetCommon & { kind: 'content'; filename: string; text: string });

export interface CitationLookups {
  links: KnowledgeLinks;
  /** Stores that index a folder of this window, by store id → folder URI. */
  workspaceStores(): ReadonlyMap<string, string>;
  /** Whether a workspace store's index holds this folder-relative path. */
  storeHolds(vectorStoreId: string, key: string): boolean;
}

const MARKER = /^【(\d+):(\d+)†([^】]*)】$/;

export function parseMarker(marker: string): { call: number; result: number; name: string } | undefined {
  const match = MARKER.exec(marker.trim());
  return match ? { call: Number(match[1]), result: Number(match[2]), name: match[3]! } : undefined;
}

/** The query of a file_search call, from the arguments the model gave it. */
function queryOf(argumentsJson: string | undefined): string | undefined {
  try {
    const parsed = JSON.parse(argumentsJson ?? '') as { query?: unknown; queries?: unknown };
    if (typeof parsed.query === 'string') return parsed.query;
    if (Array.isArray(parsed.queries)) return parsed.queries.filter((query) => typeof query === 'string').join(' ');
  } catch {
    // Arguments the model garbled: no query to point with.
  }
  return undefined;
}

/** The chunk text file_search returned for this citation (and the query), when the run still has them. */
export function citedChunk(engine: Engine, request: CitationRequest): { text?: string; query?: string; fileId: string } {
  const message = engine.store.messages.get(request.messageId);
  const parsed = parseMarker(request.marker);
  if (!message || message.thread_id !== request.threadId || !message.run_id || !parsed) return { fileId: request.fileId };
  const calls = engine.store.steps
    .all({ run_id: message.run_id })
    .flatMap((step) => (step.step_details.type === 'tool_calls' ? step.step_details.tool_calls : []))
    .filter((call): call is FileSearchToolCall => call.type === 'file_search');
  const call = calls[parsed.call];
  const result = call?.file_search.results?.[parsed.result];
  if (!call || !result || result.file_id !== request.fileId) return { fileId: request.fileId };
  const context = engine.store.toolCallContexts(message.run_id).get(call.id);
  const contents = context?.resultContents;
  const text = Array.isArray(contents) && typeof contents[parsed.result] === 'string' ? (contents[parsed.result] as string) : undefined;
  const query = queryOf(context?.arguments);
  return { fileId: result.file_id, ...(text !== undefined ? { text } : {}), ...(query ? { query } : {}) };
}

export function resolveCitation(engine: Engine, lookups: CitationLookups, request: CitationRequest): CitationTarget | undefined {
  const { text, query, fileId } = citedChunk(engine, request);
  const recorded = text !== undefined ? lookups.links.chunkLines(fileId, text) : undefined;
  const common = {
    ...(text !== undefined ? { chunkText: text } : {}),
    ...(query ? { query } : {}),
    ...(recorded ? { lines: { startLine: recorded.startLine, endLine: recorded.endLine } } : {}),
  };

  const source = lookups.links.source(fileId);
  if (source) return { kind: 'source', uri: source.uri, label: engine.store.files.get(fileId)?.filename ?? fileId, ...common };

  const stores = lookups.workspaceStores();
  const folderOfRecorded = recorded ? stores.get(recorded.vectorStoreId) : undefined;
  if (folderOfRecorded) return { kind: 'workspace', folderUri: folderOfRecorded, relativePath: fileId, label: fileId, ...common };
  for (const [storeId, folderUri] of stores) {
    if (lookups.storeHolds(storeId, fileId)) return { kind: 'workspace', folderUri, relativePath: fileId, label: fileId, ...common };
  }

  const file = engine.store.files.get(fileId);
  const bytes = file ? engine.store.fileContent(fileId) : undefined;
  if (file && bytes) return { kind: 'content', filename: file.filename, text: new TextDecoder().decode(bytes), label: file.filename, ...common };
  return undefined;
}

/**
 * Where the chunk is in the file as it is now: the recorded lines when the text still sits there,
 * else the occurrence nearest to them (the file was edited above the chunk), else the recorded
 * lines clamped to the file, else the first line.
 */
export function locateChunk(documentText: string, chunkText: string | undefined, recorded: LineRange | undefined): LineRange {
  const lineCount = documentText.split('\n').length;
  const clamp = (range: LineRange): LineRange => {
    const startLine = Math.min(Math.max(1, range.startLine), lineCount);
    return { startLine, endLine: Math.min(Math.max(startLine, range.endLine), lineCount) };
  };
  const needle = chunkText?.replace(/\r\n/g, '\n').trim();
  if (!needle) return clamp(recorded ?? { startLine: 1, endLine: 1 });
  const haystack = documentText.replace(/\r\n/g, '\n');
  const span = needle.split('\n').length - 1;
  let best: LineRange | undefined;
  for (let at = haystack.indexOf(needle); at !== -1; at = haystack.indexOf(needle, at + 1)) {
    const startLine = lineAt(haystack, at);
    const candidate = { startLine, endLine: startLine + span };
    if (!best || !recorded || Math.abs(startLine - recorded.startLine) < Math.abs(best.startLine - recorded.startLine)) best = candidate;
    if (!recorded) break;
  }
  return clamp(best ?? recorded ?? { startLine: 1, endLine: 1 });
}

/** Words of a query worth looking for in a line (short and common ones say nothing). */
const STOP_WORDS = new Set(['the', 'and', 'for', 'with', 'that', 'this', 'from', 'what', 'where', 'when', 'how', 'which', 'does', 'are', 'was', 'have', 'has']);

function queryTerms(query: string): string[] {
  const words = query.replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase().split(/[^\p{L}\p{N}_]+/u);
  return [...new Set(words.filter((word) => word.length >= 3 && !STOP_WORDS.has(word)))];
}

/**
 * Inside the cited chunk (often dozens of lines), the passage that answers the query: the line
 * holding most of its words, with the lines of its paragraph around it (at most a few each way).
 * The whole chunk when no line holds any of them.
 */
export function focusLines(documentText: string, chunk: LineRange, query: string | undefined, reach = 4): LineRange {
  const terms = query ? queryTerms(query) : [];
  if (terms.length === 0) return chunk;
  const lines = documentText.replace(/\r\n/g, '\n').split('\n');
  let best = { line: 0, score: 0 };
  for (let line = chunk.startLine; line <= Math.min(chunk.endLine, lines.length); line++) {
    const text = lines[line - 1]!.toLowerCase();
    const score = terms.filter((term) => text.includes(term)).length;
    if (score > best.score) best = { line, score };
  }
  if (best.score === 0) return chunk;
  const blank = (line: number) => (lines[line - 1] ?? '').trim() === '';
  let startLine = best.line;
  let endLine = best.line;
  while (startLine > Math.max(chunk.startLine, best.line - reach) && !blank(startLine - 1)) startLine--;
  while (endLine < Math.min(chunk.endLine, best.line + reach) && !blank(endLine + 1)) endLine++;
  return { startLine, endLine };
}

function lineAt(text: string, offset: number): number {
  let line = 1;
  for (let i = text.indexOf('\n'); i !== -1 && i < offset; i = text.indexOf('\n', i + 1)) line++;
  return line;
}

/** What the chat panel's host asks when a citation is clicked (src/protocol's `citation/open`). */
export interface CitationOpenResult {
  opened: boolean;
  /** What was opened, as the footnote names it. */
  path?: string;
  /** The lines selected: the passage of the cited chunk that answers the search. */
  startLine?: number;
  endLine?: number;
  /** The whole chunk file_search returned. */
  chunk?: LineRange;
  /** Why nothing opened, in words for the user. */
  reason?: string;
}

export interface CitationPort {
  open(request: CitationRequest): Promise<CitationOpenResult>;
}
