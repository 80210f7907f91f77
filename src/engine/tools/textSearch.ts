/** The query and result shapes shared by the ripgrep search and its JavaScript fallback. */

export interface TextSearchQuery {
  pattern: string;
  isRegex: boolean;
  /** undefined: smart case (insensitive unless the pattern has an upper-case letter). */
  caseSensitive?: boolean;
  /** Absolute folder path; result paths are relative to it. */
  folderPath: string;
  /** Folder-relative directory or file to search ('' for the whole folder). */
  startAt: string;
  /** Only files matching one of these globs (none: all files). */
  include: readonly string[];
  /** Never these (secrets, configured excludes), on top of ignore files. */
  exclude: readonly string[];
  maxResults: number;
  maxPerFile: number;
  /** Files larger than this are skipped. */
  maxFileBytes: number;
  signal?: AbortSignal;
}

export interface TextMatch {
  /** Folder-relative, forward slashes. */
  path: string;
  /** 1-based. */
  line: number;
  /** 0-based character column of the match within `text`. */
  column: number;
  text: string;
}

export interface TextSearchResult {
  matches: TextMatch[];
  /** More matches exist than were returned. */
  truncated: boolean;
  engine: 'ripgrep' | 'javascript';
}

export function isSmartCaseSensitive(query: TextSearchQuery): boolean {
  return query.caseSensitive ?? /[A-Z]/.test(query.isRegex ? query.pattern.replace(/\\[A-Za-z]/g, '') : query.pattern);
}
