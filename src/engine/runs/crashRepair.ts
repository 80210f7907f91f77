/**
 * Startup repair (DESIGN.md invariant 1): runs whose process died mid-run are ended —
 * `cancelling` becomes `cancelled`, anything past its expiry `expired`, the rest `failed` with a
 * reason — and their open steps and messages end with them. Runs waiting for tool outputs lose
 * nothing in a crash, so they stay waiting and this process takes over their expiry.
 */
import type { EngineContext } from '../engineContext.ts';
import type { Run } from '../types/run.ts';
import { RunRecorder } from './runRecorder.ts';
import { isOwnerAlive } from './runOwnership.ts';

export interface RepairReport {
  ended: Array<{ id: string; status: Run['status'] }>;
  adopted: Run[];
}

export function repairInterruptedRuns(context: EngineContext): RepairReport {
  const report: RepairReport = { ended: [], adopted: [] };
  const now = context.clock.nowSeconds();
  for (const { id, owner } of context.store.activeRunIds()) {
    if (isOwnerAlive(owner)) continue;
    const run = context.store.runs.get(id);
    if (!run) continue;
    const recorder = new RunRecorder(context, run);
    const expired = run.expires_at !== null && run.expires_at <= now;
    if (run.status === 'requires_action' && !expired) {
      report.adopted.push(run);
      continue;
    }
    if (run.status === 'cancelling') recorder.finish('cancelled');
    else if (expired) recorder.finish('expired');
    else {
      recorder.finish('failed', {
        last_error: { code: 'server_error', message: 'The run was interrupted: the Threadwork process running it stopped before it finished. Start a new run to continue.' },
      });
    }
    report.ended.push({ id, status: recorder.run.status });
  }
  // Messages can be left open by a crash between writes; they end incomplete, never vanish.
  const stale = context.store.db
    .prepare("SELECT m.id FROM messages m LEFT JOIN runs r ON r.id = m.run_id WHERE m.data ->> '$.status' = 'in_progress' AND (r.id IS NULL OR r.status NOT IN ('queued','in_progress','requires_action','cancelling'))")
    .all() as Array<{ id: string }>;
  for (const { id } of stale) {
    const message = context.store.messages.get(id);
    if (!message) continue;
    context.store.transaction(() =>
      context.store.messages.update(id, { ...message, status: 'incomplete', incomplete_at: now, incomplete_details: { reason: 'run_failed' } }),
    );
  }
  return report;
}
