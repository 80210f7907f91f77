// A worker for the crash test: writes threads, messages and runs as fast as it can, printing
// "ACK <message id>" only after each write has committed, until it is killed.
import { Engine } from '../../src/engine/engine.ts';
import { createModelBackend } from '../../src/providers/createModelBackend.ts';

const [databasePath, modelUrl] = process.argv.slice(2) as [string, string];
const engine = new Engine({ databasePath, modelBackend: createModelBackend({ kind: 'chat-completions', baseURL: modelUrl, maxAttempts: 1 }) });
const assistant = engine.assistants.create({ model: 'scripted-model' });

async function loop(): Promise<void> {
  for (let i = 0; ; i++) {
    const thread = engine.threads.create({ messages: [{ role: 'user', content: `question ${i}` }] });
    const first = engine.messages.list(thread.id).data[0]!;
    process.stdout.write(`ACK ${thread.id} ${first.id}\n`);
    const run = engine.runs.create(thread.id, { assistant_id: assistant.id });
    // Let some runs finish and leave others mid-stream when the kill lands.
    for await (const event of engine.hub.stream(run.id, 0)) {
      if (event.event === 'thread.run.completed') process.stdout.write(`DONE ${run.id}\n`);
    }
    const reply = engine.messages.create(thread.id, { role: 'user', content: `follow-up ${i}` });
    process.stdout.write(`ACK ${thread.id} ${reply.id}\n`);
  }
}

void loop();
