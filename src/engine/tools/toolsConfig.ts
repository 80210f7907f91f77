/**
 * Plain settings for the workspace tools. The VS Code side fills them from its configuration; the
 * engine never sees a WorkspaceConfiguration.
 */

export interface ToolsConfig {
  /** Globs (folder-relative) hidden from list_files and search_text, on top of .gitignore. */
  excludeGlobs: readonly string[];
  /** Overrides run_tests' detection, e.g. "npm run test:unit". */
  testCommand?: string;
  /** Explicit ripgrep binary (VS Code passes its own); otherwise @vscode/ripgrep, then the JS search. */
  ripgrepPath?: string;
  /** Set false to force the JS search (tests, or a broken rg). */
  useRipgrep: boolean;
  /** read_file refuses larger files outright. */
  maxReadFileBytes: number;
  /** read_file returns at most this many lines per call… */
  maxReadLines: number;
  /** …and at most this many characters. */
  maxReadChars: number;
  /** Default and ceiling for run_command / run_tests timeouts. */
  commandTimeoutMs: number;
  maxCommandTimeoutMs: number;
  /** Command output kept for the model: head and tail of this many bytes each. */
  commandOutputHeadBytes: number;
  commandOutputTailBytes: number;
  /** Average line similarity (0–1) a fuzzy apply_edit match must reach. */
  fuzzyEditThreshold: number;
}

export const DEFAULT_TOOLS_CONFIG: ToolsConfig = {
  excludeGlobs: ['**/node_modules/**'],
  useRipgrep: true,
  maxReadFileBytes: 10 * 1024 * 1024,
  maxReadLines: 2000,
  maxReadChars: 100_000,
  commandTimeoutMs: 120_000,
  maxCommandTimeoutMs: 600_000,
  commandOutputHeadBytes: 8 * 1024,
  commandOutputTailBytes: 24 * 1024,
  fuzzyEditThreshold: 0.85,
};

export function toolsConfig(overrides: Partial<ToolsConfig> = {}): ToolsConfig {
  return { ...DEFAULT_TOOLS_CONFIG, ...overrides };
}
