/**
 * Decides a shell command line against the user's command rules. Every command the line would
 * run (including those hidden after `;`, `&&`, `||`, `|`, inside `$( )`, backticks, subshells and
 * `sh -c '…'`) must be allowed for the line to be allowed; one denied command denies it; anything
 * the parser cannot see through asks.
 */
import type { ShellCommand } from './shellParser.ts';
import { analyzeShell } from './shellParser.ts';
import type { CommandRule, Decision } from './policyRules.ts';

export interface CommandVerdict {
  decision: Decision;
  /** Commands no allow rule covers (or the rule that denies), in the user's words. */
  reasons: string[];
  /** What makes the line ask whatever the rules say: hidden code, protected paths, privilege. */
  concerns: string[];
  /** Each command found, as the user should see it. */
  commands: string[];
  /** Rules an "always allow" answer may add; empty when this line must ask every time. */
  suggestedRules: string[];
}

/** Path questions about command arguments, answered by the tool policy (which knows the folder). */
export interface CommandPathChecks {
  isProtected(word: string): boolean;
  isSecret(word: string): boolean;
}

const PRIVILEGE = new Set(['sudo', 'doas', 'su', 'pkexec', 'runas']);
const SHELLS = new Set(['sh', 'bash', 'zsh', 'dash', 'ksh', 'fish', 'ash']);
const CODE_FROM_STRING = new Set(['eval', 'source', '.']);
/** Variables that change which program runs or what it loads. */
const DANGEROUS_VARIABLE = /^(PATH|LD_[A-Z_]+|DYLD_[A-Z_]+|NODE_OPTIONS|NODE_PATH|BASH_ENV|ENV|PYTHONPATH|PYTHONSTARTUP|PERL5OPT|PERL5LIB|RUBYOPT|RUBYLIB|GIT_SSH_COMMAND|GIT_SSH|GIT_EXTERNAL_DIFF|GIT_CONFIG[A-Z_]*|GIT_EXEC_PATH|PROMPT_COMMAND|IFS|SHELLOPTS|BASHOPTS|npm_config_[A-Za-z_]+)$/;
const HARMLESS_TARGETS = new Set(['/dev/null', '/dev/stdout', '/dev/stderr', '/dev/tty']);
/** Tools whose second word names the action, so a remembered rule keeps it ("git status", not "git"). */
const TWO_WORD_TOOLS = new Set(['git', 'npm', 'pnpm', 'yarn', 'bun', 'npx', 'cargo', 'go', 'docker', 'kubectl', 'pip', 'pip3', 'dotnet', 'gradle', './gradlew', 'mvn', 'poetry', 'uv', 'deno', 'make', 'just', 'composer', 'bundle', 'rake', 'mix', 'swift']);

export function evaluateCommand(line: string, rules: readonly CommandRule[], paths?: CommandPathChecks): CommandVerdict {
  const analysis = analyzeShell(line);
  const hard: string[] = [...analysis.concerns];
  const reasons: string[] = [];
  const display: string[] = [];
  const suggestions = new Set<string>();
  let denied = false;
  let allAllowed = true;

  const queue = [...analysis.commands];
  while (queue.length > 0) {
    const command = queue.shift()!;
    for (const assignment of command.assignments) {
      if (DANGEROUS_VARIABLE.test(assignment.name)) hard.push(`sets ${assignment.name}, which changes what runs`);
    }
    checkRedirections(command, paths, hard);
    const unwrapped = unwrap(command, hard);
    if (!unwrapped) continue;
    const { argv, dynamic } = unwrapped;
    const shown = argv.join(' ');
    display.push(shown);
    if (dynamic[0]) hard.push(`the command name "${argv[0]}" is computed at run time`);
    if (PRIVILEGE.has(basename(argv[0]!))) hard.push(`"${argv[0]}" runs a command as another user`);
    if (CODE_FROM_STRING.has(basename(argv[0]!))) hard.push(`"${argv[0]}" runs code that cannot be inspected`);
    if (SHELLS.has(basename(argv[0]!))) {
      const flag = argv.findIndex((word, index) => index > 0 && /^-[a-z]*c[a-z]*$/.test(word));
      if (flag !== -1) {
        const script = argv[flag + 1];
        if (script === undefined || dynamic[flag + 1]) hard.push(`"${argv[0]} -c" runs a script that cannot be inspected`);
        else {
          const inner = analyzeShell(script, 'nested', 1);
          hard.push(...inner.concerns.map((concern) => `inside ${argv[0]} -c: ${concern}`));
          queue.push(...inner.commands);
          continue;
        }
      }
    }
    if (basename(argv[0]!) === 'find' && argv.some((word) => /^-(exec|execdir|ok|okdir|delete|fprint|fprintf|fls)$/.test(word))) {
      hard.push('"find" with -exec/-delete runs or deletes beyond what its rule covers');
    }
    for (const word of argv.slice(1)) {
      const candidate = word.includes('=') && word.startsWith('-') ? word.slice(word.indexOf('=') + 1) : word;
      if (paths?.isSecret(candidate)) hard.push(`"${shown}" uses the secret-like file ${candidate}`);
      else if (paths?.isProtected(candidate)) hard.push(`"${shown}" touches the protected path ${candidate}`);
    }

    const decision = decide(argv, rules);
    if (decision === 'deny') {
      denied = true;
      reasons.push(`"${shown}" is denied by a rule`);
    } else if (decision !== 'allow') {
      allAllowed = false;
      reasons.push(`"${shown}" is not covered by an allow rule`);
      suggestions.add(suggestedPrefix(argv));
    }
  }

  const uniqueHard = [...new Set(hard)];
  if (denied) return { decision: 'deny', reasons: reasons.filter((reason) => reason.endsWith('denied by a rule')), concerns: uniqueHard, commands: display, suggestedRules: [] };
  if (display.length === 0) uniqueHard.push('no command could be found in the line');
  if (allAllowed && uniqueHard.length === 0) return { decision: 'allow', reasons: [], concerns: [], commands: display, suggestedRules: [] };
  return { decision: 'ask', reasons, concerns: uniqueHard, commands: display, suggestedRules: uniqueHard.length > 0 ? [] : [...suggestions] };
}

/** The longest matching rule wins; among equally long ones deny beats ask beats allow. */
export function decide(argv: readonly string[], rules: readonly CommandRule[]): Decision | undefined {
  let best: { length: number; decision: Decision } | undefined;
  for (const rule of rules) {
    const words = rule.prefix.split(/\s+/).filter((word) => word !== '');
    if (words.length === 0 || words.length > argv.length) continue;
    if (!words.every((word, index) => word === '*' || word === argv[index])) continue;
    if (!best || words.length > best.length || (words.length === best.length && rank(rule.decision) > rank(best.decision))) best = { length: words.length, decision: rule.decision };
  }
  return best?.decision;
}

function rank(decision: Decision): number {
  return decision === 'deny' ? 2 : decision === 'ask' ? 1 : 0;
}

function suggestedPrefix(argv: readonly string[]): string {
  const second = argv[1];
  if (TWO_WORD_TOOLS.has(argv[0]!) && second !== undefined && !second.startsWith('-')) {
    // "npm run build" is remembered with its script name: "npm run" alone would allow every script.
    if ((argv[0] === 'npm' || argv[0] === 'pnpm' || argv[0] === 'yarn' || argv[0] === 'bun') && second === 'run' && argv[2] !== undefined) return argv.slice(0, 3).join(' ');
    return `${argv[0]} ${second}`;
  }
  return argv[0]!;
}

function checkRedirections(command: ShellCommand, paths: CommandPathChecks | undefined, hard: string[]): void {
  for (const { operator, target } of command.redirections) {
    if (target.startsWith('&')) continue;
    const writes = operator.includes('>');
    if (writes && !HARMLESS_TARGETS.has(target)) {
      hard.push(paths?.isProtected(target) ? `writes to the protected path ${target}` : `writes to ${target} by redirection`);
    } else if (!writes && paths?.isSecret(target)) {
      hard.push(`reads the secret-like file ${target}`);
    }
  }
}

/** Strips wrappers that run their arguments as a command (env, nice, timeout, xargs, …). */
function unwrap(command: ShellCommand, hard: string[]): { argv: string[]; dynamic: boolean[] } | undefined {
  let argv = command.argv;
  let dynamic = command.dynamic;
  for (let guard = 0; guard < 8 && argv.length > 0; guard++) {
    const skip = wrapperArgumentCount(argv, hard);
    if (skip === 0) break;
    argv = argv.slice(skip);
    dynamic = dynamic.slice(skip);
  }
  return argv.length > 0 ? { argv, dynamic } : undefined;
}

/** How many leading words belong to a wrapper (0 when argv[0] is not one). */
function wrapperArgumentCount(argv: readonly string[], hard: string[]): number {
  const name = basename(argv[0]!);
  let index = 1;
  const optionsWithValue = WRAPPER_OPTIONS_WITH_VALUE[name];
  if (optionsWithValue === undefined) return 0;
  while (index < argv.length) {
    const word = argv[index]!;
    if (word === '--') {
      index++;
      break;
    }
    if (name === 'env' && /^[A-Za-z_][A-Za-z0-9_]*=/.test(word)) {
      const variable = word.slice(0, word.indexOf('='));
      if (DANGEROUS_VARIABLE.test(variable)) hard.push(`sets ${variable}, which changes what runs`);
      index++;
      continue;
    }
    if (!word.startsWith('-') || word === '-') break;
    if (name === 'env' && (word === '-S' || word.startsWith('--split-string'))) hard.push('"env -S" runs a command string that cannot be inspected');
    if (name === 'command' && (word === '-v' || word === '-V')) return 0;
    index += optionsWithValue.includes(word) ? 2 : 1;
  }
  if (name === 'timeout' && index < argv.length) index++; // the duration
  return index;
}

const WRAPPER_OPTIONS_WITH_VALUE: Record<string, readonly string[]> = {
  env: ['-u', '--unset', '-C', '--chdir', '-S'],
  nice: ['-n', '--adjustment'],
  nohup: [],
  time: ['-f', '-o'],
  timeout: ['-s', '--signal', '-k', '--kill-after'],
  stdbuf: ['-i', '-o', '-e'],
  command: [],
  builtin: [],
  xargs: ['-I', '-L', '-n', '-P', '-d', '-E', '-s', '-a', '--max-args', '--max-procs', '--delimiter', '--arg-file', '--replace'],
  ionice: ['-c', '-n'],
  chrt: [],
  exec: ['-a'],
};

function basename(word: string): string {
  const slash = word.lastIndexOf('/');
  return slash === -1 ? word : word.slice(slash + 1);
}
