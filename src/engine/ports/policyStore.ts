/**
 * Where the user's tool-policy decisions live between sessions ("always allow run_tests in this
 * workspace"). The VS Code adapter stores the value in `workspaceState` (a Memento, not a file the
 * model could edit); the CLI keeps it in memory or its config. Only the host writes it, in answer to
 * the user: no tool receives this port.
 */
import type { StoredPolicy } from '../tools/policy/policyRules.ts';

export interface PolicyStore {
  /** The saved policy, or undefined before anything was saved. Values are validated on read. */
  get(): StoredPolicy | undefined;
  set(policy: StoredPolicy): Promise<void>;
}
