/**
 * Decides whether a prepared tool call runs, is refused, or needs the user. Inputs are the
 * user's stored policy and facts the tools computed (resolved paths, the command line); model
 * output never reaches the store: only `remember`, called by the host with the user's answer,
 * changes it.
 */
import path from 'node:path';
import type { PolicyStore } from '../../ports/policyStore.ts';
import { compileGlob } from '../glob.ts';
import type { ResolvedPath } from '../paths.ts';
import type { AccessFacts } from '../tool.ts';
import type { CommandPathChecks } from './commandPolicy.ts';
import { evaluateCommand } from './commandPolicy.ts';
import type { Decision, PathRule, StoredPolicy } from './policyRules.ts';
import { DEFAULT_TOOL_DECISIONS, readStoredPolicy } from './policyRules.ts';
import { isProtectedPath, isSecretPath } from './protectedPaths.ts';

/** What the user may choose to remember when answering an approval. */
export type RememberOption =
  | { kind: 'tool'; tool: string; label: string }
  | { kind: 'commands'; prefixes: string[]; label: string };

export type PolicyVerdict =
  | { decision: 'allow' }
  | { decision: 'deny'; reason: string }
  /** `remember` is empty when this call must ask every time (protected paths, secrets, hidden code). */
  | { decision: 'ask'; reasons: string[]; remember: RememberOption[] };

export interface PolicyEnvironment {
  /** VS Code's workspace trust; the CLI decides its own. */
  isTrusted(): boolean;
}

export class ToolPolicy {
  readonly #store: PolicyStore;
  readonly #environment: PolicyEnvironment;

  constructor(store: PolicyStore, environment: PolicyEnvironment) {
    this.#store = store;
    this.#environment = environment;
  }

  current(): StoredPolicy {
    return readStoredPolicy(this.#store.get());
  }

  evaluate(tool: string, facts: AccessFacts): PolicyVerdict {
    const policy = this.current();
    if (!this.#environment.isTrusted() && facts.access !== 'read') {
      return { decision: 'deny', reason: `This workspace is not trusted, so ${tool} is off; only tools that read files can run. The user can trust the workspace to enable it.` };
    }
    const toolDecision = policy.tools[tool] ?? DEFAULT_TOOL_DECISIONS[tool] ?? (facts.access === 'read' ? 'allow' : 'ask');
    if (toolDecision === 'deny') return { decision: 'deny', reason: `${tool} is turned off by the user's tool policy.` };

    const mustAsk: string[] = [];
    for (const target of facts.reads) {
      const rule = pathDecision(policy.paths, 'read', target);
      if (rule === 'deny') return { decision: 'deny', reason: `Reading ${target.display} is denied by the user's tool policy.` };
      if (isSecret(target)) mustAsk.push(`reads ${target.display}, which looks like a secret (keys, tokens, .env)`);
    }
    const writeRules: Array<Decision | undefined> = [];
    for (const target of facts.writes) {
      const rule = pathDecision(policy.paths, 'write', target);
      if (rule === 'deny') return { decision: 'deny', reason: `Changing ${target.display} is denied by the user's tool policy.` };
      if (isProtected(target)) mustAsk.push(`changes ${target.display}, a protected path (editor, git, CI or secret configuration)`);
      writeRules.push(rule);
    }

    if (facts.access === 'execute') return this.#evaluateExecute(tool, facts, toolDecision, policy, mustAsk);
    if (mustAsk.length > 0) return { decision: 'ask', reasons: mustAsk, remember: [] };
    const pathsAllow = writeRules.length > 0 && writeRules.every((rule) => rule === 'allow');
    const pathsAsk = writeRules.includes('ask');
    if (!pathsAsk && (toolDecision === 'allow' || pathsAllow)) return { decision: 'allow' };
    const what = facts.writes.length > 0 ? `${tool} changes ${facts.writes.map((target) => target.display).join(', ')}` : `${tool} needs approval`;
    return { decision: 'ask', reasons: [what], remember: [{ kind: 'tool', tool, label: `Always allow ${tool} in this workspace` }] };
  }

  /** Stores the user's "always" answer. Only the host calls this, with what the user clicked. */
  async remember(option: RememberOption): Promise<void> {
    const policy = this.current();
    if (option.kind === 'tool') policy.tools[option.tool] = 'allow';
    else {
      for (const prefix of option.prefixes) {
        if (!policy.commands.some((rule) => rule.prefix === prefix && rule.decision === 'allow')) policy.commands.push({ prefix, decision: 'allow' });
      }
    }
    await this.#store.set(policy);
  }

  #evaluateExecute(tool: string, facts: AccessFacts, toolDecision: Decision, policy: StoredPolicy, mustAsk: string[]): PolicyVerdict {
    const verdict = evaluateCommand(facts.command ?? '', policy.commands, commandPathChecks(facts.cwd));
    if (verdict.decision === 'deny') return { decision: 'deny', reason: `The command was refused: ${verdict.reasons.join('; ')}.` };
    const concerns = [...mustAsk, ...verdict.concerns];
    if (concerns.length > 0) return { decision: 'ask', reasons: [...concerns, ...verdict.reasons], remember: [] };
    if (verdict.decision === 'allow' || toolDecision === 'allow') return { decision: 'allow' };
    const remember: RememberOption[] = tool === 'run_command'
      ? verdict.suggestedRules.length > 0 ? [{ kind: 'commands', prefixes: verdict.suggestedRules, label: `Always allow ${verdict.suggestedRules.map((rule) => `"${rule}"`).join(', ')} in this workspace` }] : []
      : [{ kind: 'tool', tool, label: `Always allow ${tool} in this workspace` }];
    return { decision: 'ask', reasons: verdict.reasons.length > 0 ? verdict.reasons : [`${tool} runs "${facts.command}"`], remember };
  }
}

function isSecret(target: ResolvedPath): boolean {
  return isSecretPath(target.relative) || isSecretPath(target.lexicalRelative);
}

function isProtected(target: ResolvedPath): boolean {
  return isProtectedPath(target.relative) || isProtectedPath(target.lexicalRelative);
}

/** Strictest matching rule for this access: deny, then ask, then allow. */
function pathDecision(rules: readonly PathRule[], access: PathRule['access'], target: ResolvedPath): Decision | undefined {
  let found: Decision | undefined;
  for (const rule of rules) {
    if (rule.access !== access) continue;
    const matches = compileGlob(rule.glob, { caseSensitive: false });
    if (!matches(target.relative) && !matches(target.lexicalRelative)) continue;
    if (rule.decision === 'deny') return 'deny';
    if (rule.decision === 'ask' || found === undefined) found = rule.decision;
  }
  return found;
}

/** Argument words are checked as written and as resolved against the command's folder. */
function commandPathChecks(cwd: ResolvedPath | undefined): CommandPathChecks {
  const forms = (word: string): string[] => {
    const plain = word.replace(/^\.\//, '');
    const out = [plain];
    if (!cwd) return out;
    const absolute = path.isAbsolute(word) ? path.normalize(word) : path.resolve(cwd.real, word);
    const relative = path.relative(cwd.folder.path, absolute).split(path.sep).join('/');
    if (!relative.startsWith('..') && !path.isAbsolute(relative)) out.push(relative);
    return out;
  };
  return {
    isProtected: (word) => forms(word).some((form) => isProtectedPath(form)),
    isSecret: (word) => forms(word).some((form) => isSecretPath(form)),
  };
}
