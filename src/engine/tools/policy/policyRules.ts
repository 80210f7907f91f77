/**
 * The data a user's tool policy consists of, its defaults, and the validation applied whenever it
 * is read back from a store (a hand-edited or older value must not widen permissions by accident).
 */

export type Decision = 'allow' | 'ask' | 'deny';

/** Matches a command when its words start with `prefix`'s words (`*` matches any one word). */
export interface CommandRule {
  prefix: string;
  decision: Decision;
}

/** A folder-relative glob for reads or writes, e.g. `{ glob: "dist/**", access: "write", decision: "deny" }`. */
export interface PathRule {
  glob: string;
  access: 'read' | 'write';
  decision: Decision;
}

export interface StoredPolicy {
  version: 1;
  /** Per tool name; tools not listed use DEFAULT_TOOL_DECISIONS. */
  tools: Record<string, Decision>;
  commands: CommandRule[];
  paths: PathRule[];
}

/** Reading is allowed; anything that changes files or runs processes asks. */
export const DEFAULT_TOOL_DECISIONS: Readonly<Record<string, Decision>> = {
  read_file: 'allow',
  list_files: 'allow',
  search_text: 'allow',
  find_symbols: 'allow',
  get_diagnostics: 'allow',
  get_selection: 'allow',
  open_editors: 'allow',
  apply_edit: 'ask',
  create_file: 'ask',
  delete_file: 'ask',
  run_tests: 'ask',
  run_command: 'ask',
};

export function emptyPolicy(): StoredPolicy {
  return { version: 1, tools: {}, commands: [], paths: [] };
}

const DECISIONS = new Set<unknown>(['allow', 'ask', 'deny']);

/** Keeps only well-formed entries; anything else becomes the empty (default) policy. */
export function readStoredPolicy(value: unknown): StoredPolicy {
  const policy = emptyPolicy();
  if (typeof value !== 'object' || value === null) return policy;
  const raw = value as Record<string, unknown>;
  if (typeof raw.tools === 'object' && raw.tools !== null) {
    for (const [name, decision] of Object.entries(raw.tools)) if (DECISIONS.has(decision)) policy.tools[name] = decision as Decision;
  }
  if (Array.isArray(raw.commands)) {
    for (const rule of raw.commands as unknown[]) {
      const entry = rule as Partial<CommandRule> | null;
      if (entry && typeof entry.prefix === 'string' && entry.prefix.trim() !== '' && DECISIONS.has(entry.decision)) policy.commands.push({ prefix: entry.prefix.trim(), decision: entry.decision! });
    }
  }
  if (Array.isArray(raw.paths)) {
    for (const rule of raw.paths as unknown[]) {
      const entry = rule as Partial<PathRule> | null;
      if (entry && typeof entry.glob === 'string' && entry.glob.trim() !== '' && (entry.access === 'read' || entry.access === 'write') && DECISIONS.has(entry.decision)) {
        policy.paths.push({ glob: entry.glob.trim(), access: entry.access, decision: entry.decision! });
      }
    }
  }
  return policy;
}
