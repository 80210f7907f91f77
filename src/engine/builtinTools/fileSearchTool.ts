/**
 * v2's `file_search`: the model decides when to search; the engine searches the vector stores
 * of the assistant and the thread, records the results on the tool_calls step, and turns the
 * citation markers of the answer into `file_citation` annotations.
 */
import type { AnswerDecoration, BuiltinTool, BuiltinToolContext, BuiltinToolResult } from '../ports/builtinTool.ts';
import type { ModelTool } from '../ports/modelBackend.ts';
import type { VectorIndex } from '../ports/vectorIndex.ts';
import type { Assistant } from '../types/assistant.ts';
import type { Run } from '../types/run.ts';
import type { FileSearchResult, ToolCall } from '../types/runStep.ts';
import type { Thread } from '../types/thread.ts';
import type { ToolDefinition } from '../types/tools.ts';
import type { ToolCallDelta } from '../types/streamEvent.ts';
import { citationAnnotations, citationMarker } from './citationMarkers.ts';

/** v2 returned up to 20 results by default for current models. */
export const DEFAULT_MAX_RESULTS = 20;
/** Results longer than this are cut for the model (the step keeps the full text). */
const RESULT_CHARS_FOR_MODEL = 4_000;

export interface FileSearchDependencies {
  index: VectorIndex;
  /** The stores a run may search: the assistant's and the thread's (expired stores fail the call). */
  storesFor(thread: Thread, assistant: Assistant | undefined): string[];
  /** Marks stores as used now (`last_active_at`). */
  touch?(vectorStoreIds: string[]): void;
}

interface SearchArguments {
  query: string;
}

function parseArguments(json: string): SearchArguments {
  let value: unknown;
  try {
    value = JSON.parse(json || '{}');
  } catch {
    throw new Error('The arguments were not valid JSON. Call file_search with {"query": "<what to look for>"}.');
  }
  const record = (value ?? {}) as Record<string, unknown>;
  const queries = Array.isArray(record['queries']) ? record['queries'].filter((q): q is string => typeof q === 'string') : [];
  const query = typeof record['query'] === 'string' ? record['query'] : queries.join(' ');
  if (!query.trim()) throw new Error('file_search needs a non-empty "query" describing what to look for.');
  return { query };
}

export class FileSearchTool implements BuiltinTool {
  readonly type = 'file_search' as const;
  private readonly deps: FileSearchDependencies;

  constructor(deps: FileSearchDependencies) {
    this.deps = deps;
  }

  modelTool(_definition: ToolDefinition): ModelTool {
    return {
      name: 'file_search',
      description: 'Search the files and knowledge bases attached to this conversation. Use it whenever the answer may be in them; cite what you use.',
      parameters: {
        type: 'object',
        properties: { query: { type: 'string', description: 'What to look for, in words likely to appear in the files.' } },
        required: ['query'],
      },
    };
  }

  instructions(): string {
    return (
      'When you use information from file_search results, cite each source right after the statement it supports with its marker ' +
      'exactly as shown in the results, e.g. 【0:1†notes.md】. Do not invent markers.'
    );
  }

  initialDelta(callId: string, index: number): ToolCallDelta {
    return { index, id: callId, type: 'file_search', file_search: {} };
  }

  async execute(argumentsJson: string, context: BuiltinToolContext): Promise<BuiltinToolResult> {
    const { query } = parseArguments(argumentsJson);
    const definition = context.definition.type === 'file_search' ? context.definition.file_search : undefined;
    const maxResults = definition?.max_num_results ?? DEFAULT_MAX_RESULTS;
    const threshold = definition?.ranking_options?.score_threshold ?? 0;
    const stores = this.deps.storesFor(context.thread, context.assistant);
    const rankingOptions = { ranker: definition?.ranking_options?.ranker ?? 'default_2024_08_21', score_threshold: threshold };
    if (stores.length === 0) {
      return {
        call: { id: context.callId, type: 'file_search', file_search: { ranking_options: rankingOptions, results: [] } },
        modelOutput: 'No files are attached to this conversation, so there is nothing to search. Answer from what you know, and say so.',
        resultContents: [],
      };
    }
    this.deps.touch?.(stores);
    const hits = await this.deps.index.search(stores, query, { maxResults, scoreThreshold: threshold, signal: context.signal });
    const results: FileSearchResult[] = hits.map((hit) => ({ file_id: hit.fileId, file_name: hit.filename, score: Math.max(0, Math.min(1, hit.score)) }));
    const ordinal = context.ordinal;
    const modelOutput =
      hits.length === 0
        ? `No results for "${query}". Try other words, or answer without the files and say so.`
        : hits
            .map((hit, index) => {
              const lines = hit.startLine !== undefined ? `, lines ${hit.startLine}-${hit.endLine ?? hit.startLine}` : '';
              const text = hit.text.length > RESULT_CHARS_FOR_MODEL ? `${hit.text.slice(0, RESULT_CHARS_FOR_MODEL)}\n…` : hit.text;
              return `${citationMarker(ordinal, index, hit.filename)} ${hit.filename}${lines} (score ${hit.score.toFixed(2)})\n${text}`;
            })
            .join('\n\n');
    return {
      call: { id: context.callId, type: 'file_search', file_search: { ranking_options: rankingOptions, results } },
      modelOutput,
      resultContents: hits.map((hit) => hit.text),
    };
  }

  decorateAnswer(text: string, _run: Run, calls: ToolCall[]): AnswerDecoration {
    const searches = calls.filter((call): call is Extract<ToolCall, { type: 'file_search' }> => call.type === 'file_search');
    const annotations = citationAnnotations(text, (ordinal, index) => searches[ordinal]?.file_search.results?.[index]?.file_id);
    return { text, annotations, parts: [] };
  }
}
