/**
 * The tool policy of this workspace: "Always allow" answers kept in `workspaceState` (a Memento in
 * VS Code's own storage, not a file in the workspace the model could edit), with the per-tool
 * settings the user set explicitly laid on top. Settings are never copied into the stored value,
 * so removing a setting brings the remembered answer (or the default) back.
 */
import type { PolicyStore } from '../../engine/ports/policyStore.ts';
import type { Decision, StoredPolicy } from '../../engine/tools/policy/policyRules.ts';
import { readStoredPolicy } from '../../engine/tools/policy/policyRules.ts';

/** The slice of vscode.Memento this store needs. */
export interface PolicyMemento {
  get<T>(key: string): T | undefined;
  update(key: string, value: unknown): Thenable<void>;
}

export const POLICY_STATE_KEY = 'threadwork.tools.policy';

export class WorkspacePolicyStore implements PolicyStore {
  readonly #state: PolicyMemento;
  readonly #settings: () => Record<string, Decision>;

  constructor(state: PolicyMemento, explicitSettings: () => Record<string, Decision>) {
    this.#state = state;
    this.#settings = explicitSettings;
  }

  get(): StoredPolicy | undefined {
    const stored = this.#state.get<unknown>(POLICY_STATE_KEY);
    const settings = this.#settings();
    if (stored === undefined && Object.keys(settings).length === 0) return undefined;
    const policy = readStoredPolicy(stored);
    return { ...policy, tools: { ...policy.tools, ...settings } };
  }

  async set(policy: StoredPolicy): Promise<void> {
    const previous = readStoredPolicy(this.#state.get<unknown>(POLICY_STATE_KEY));
    const settings = this.#settings();
    const tools: Record<string, Decision> = {};
    for (const [tool, decision] of Object.entries(policy.tools)) {
      // A value that only came from a setting stays out of the store; a remembered answer stays in.
      const fromSetting = settings[tool] === decision && previous.tools[tool] !== decision;
      if (!fromSetting) tools[tool] = decision;
    }
    await this.#state.update(POLICY_STATE_KEY, { ...policy, tools });
  }

  /** Forgets every remembered answer ("Threadwork: Reset Tool Approvals"). */
  async reset(): Promise<void> {
    await this.#state.update(POLICY_STATE_KEY, undefined);
  }

  /** What is remembered, for the reset confirmation. */
  rememberedCount(): number {
    const stored = readStoredPolicy(this.#state.get<unknown>(POLICY_STATE_KEY));
    return Object.keys(stored.tools).length + stored.commands.length + stored.paths.length;
  }
}

/**
 * The user's own settings decide freely; workspace and folder settings (files inside the repository,
 * which a cloned project or the model could have written) may only make a tool stricter.
 */
export function effectiveDecision(inspected: { globalValue?: unknown; workspaceValue?: unknown; workspaceFolderValue?: unknown } | undefined, fallback: Decision): Decision | undefined {
  let decision = asDecision(inspected?.globalValue);
  for (const value of [inspected?.workspaceValue, inspected?.workspaceFolderValue]) {
    const candidate = asDecision(value);
    if (candidate && STRICTNESS[candidate] >= STRICTNESS[decision ?? fallback]) decision = candidate;
  }
  return decision;
}

const DECISIONS = new Set<string>(['allow', 'ask', 'deny']);
const STRICTNESS: Record<Decision, number> = { allow: 0, ask: 1, deny: 2 };

function asDecision(value: unknown): Decision | undefined {
  return typeof value === 'string' && DECISIONS.has(value) ? (value as Decision) : undefined;
}
