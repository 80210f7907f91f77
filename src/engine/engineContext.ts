/** What every engine service shares: the store, the clock, the event hub and the configured limits. */
import type { Clock } from './clock.ts';
import type { RunEventHub } from './events/runEventHub.ts';
import type { EngineStore } from './store/engineStore.ts';

export interface EngineLimits {
  /** Seconds from a run's creation to its expiry (v2: 600). */
  runExpirySeconds: number;
}

export interface EngineContext {
  readonly store: EngineStore;
  readonly clock: Clock;
  readonly hub: RunEventHub;
  readonly limits: EngineLimits;
}
