/** A PolicyStore held in memory, for the CLI and server (which start from configured rules) and tests. */
import type { PolicyStore } from '../../ports/policyStore.ts';
import type { StoredPolicy } from './policyRules.ts';

export class MemoryPolicyStore implements PolicyStore {
  #value: StoredPolicy | undefined;

  constructor(initial?: StoredPolicy) {
    this.#value = initial === undefined ? undefined : structuredClone(initial);
  }

  get(): StoredPolicy | undefined {
    return this.#value === undefined ? undefined : structuredClone(this.#value);
  }

  async set(policy: StoredPolicy): Promise<void> {
    this.#value = structuredClone(policy);
  }
}
