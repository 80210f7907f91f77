/**
 * Real run events to replay: a real engine answers prompts through the scripted model server, and
 * the events it published (with their seq numbers) are kept, so tests that play the host by hand
 * still send exactly what the engine sends.
 */
import type { Message, RunStep, RunSummary, SequencedEvent, ThreadSnapshot, ThreadSummary } from '../../../src/protocol/chatModel.ts';
import { RUN_ANCHOR_KEY } from '../../../src/protocol/chatModel.ts';
import type { ScriptedReply } from '../../support/modelServer/index.ts';
import { createEngineHarness } from '../../support/engineHarness.ts';
import { summarizeRun } from '../../../src/vscode/threadSnapshots.ts';

export interface RecordedRun {
  runId: string;
  userMessage: Message;
  /** Every event the run published, from seq 0 to `done`. */
  events: SequencedEvent[];
  run: RunSummary;
  /** The run's own messages and steps as finally stored. */
  messages: Message[];
  steps: RunStep[];
}

export interface RecordedThread {
  thread: ThreadSummary;
  runs: RecordedRun[];
}

export async function recordThread(exchanges: Array<{ prompt: string; reply: ScriptedReply }>): Promise<RecordedThread> {
  const harness = await createEngineHarness();
  try {
    const { engine } = harness;
    const assistant = harness.assistant();
    const created = engine.threads.create({ metadata: { title: exchanges[0]?.prompt ?? 'Recorded' } });
    const runs: RecordedRun[] = [];
    for (const { prompt, reply } of exchanges) {
      harness.model.enqueue(reply);
      const userMessage = engine.messages.create(created.id, { role: 'user', content: prompt });
      const run = engine.runs.create(created.id, { assistant_id: assistant.id, metadata: { [RUN_ANCHOR_KEY]: userMessage.id } });
      const settled = await harness.settle(created.id, run.id);
      await harness.collect(run.id);
      runs.push({
        runId: run.id,
        userMessage,
        events: engine.hub.eventsSince(run.id, 0),
        run: summarizeRun(settled),
        messages: engine.messages.list(created.id, { order: 'asc', run_id: run.id }).data,
        steps: engine.runs.listSteps(created.id, run.id, { order: 'asc' }).data,
      });
    }
    return { thread: { id: created.id, title: exchanges[0]?.prompt ?? 'Recorded', createdAt: created.created_at }, runs };
  } finally {
    await harness.close();
  }
}

/**
 * The snapshot a host would send with runs before `activeIndex` finished and that run `eventCount`
 * events in (the rest still to come).
 */
export function snapshotAt(recorded: RecordedThread, activeIndex: number, eventCount: number): ThreadSnapshot {
  const finished = recorded.runs.slice(0, activeIndex);
  const active = recorded.runs[activeIndex];
  return {
    thread: recorded.thread,
    messages: [...finished.flatMap((run) => [run.userMessage, ...run.messages]), ...(active ? [active.userMessage] : [])],
    runs: finished.map((run) => run.run),
    steps: finished.flatMap((run) => run.steps),
    activeRun: active ? { runId: active.runId, events: active.events.slice(0, eventCount), nextSeq: eventCount } : null,
  };
}

/** The text a run's assistant message ends with. */
export function finalText(run: RecordedRun): string {
  const part = run.messages.find((message) => message.role === 'assistant')?.content[0];
  return part?.type === 'text' ? part.text.value : '';
}
