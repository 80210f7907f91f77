/**
 * A POSIX-shell tokenizer and parser, just deep enough for approval policy: it finds every command
 * a line would run — through `;`, `&&`, `||`, `|`, `&`, newlines, `( … )` subshells, `$( … )`,
 * backticks and `<( … )` — with quotes removed, leading `NAME=value` assignments split off and
 * redirections listed. Anything it cannot see through (here-documents, `eval`-like control flow,
 * expansions in the command name, unbalanced quotes) is reported as a concern so the caller asks.
 */

export interface Redirection {
  /** `>`, `>>`, `<`, `<<<`, `&>`, `>&`, … */
  operator: string;
  /** The word after the operator, quotes removed (`&1` style duplications have target '&1'). */
  target: string;
}

export interface ShellCommand {
  /** Command name and arguments with quotes removed. */
  argv: string[];
  /** Per argv word: does it contain a `$` expansion or an unquoted glob, i.e. is its value unknown? */
  dynamic: boolean[];
  assignments: Array<{ name: string; value: string }>;
  redirections: Redirection[];
  /** How it is reached: 'top', 'subshell', 'substitution' ($(), backticks, <()), or 'nested' (sh -c). */
  origin: 'top' | 'subshell' | 'substitution' | 'nested';
}

export interface ShellAnalysis {
  commands: ShellCommand[];
  /** Reasons this line cannot be auto-approved no matter which rules match. */
  concerns: string[];
}

const RESERVED = new Set(['if', 'then', 'else', 'elif', 'fi', 'for', 'while', 'until', 'do', 'done', 'case', 'esac', 'in', 'function', 'select', '!', '{', '}', '[[', ']]', 'coproc']);
const OPERATOR_CHARS = new Set([';', '&', '|', '(', ')', '<', '>', '\n']);
const ASSIGNMENT = /^[A-Za-z_][A-Za-z0-9_]*(\[[^\]]*\])?\+?=/;

type Token =
  | { kind: 'word'; value: string; dynamic: boolean }
  | { kind: 'separator'; value: string }
  | { kind: 'open' }
  | { kind: 'close' }
  | { kind: 'redirect'; value: string };

export function analyzeShell(line: string, origin: ShellCommand['origin'] = 'top', depth = 0): ShellAnalysis {
  const concerns: string[] = [];
  const commands: ShellCommand[] = [];
  if (depth > 8) return { commands, concerns: ['nesting is too deep to inspect'] };
  const tokens = tokenize(line, commands, concerns, depth);
  let current: ShellCommand | undefined;
  let parens = 0;
  const finish = () => {
    if (current && (current.argv.length > 0 || current.assignments.length > 0 || current.redirections.length > 0)) commands.push(current);
    current = undefined;
  };
  const origins: Array<ShellCommand['origin']> = [origin];
  for (let index = 0; index < tokens.length; index++) {
    const token = tokens[index]!;
    if (token.kind === 'separator') {
      finish();
      continue;
    }
    if (token.kind === 'open') {
      if (current && current.argv.length > 0) concerns.push('defines a shell function');
      finish();
      parens++;
      origins.push('subshell');
      continue;
    }
    if (token.kind === 'close') {
      finish();
      if (parens === 0) concerns.push('has an unmatched ")"');
      else {
        parens--;
        origins.pop();
      }
      continue;
    }
    current ??= { argv: [], dynamic: [], assignments: [], redirections: [], origin: origins[origins.length - 1]! };
    if (token.kind === 'redirect') {
      const next = tokens[index + 1];
      if (token.value.startsWith('<<') && token.value !== '<<<') {
        concerns.push('uses a here-document');
        if (next?.kind === 'word') index++;
        continue;
      }
      if (next?.kind !== 'word') {
        concerns.push(`has a redirection "${token.value}" without a target`);
        continue;
      }
      current.redirections.push({ operator: token.value, target: next.value });
      if (next.dynamic) concerns.push(`redirects to a computed path (${next.value})`);
      index++;
      continue;
    }
    if (current.argv.length === 0 && ASSIGNMENT.test(token.value)) {
      const equals = token.value.indexOf('=');
      current.assignments.push({ name: token.value.slice(0, equals).replace(/\+$/, ''), value: token.value.slice(equals + 1) });
      continue;
    }
    if (current.argv.length === 0 && RESERVED.has(token.value) && !token.dynamic) {
      concerns.push(`uses shell control syntax ("${token.value}")`);
      continue;
    }
    current.argv.push(token.value);
    current.dynamic.push(token.dynamic);
  }
  finish();
  if (parens > 0) concerns.push('has an unclosed "("');
  return { commands, concerns };
}

function tokenize(line: string, commands: ShellCommand[], concerns: string[], depth: number): Token[] {
  const tokens: Token[] = [];
  let index = 0;
  const nested = (inner: string, what: string) => {
    const analysis = analyzeShell(inner, 'substitution', depth + 1);
    commands.push(...analysis.commands);
    concerns.push(...analysis.concerns.map((concern) => `${what}: ${concern}`));
  };

  while (index < line.length) {
    const char = line[index]!;
    if (char === ' ' || char === '\t') {
      index++;
      continue;
    }
    if (char === '\\' && line[index + 1] === '\n') {
      index += 2;
      continue;
    }
    if (char === '#') {
      while (index < line.length && line[index] !== '\n') index++;
      continue;
    }
    const redirect = /^(\d*)(&>>|&>|>>|>\||>&|<<<|<<-|<<|<&|<>|>|<)/.exec(line.slice(index));
    if (redirect && !(line[index + redirect[0].length] === '(' && (redirect[2] === '<' || redirect[2] === '>'))) {
      tokens.push({ kind: 'redirect', value: redirect[2]! });
      index += redirect[0].length;
      // `>&2` / `2>&1`: the target is a descriptor, kept as '&N' so it reads as harmless.
      if ((redirect[2] === '>&' || redirect[2] === '<&') && /^[0-9-]/.test(line[index] ?? '')) {
        const fd = /^[0-9]+-?|^-/.exec(line.slice(index))![0];
        tokens.push({ kind: 'word', value: `&${fd}`, dynamic: false });
        index += fd.length;
      }
      continue;
    }
    if ((char === '<' || char === '>') && line[index + 1] === '(') {
      const close = findClosingParen(line, index + 2);
      if (close === -1) {
        concerns.push('has an unclosed process substitution');
        return tokens;
      }
      nested(line.slice(index + 2, close), 'process substitution');
      tokens.push({ kind: 'word', value: '/dev/fd/N', dynamic: true });
      index = close + 1;
      continue;
    }
    if (char === ';' || char === '\n') {
      tokens.push({ kind: 'separator', value: line[index + 1] === ';' ? ';;' : char });
      index += line[index + 1] === ';' ? 2 : 1;
      continue;
    }
    if (char === '&' || char === '|') {
      const two = line.slice(index, index + 2);
      const value = two === '&&' || two === '||' || two === '|&' ? two : char;
      tokens.push({ kind: 'separator', value });
      index += value.length;
      continue;
    }
    if (char === '(') {
      tokens.push({ kind: 'open' });
      index++;
      continue;
    }
    if (char === ')') {
      tokens.push({ kind: 'close' });
      index++;
      continue;
    }
    const word = readWord(line, index, nested, concerns);
    tokens.push({ kind: 'word', value: word.value, dynamic: word.dynamic });
    index = word.end;
  }
  return tokens;
}

/** One shell word starting at `start`: quotes removed, substitutions parsed, expansions flagged. */
function readWord(line: string, start: number, nested: (inner: string, what: string) => void, concerns: string[]): { value: string; dynamic: boolean; end: number } {
  let value = '';
  let dynamic = false;
  let index = start;
  while (index < line.length) {
    const char = line[index]!;
    if (char === ' ' || char === '\t' || OPERATOR_CHARS.has(char)) break;
    if (char === '\\') {
      if (line[index + 1] === '\n') index += 2;
      else {
        value += line[index + 1] ?? '';
        index += 2;
      }
      continue;
    }
    if (char === "'") {
      const close = line.indexOf("'", index + 1);
      if (close === -1) {
        concerns.push('has an unterminated single quote');
        return { value: value + line.slice(index + 1), dynamic: true, end: line.length };
      }
      value += line.slice(index + 1, close);
      index = close + 1;
      continue;
    }
    if (char === '"') {
      const inner = readDoubleQuoted(line, index + 1, nested, concerns);
      value += inner.value;
      dynamic ||= inner.dynamic;
      index = inner.end;
      continue;
    }
    if (char === '$' || char === '`') {
      const expansion = readExpansion(line, index, nested, concerns);
      value += expansion.text;
      dynamic = true;
      index = expansion.end;
      continue;
    }
    if (char === '*' || char === '?' || char === '[') dynamic = true;
    value += char;
    index++;
  }
  return { value, dynamic, end: index };
}

function readDoubleQuoted(line: string, start: number, nested: (inner: string, what: string) => void, concerns: string[]): { value: string; dynamic: boolean; end: number } {
  let value = '';
  let dynamic = false;
  let index = start;
  while (index < line.length) {
    const char = line[index]!;
    if (char === '"') return { value, dynamic, end: index + 1 };
    if (char === '\\' && '$`"\\\n'.includes(line[index + 1] ?? '')) {
      if (line[index + 1] !== '\n') value += line[index + 1];
      index += 2;
      continue;
    }
    if (char === '$' || char === '`') {
      const expansion = readExpansion(line, index, nested, concerns);
      value += expansion.text;
      dynamic = true;
      index = expansion.end;
      continue;
    }
    value += char;
    index++;
  }
  concerns.push('has an unterminated double quote');
  return { value, dynamic: true, end: line.length };
}

/** `$(…)`, `` `…` ``, `$((…))`, `${…}` or `$NAME` at `start`; nested commands go to `nested`. */
function readExpansion(line: string, start: number, nested: (inner: string, what: string) => void, concerns: string[]): { text: string; end: number } {
  if (line[start] === '`') {
    let index = start + 1;
    let inner = '';
    while (index < line.length && line[index] !== '`') {
      if (line[index] === '\\' && index + 1 < line.length) {
        inner += line[index + 1];
        index += 2;
      } else inner += line[index++];
    }
    if (index >= line.length) {
      concerns.push('has an unterminated backtick substitution');
      return { text: '', end: line.length };
    }
    nested(inner, 'backtick substitution');
    return { text: '$(…)', end: index + 1 };
  }
  const next = line[start + 1];
  if (next === '(' && line[start + 2] === '(') {
    const close = findClosingParen(line, start + 2);
    const end = close === -1 ? -1 : line.indexOf(')', close + 1);
    if (end === -1) {
      concerns.push('has an unterminated arithmetic expansion');
      return { text: '', end: line.length };
    }
    const inner = line.slice(start + 3, close);
    if (inner.includes('$(') || inner.includes('`')) concerns.push('runs a command inside an arithmetic expansion');
    return { text: '$((…))', end: end + 1 };
  }
  if (next === '(') {
    const close = findClosingParen(line, start + 2);
    if (close === -1) {
      concerns.push('has an unterminated $( substitution');
      return { text: '', end: line.length };
    }
    nested(line.slice(start + 2, close), 'command substitution');
    return { text: '$(…)', end: close + 1 };
  }
  if (next === '{') {
    const close = line.indexOf('}', start + 2);
    if (close === -1) {
      concerns.push('has an unterminated ${ expansion');
      return { text: '', end: line.length };
    }
    const inner = line.slice(start + 2, close);
    if (inner.includes('$(') || inner.includes('`')) concerns.push('runs a command inside a ${…} expansion');
    return { text: `\${${inner}}`, end: close + 1 };
  }
  const name = /^[A-Za-z_][A-Za-z0-9_]*|^[0-9@*#?$!-]/.exec(line.slice(start + 1));
  if (!name) return { text: '$', end: start + 1 };
  return { text: `$${name[0]}`, end: start + 1 + name[0].length };
}

/** Index of the `)` closing a `(` whose content starts at `start`, respecting quotes and nesting. */
function findClosingParen(line: string, start: number): number {
  let depth = 1;
  let index = start;
  while (index < line.length) {
    const char = line[index]!;
    if (char === '\\') {
      index += 2;
      continue;
    }
    if (char === "'") {
      const close = line.indexOf("'", index + 1);
      if (close === -1) return -1;
      index = close + 1;
      continue;
    }
    if (char === '"') {
      index++;
      while (index < line.length && line[index] !== '"') index += line[index] === '\\' ? 2 : 1;
      index++;
      continue;
    }
    if (char === '`') {
      const close = line.indexOf('`', index + 1);
      if (close === -1) return -1;
      index = close + 1;
      continue;
    }
    if (char === '(') depth++;
    else if (char === ')' && --depth === 0) return index;
    index++;
  }
  return -1;
}
