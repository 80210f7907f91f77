/**
 * Where a chunk may be cut without splitting a declaration in two. Tree-sitter grammars from
 * @vscode/tree-sitter-wasm (the ones VS Code itself ships) give the top-level declarations and the
 * members of large ones; files in other languages, minified or huge files, and files whose parse
 * fails fall back to layout: blank lines, unindented lines and markdown headings.
 *
 * The result is one score per line: how good a place it is to start a chunk (0 = mid-statement,
 * 1 = after a blank line, 2 = a nested declaration or unindented line after a blank, 3 = a
 * top-level declaration with its leading comments).
 */
import { createRequire } from 'node:module';
import path from 'node:path';
import type * as TreeSitter from '@vscode/tree-sitter-wasm';
import type { Language as LanguageType, Node as SyntaxNode, Parser as ParserType } from '@vscode/tree-sitter-wasm';

export const BOUNDARY_BLANK = 1;
export const BOUNDARY_MEMBER = 2;
export const BOUNDARY_TOP_LEVEL = 3;

/** Grammar wasm base names of @vscode/tree-sitter-wasm by file extension. */
const GRAMMAR_BY_EXTENSION: Record<string, string> = {
  ts: 'typescript', mts: 'typescript', cts: 'typescript',
  tsx: 'tsx',
  js: 'javascript', mjs: 'javascript', cjs: 'javascript', jsx: 'javascript',
  py: 'python', pyi: 'python',
  go: 'go',
  rs: 'rust',
  java: 'java',
  cs: 'c-sharp',
  c: 'cpp', h: 'cpp', cc: 'cpp', cpp: 'cpp', cxx: 'cpp', hpp: 'cpp', hh: 'cpp', hxx: 'cpp',
  rb: 'ruby',
  php: 'php',
  sh: 'bash', bash: 'bash',
  css: 'css',
  ps1: 'powershell', psm1: 'powershell',
};

/** Node types that start a unit worth keeping whole when nested inside a large declaration. */
const MEMBER_TYPE = /method|function|constructor|class|interface|enum|struct|impl|trait|module|namespace|declaration|definition|property|field|decorated|rule_set|case/;

/**
 * Minified or generated text parses slowly and has no layout worth respecting: files above this
 * size, or with a line longer than MAX_PARSED_LINE, keep layout boundaries.
 */
const MAX_PARSED_CHARS = 1_000_000;
const MAX_PARSED_LINE = 4000;
/** Members are only looked for inside declarations longer than this many lines. */
const LARGE_NODE_LINES = 40;

export function grammarForPath(filePath: string): string | null {
  const dot = filePath.lastIndexOf('.');
  if (dot < 0) return null;
  return GRAMMAR_BY_EXTENSION[filePath.slice(dot + 1).toLowerCase()] ?? null;
}

interface TreeSitterRuntime {
  Language: typeof LanguageType;
  parser: ParserType;
}

let runtime: Promise<TreeSitterRuntime> | null = null;
let readyRuntime: TreeSitterRuntime | null = null;
/** Grammars by name once their load settled: null when the grammar could not be loaded. */
const readyLanguages = new Map<string, LanguageType | null>();
const loadingLanguages = new Map<string, Promise<void>>();
let grammarDirectory: string | null = null;

/**
 * Where the tree-sitter runtime (`tree-sitter.js`, `tree-sitter.wasm`) and the grammar wasm files
 * are: a copy of @vscode/tree-sitter-wasm's `wasm/` folder. By default the installed package; the
 * packaged extension has no node_modules and points this at the copy VS Code itself ships. The
 * runtime and the grammars always come from the same folder, so their versions match.
 * Set it before the first parse (preparation workers are given it when they start).
 */
export function setGrammarDirectory(directory: string | null): void {
  grammarDirectory = directory;
  readyLanguages.clear();
  loadingLanguages.clear();
  runtime = null;
  readyRuntime = null;
}

export function configuredGrammarDirectory(): string | null {
  return grammarDirectory;
}

function wasmDirectory(): string {
  return grammarDirectory ?? path.dirname(createRequire(import.meta.url).resolve('@vscode/tree-sitter-wasm'));
}

async function loadRuntime(): Promise<TreeSitterRuntime> {
  // Loaded on first use: callers that never parse (the main thread, the search path) pay nothing.
  const directory = wasmDirectory();
  const module = createRequire(import.meta.url)(path.join(directory, 'tree-sitter.js')) as typeof TreeSitter;
  await module.Parser.init({ locateFile: (file: string) => path.join(directory, file) });
  return { Language: module.Language, parser: new module.Parser() };
}

/**
 * Loads the parser and the grammar for `filePath`'s language, so that the synchronous
 * `boundaryScores` can use them. Resolves false when the language has no (loadable) grammar.
 */
export async function readyGrammarFor(filePath: string): Promise<boolean> {
  const name = grammarForPath(filePath);
  if (!name) return false;
  if (!readyLanguages.has(name)) {
    let loading = loadingLanguages.get(name);
    if (!loading) {
      loading = (async () => {
        let language: LanguageType | null = null;
        try {
          runtime ??= loadRuntime();
          readyRuntime = await runtime;
          language = await readyRuntime.Language.load(path.join(wasmDirectory(), `tree-sitter-${name}.wasm`));
        } catch {
          // A missing or incompatible grammar degrades to layout boundaries, never to a failed index.
          language = null;
        }
        readyLanguages.set(name, language);
      })();
      loadingLanguages.set(name, loading);
    }
    await loading;
  }
  return readyLanguages.get(name) !== null;
}

export interface BoundaryResult {
  scores: Uint8Array;
  source: 'syntax' | 'layout';
}

/**
 * Scores for every line of `text` (`lineStarts` are the UTF-16 offsets where lines begin).
 * Uses the grammar when `readyGrammarFor` loaded one for this path, else layout alone.
 */
export function boundaryScores(filePath: string, text: string, lineStarts: readonly number[]): BoundaryResult {
  const scores = layoutScores(filePath, text, lineStarts);
  const name = grammarForPath(filePath);
  const language = name ? readyLanguages.get(name) : undefined;
  if (!language || !readyRuntime) return { scores, source: 'layout' };
  if (text.length > MAX_PARSED_CHARS || hasLongLine(text, lineStarts)) return { scores, source: 'layout' };
  // The runtime may be VS Code's own copy, of whatever version it ships: anything it throws
  // degrades this file to layout boundaries, never to a failed index.
  const parser = readyRuntime.parser;
  let tree = null;
  try {
    parser.setLanguage(language);
    tree = parser.parse(text);
  } catch {
    tree = null;
  }
  if (!tree) {
    try {
      parser.reset();
    } catch {
      // Nothing more to undo.
    }
    return { scores, source: 'layout' };
  }
  try {
    const syntax = Uint8Array.from(scores);
    markTopLevel(tree.rootNode, syntax);
    return { scores: syntax, source: 'syntax' };
  } catch {
    return { scores, source: 'layout' };
  } finally {
    tree.delete();
  }
}

function hasLongLine(text: string, lineStarts: readonly number[]): boolean {
  for (let line = 0; line < lineStarts.length; line++) {
    const end = line + 1 < lineStarts.length ? lineStarts[line + 1]! : text.length;
    if (end - lineStarts[line]! > MAX_PARSED_LINE) return true;
  }
  return false;
}

function raise(scores: Uint8Array, row: number, score: number): void {
  if (row >= 0 && row < scores.length && scores[row]! < score) scores[row] = score;
}

function markTopLevel(root: SyntaxNode, scores: Uint8Array): void {
  const count = root.namedChildCount;
  let commentRunStart = -1;
  let previousEnd = -2;
  for (let i = 0; i < count; i++) {
    const node = root.namedChild(i);
    if (!node) continue;
    const startRow = node.startPosition.row;
    const endRow = node.endPosition.row;
    const isComment = node.type.includes('comment');
    // Comments directly above a declaration belong to it: the cut goes above them.
    const attached = commentRunStart >= 0 && startRow <= previousEnd + 1;
    if (isComment) {
      if (!attached) commentRunStart = startRow;
    } else {
      raise(scores, attached ? commentRunStart : startRow, BOUNDARY_TOP_LEVEL);
      commentRunStart = -1;
      if (endRow - startRow > LARGE_NODE_LINES) markMembers(node, scores, 0);
    }
    if (!isComment && !attached) commentRunStart = -1;
    previousEnd = endRow;
  }
}

function markMembers(node: SyntaxNode, scores: Uint8Array, depth: number): void {
  if (depth > 3) return;
  const count = node.namedChildCount;
  for (let i = 0; i < count; i++) {
    const child = node.namedChild(i);
    if (!child) continue;
    const lines = child.endPosition.row - child.startPosition.row;
    if (MEMBER_TYPE.test(child.type) && child.startPosition.row > node.startPosition.row) {
      raise(scores, child.startPosition.row, BOUNDARY_MEMBER);
    }
    if (lines > LARGE_NODE_LINES / 2) markMembers(child, scores, depth + 1);
  }
}

function isBlank(text: string, start: number, end: number): boolean {
  for (let i = start; i < end; i++) {
    const code = text.charCodeAt(i);
    if (code !== 32 && code !== 9 && code !== 10 && code !== 13) return false;
  }
  return true;
}

/** Scores from layout alone: usable for every text file. */
export function layoutScores(filePath: string, text: string, lineStarts: readonly number[]): Uint8Array {
  const lineCount = lineStarts.length;
  const scores = new Uint8Array(lineCount);
  const markdown = /\.(md|mdx|markdown|rst|adoc|txt)$/i.test(filePath);
  let previousBlank = true;
  for (let line = 0; line < lineCount; line++) {
    const start = lineStarts[line]!;
    const end = line + 1 < lineCount ? lineStarts[line + 1]! : text.length;
    const blank = isBlank(text, start, end);
    if (!blank) {
      const first = text.charCodeAt(start);
      const unindented = first !== 32 && first !== 9;
      if (markdown && first === 35 /* # */) scores[line] = BOUNDARY_TOP_LEVEL;
      else if (previousBlank) scores[line] = unindented ? BOUNDARY_MEMBER : BOUNDARY_BLANK;
    }
    previousBlank = blank;
  }
  return scores;
}
