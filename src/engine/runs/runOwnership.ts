/**
 * Which process executes a run. Two VS Code windows (or a window and `threadwork serve`) may
 * share one database; startup repair must only touch runs whose process is gone.
 */
import { randomUUID } from 'node:crypto';

const liveInstancesInThisProcess = new Set<string>();

export function registerInstance(): string {
  const instance = randomUUID();
  liveInstancesInThisProcess.add(instance);
  return `${process.pid}:${instance}`;
}

export function unregisterInstance(owner: string): void {
  liveInstancesInThisProcess.delete(owner.slice(owner.indexOf(':') + 1));
}

export function isOwnerAlive(owner: string | null): boolean {
  if (!owner) return false;
  const separator = owner.indexOf(':');
  const pid = Number(owner.slice(0, separator));
  if (pid === process.pid) return liveInstancesInThisProcess.has(owner.slice(separator + 1));
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
