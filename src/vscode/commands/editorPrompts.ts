/**
 * The questions the editor actions ask, built from what the editor knows: the file, the lines, the
 * selected text and the problems VS Code reports there. The first line is short because it becomes
 * the conversation's title. No `vscode` import: plain data in, text out.
 */

export interface CodeExcerpt {
  /** Workspace-relative path (or the untitled name). */
  path: string;
  languageId: string;
  /** 1-based, inclusive. */
  startLine: number;
  endLine: number;
  text: string;
  /** The function or class the excerpt is, when it was taken from the symbol around the cursor. */
  symbol?: string;
}

export interface DiagnosticSummary {
  /** 1-based. */
  line: number;
  severity: 'error' | 'warning' | 'information' | 'hint';
  message: string;
  source?: string;
  code?: string;
}

export interface FileExcerpt {
  path: string;
  languageId: string;
  text: string;
  /** Characters of the whole file, when `text` is only its beginning. */
  totalCharacters?: number;
}

export function explainPrompt(excerpt: CodeExcerpt): string {
  return [
    `Explain ${subject(excerpt)}`,
    '',
    codeBlock(excerpt),
    '',
    'Say what it does and how, step by step where that helps, and point out anything surprising or risky. Quote the lines you talk about.',
  ].join('\n');
}

export function fixPrompt(excerpt: CodeExcerpt, diagnostics: readonly DiagnosticSummary[]): string {
  const problems = diagnostics.length > 0
    ? ['Problems VS Code reports here:', ...diagnostics.map(describeDiagnostic)]
    : ['VS Code reports no problems here; look for bugs, wrong edge cases and anything that would fail at run time.'];
  return [
    `Fix ${subject(excerpt)}`,
    '',
    ...problems,
    '',
    codeBlock(excerpt),
    '',
    'Explain the cause in a sentence or two, then fix it: change the file with apply_edit (read it first), keeping everything else as it is.',
  ].join('\n');
}

export function testsPrompt(excerpt: CodeExcerpt): string {
  return [
    `Write tests for ${subject(excerpt)}`,
    '',
    codeBlock(excerpt),
    '',
    'Use the test framework and style this project already uses (look at existing tests first). Cover the normal cases, the edge cases and the failure cases; name each test after the behaviour it checks. Create the test file with create_file, then run the tests with run_tests.',
  ].join('\n');
}

export function refactorPrompt(excerpt: CodeExcerpt, request: string): string {
  return [
    `Refactor ${subject(excerpt)}: ${oneLine(request)}`,
    '',
    codeBlock(excerpt),
    '',
    `What to change: ${request.trim()}`,
    '',
    'Keep the behaviour the same unless that is what was asked. Apply the change with apply_edit (read the file first) and say briefly what you changed and why.',
  ].join('\n');
}

export function askAboutFilePrompt(file: FileExcerpt, question: string): string {
  const cut = file.totalCharacters !== undefined && file.totalCharacters > file.text.length;
  return [
    oneLine(question),
    '',
    `About \`${file.path}\`:`,
    '',
    fence(file.text, file.languageId),
    ...(cut ? ['', `(The file is cut here: ${file.text.length} of ${file.totalCharacters} characters are shown. read_file gives the rest.)`] : []),
    ...(question.includes('\n') ? ['', question.trim()] : []),
  ].join('\n');
}

function subject(excerpt: CodeExcerpt): string {
  const where = excerpt.startLine === excerpt.endLine ? `line ${excerpt.startLine}` : `lines ${excerpt.startLine}–${excerpt.endLine}`;
  return excerpt.symbol ? `\`${excerpt.symbol}\` in \`${excerpt.path}\` (${where})` : `\`${excerpt.path}\` ${where}`;
}

function codeBlock(excerpt: CodeExcerpt): string {
  return fence(excerpt.text, excerpt.languageId);
}

/** A fenced block whose fence is longer than any backtick run inside, so the code cannot close it early. */
export function fence(text: string, languageId: string): string {
  const longest = Math.max(0, ...[...text.matchAll(/`+/g)].map((match) => match[0].length));
  const ticks = '`'.repeat(Math.max(3, longest + 1));
  return `${ticks}${languageId}\n${text.replace(/\n$/, '')}\n${ticks}`;
}

function describeDiagnostic(diagnostic: DiagnosticSummary): string {
  const origin = [diagnostic.source, diagnostic.code].filter(Boolean).join(' ');
  return `- line ${diagnostic.line}, ${diagnostic.severity}${origin ? ` (${origin})` : ''}: ${oneLine(diagnostic.message)}`;
}

function oneLine(text: string): string {
  const line = text.replace(/\s+/g, ' ').trim();
  return line.length > 120 ? `${line.slice(0, 119)}…` : line;
}
