/** Tool definitions as an assistant or a run declares them (docs/assistants-v2.md §2.2). */

export interface FunctionDefinition {
  name: string;
  description?: string;
  parameters?: Record<string, unknown>;
  strict?: boolean | null;
}

export interface FileSearchRankingOptions {
  ranker?: 'auto' | 'default_2024_08_21';
  score_threshold: number;
}

export type ToolDefinition =
  | { type: 'code_interpreter' }
  | { type: 'file_search'; file_search?: { max_num_results?: number; ranking_options?: FileSearchRankingOptions } }
  | { type: 'function'; function: FunctionDefinition };

export type ToolChoice =
  | 'none'
  | 'auto'
  | 'required'
  | { type: 'function'; function: { name: string } }
  | { type: 'file_search' }
  | { type: 'code_interpreter' };
