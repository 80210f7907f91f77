/**
 * The built-in tools as `threadwork serve` runs them (checklist #48, #66, #67, #69–#71):
 * file_search over vector stores backed by the knowledge base's index, and code_interpreter in
 * the Pyodide sandbox. The scripted model decides to call them; everything else is real.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Harness } from './support/harness.ts';
import { startHarness, VARIANTS, waitFor } from './support/harness.ts';
import { SseRecorder } from './support/sseRecorder.ts';

const MODEL = 'scripted-chat-model';
const INCLUDE = 'step_details.tool_calls[*].file_search.results[*].content' as const;
const MARKER = /^【\d+:\d+†[^】]+】$/;

const GUIDE = [
  '# Atlantis travel guide',
  'The capital of Atlantis is Poseidonia, a harbour city built in rings.',
  'Ferries to Poseidonia leave every morning from the northern pier.',
].join('\n');
const OTHER = 'Notes about baking bread: flour, water, salt and patience.';

for (const via of VARIANTS) {
  describe(`file_search (${via})`, () => {
    let h: Harness;
    before(async () => {
      h = await startHarness({ via });
    });
    after(async () => {
      await h.close();
    });

    async function knowledgeAssistant(fileSearch: { max_num_results?: number; ranking_options?: { score_threshold: number } } = {}) {
      const guide = await h.api.files.create({ file: new File([GUIDE], 'atlantis.md'), purpose: 'assistants' });
      const other = await h.api.files.create({ file: new File([OTHER], 'bread.txt'), purpose: 'assistants' });
      const assistant = await h.api.beta.assistants.create({
        model: MODEL,
        tools: [{ type: 'file_search', file_search: fileSearch }],
        tool_resources: { file_search: { vector_stores: [{ file_ids: [guide.id, other.id] }] } },
      });
      const storeId = assistant.tool_resources!.file_search!.vector_store_ids![0]!;
      await waitFor(async () => ((await h.api.vectorStores.retrieve(storeId)).status === 'completed' ? true : undefined), 'ingestion', 20_000);
      return { assistant, guide, other, storeId };
    }

    test('#66 #67 #48 a file_search call: results on the step (content only with include[]), citations in the answer', async () => {
      const { assistant, guide, storeId } = await knowledgeAssistant({ max_num_results: 2 });
      const search = await h.api.vectorStores.search(storeId, { query: 'capital of Atlantis' });
      assert.equal(search.data[0]?.file_id, guide.id, 'the store itself finds the guide first');

      const thread = await h.api.beta.threads.create({ messages: [{ role: 'user', content: 'What is the capital of Atlantis?' }] });
      h.model.enqueue({ toolCalls: [{ name: 'file_search', arguments: { query: 'capital of Atlantis Poseidonia' } }] });
      h.model.setHandler((request) => {
        const toolOutput = String((request.body['messages'] as Array<{ role: string; content: unknown }>).find((m) => m.role === 'tool')?.content ?? '');
        const marker = /【0:0†[^】]+】/.exec(toolOutput)?.[0] ?? '';
        return { text: `The capital is Poseidonia${marker}.` };
      });
      const run = await h.api.beta.threads.runs.createAndPoll(thread.id, { assistant_id: assistant.id });
      h.model.setHandler(undefined);
      assert.equal(run.status, 'completed');

      const steps = await h.api.beta.threads.runs.steps.list(run.id, { thread_id: thread.id, order: 'asc' });
      const toolStep = steps.data[0]!;
      assert.ok(toolStep.step_details.type === 'tool_calls');
      const call = toolStep.step_details.tool_calls[0]!;
      assert.ok(call.type === 'file_search');
      const results = call.file_search.results ?? [];
      assert.ok(results.length >= 1 && results.length <= 2, '#66 limited to max_num_results');
      assert.equal(results[0]!.file_id, guide.id);
      assert.equal(results[0]!.file_name, 'atlantis.md');
      assert.ok(results.every((r) => r.score >= 0 && r.score <= 1 && r.content === undefined), 'no content unless asked for');
      const withContent = await h.api.beta.threads.runs.steps.retrieve(toolStep.id, { thread_id: thread.id, run_id: run.id, include: [INCLUDE] });
      assert.ok(withContent.step_details.type === 'tool_calls' && withContent.step_details.tool_calls[0]!.type === 'file_search');
      const contents = withContent.step_details.tool_calls[0]!.file_search.results!.map((r) => r.content?.[0]?.text ?? '');
      assert.match(contents[0]!, /Poseidonia/, '#48 content present when requested');

      const [answer] = (await h.api.beta.threads.messages.list(thread.id, { run_id: run.id })).data;
      assert.ok(answer!.content[0]?.type === 'text');
      const { value, annotations } = answer!.content[0].text;
      assert.equal(annotations.length, 1);
      const citation = annotations[0]!;
      assert.ok(citation.type === 'file_citation');
      assert.equal(citation.file_citation.file_id, guide.id);
      assert.equal(value.slice(citation.start_index, citation.end_index), citation.text, '#67 text equals value[start:end]');
      assert.match(citation.text, MARKER);
      assert.equal((await h.api.files.retrieve(citation.file_citation.file_id)).filename, 'atlantis.md');
    });

    test('#66 score_threshold drops results scoring below it', async () => {
      const { assistant } = await knowledgeAssistant({ ranking_options: { score_threshold: 0.99 } });
      const thread = await h.api.beta.threads.create({ messages: [{ role: 'user', content: 'bread?' }] });
      h.model.enqueue({ toolCalls: [{ name: 'file_search', arguments: { query: 'ferries harbour flour' } }] }, { text: 'Nothing certain.' });
      const run = await h.api.beta.threads.runs.createAndPoll(thread.id, { assistant_id: assistant.id });
      const steps = await h.api.beta.threads.runs.steps.list(run.id, { thread_id: thread.id, order: 'asc' });
      assert.ok(steps.data[0]!.step_details.type === 'tool_calls');
      const call = steps.data[0]!.step_details.tool_calls[0]!;
      assert.ok(call.type === 'file_search');
      for (const result of call.file_search.results ?? []) assert.ok(result.score >= 0.99);
      assert.equal(call.file_search.ranking_options?.score_threshold, 0.99);
    });
  });
}

describe('file_search streamed (direct)', () => {
  let h: Harness;
  before(async () => {
    h = await startHarness();
  });
  after(async () => {
    await h.close();
  });

  test('#55 #73 a file_search stream: one file_search delta, citation annotations sent once, every frame valid', async () => {
    const file = await h.direct.files.create({ file: new File([GUIDE], 'atlantis.md'), purpose: 'assistants' });
    const thread = await h.direct.beta.threads.create({ messages: [{ role: 'user', content: 'Where do ferries leave?', attachments: [{ file_id: file.id, tools: [{ type: 'file_search' }] }] }] });
    const storeId = (await h.direct.beta.threads.retrieve(thread.id)).tool_resources!.file_search!.vector_store_ids![0]!;
    await waitFor(async () => ((await h.direct.vectorStores.retrieve(storeId)).status === 'completed' ? true : undefined), 'ingestion', 20_000);
    const assistant = await h.direct.beta.assistants.create({ model: MODEL, tools: [{ type: 'file_search' }] });
    h.model.enqueue({ toolCalls: [{ name: 'file_search', arguments: { query: 'ferries northern pier' } }] }, { text: 'From the northern pier【0:0†atlantis.md】 every morning【0:0†atlantis.md】.' });
    const run = await h.direct.beta.threads.runs.stream(thread.id, { assistant_id: assistant.id }).finalRun();
    assert.equal(run.status, 'completed');
    await h.recorder.settled();
    const events = SseRecorder.events(h.recorder.streams.at(-1)!);
    const searchDeltas = events.filter((e) => e.event === 'thread.run.step.delta' && e.data.delta.step_details.type === 'tool_calls' && e.data.delta.step_details.tool_calls.some((c) => c.type === 'file_search'));
    assert.equal(searchDeltas.length, 1);
    const annotationDeltas = events.flatMap((e) => (e.event === 'thread.message.delta' ? e.data.delta.content.flatMap((part) => (part.type === 'text' ? (part.text.annotations ?? []) : [])) : []));
    assert.deepEqual(annotationDeltas.map((a) => a.index), [0, 1]);
    const final = events.find((e) => e.event === 'thread.message.completed')!;
    assert.ok(final.event === 'thread.message.completed' && final.data.content[0]?.type === 'text');
    assert.deepEqual(final.data.content[0].text.annotations.map((a) => a.start_index), annotationDeltas.map((a) => a.start_index));
    assert.deepEqual(h.recorder.problems, []);
  });
});

describe('code_interpreter (direct)', () => {
  let h: Harness;
  before(async () => {
    h = await startHarness();
  });
  after(async () => {
    await h.close();
  });

  test('#69 #70 #71 a code_interpreter call: input and logs on the step, a chart as image_file, a written file as a file_path link', { timeout: 240_000 }, async () => {
    const data = await h.direct.files.create({ file: new File(['month,sales\njan,3\nfeb,5\n'], 'sales.csv'), purpose: 'assistants' });
    const assistant = await h.direct.beta.assistants.create({ model: MODEL, tools: [{ type: 'code_interpreter' }], tool_resources: { code_interpreter: { file_ids: [data.id] } } });
    const thread = await h.direct.beta.threads.create({ messages: [{ role: 'user', content: 'Sum the sales, chart them, and give me a copy.' }] });
    const code = [
      'import csv, twchart',
      "rows = list(csv.DictReader(open('/mnt/data/sales.csv')))",
      "total = sum(int(r['sales']) for r in rows)",
      "print('total', total)",
      "twchart.bar([r['month'] for r in rows], [int(r['sales']) for r in rows], title='Sales').save('/mnt/data/sales.png')",
      "open('/mnt/data/summary.txt', 'w').write(f'total={total}\\n')",
    ].join('\n');
    h.model.enqueue({ toolCalls: [{ name: 'code_interpreter', arguments: { code } }], argumentsChunkSize: 40 }, { text: 'Total is 8. Download: sandbox:/mnt/data/summary.txt' });
    const run = await h.direct.beta.threads.runs.stream(thread.id, { assistant_id: assistant.id }).finalRun();
    assert.equal(run.status, 'completed', JSON.stringify(run.last_error));

    const [step] = (await h.direct.beta.threads.runs.steps.list(run.id, { thread_id: thread.id, order: 'asc' })).data;
    assert.ok(step!.step_details.type === 'tool_calls');
    const call = step!.step_details.tool_calls[0]!;
    assert.ok(call.type === 'code_interpreter');
    assert.equal(call.code_interpreter.input, code);
    const logs = call.code_interpreter.outputs.find((o) => o.type === 'logs');
    assert.ok(logs?.type === 'logs' && /total 8/.test(logs.logs), JSON.stringify(call.code_interpreter.outputs));
    const image = call.code_interpreter.outputs.find((o) => o.type === 'image');
    assert.ok(image?.type === 'image');

    const [answer] = (await h.direct.beta.threads.messages.list(thread.id, { run_id: run.id })).data;
    const imagePart = answer!.content.find((part) => part.type === 'image_file');
    assert.ok(imagePart?.type === 'image_file' && imagePart.image_file.file_id === image.image.file_id, '#70 the chart is an image_file part');
    const chart = await h.direct.files.retrieve(image.image.file_id);
    assert.equal(chart.purpose, 'assistants_output', '#69 generated files are assistants_output');
    const text = answer!.content.find((part) => part.type === 'text');
    assert.ok(text?.type === 'text');
    const link = text.text.annotations.find((a) => a.type === 'file_path');
    assert.ok(link?.type === 'file_path', JSON.stringify(text.text));
    assert.equal(link.text, 'sandbox:/mnt/data/summary.txt');
    assert.equal(text.text.value.slice(link.start_index, link.end_index), link.text);
    const download = await h.direct.files.content(link.file_path.file_id);
    assert.equal(await download.text(), 'total=8\n', '#71 the file_path resolves to the written file');

    await h.recorder.settled();
    const events = SseRecorder.events(h.recorder.streams.at(-1)!);
    const inputs = events.flatMap((e) =>
      e.event === 'thread.run.step.delta' && e.data.delta.step_details.type === 'tool_calls'
        ? e.data.delta.step_details.tool_calls.flatMap((c) => (c.type === 'code_interpreter' ? [c.code_interpreter?.input ?? ''] : []))
        : [],
    );
    assert.equal(inputs.join(''), code, 'streamed code input concatenates to the step input');
    assert.deepEqual(h.recorder.problems, []);
  });
});
