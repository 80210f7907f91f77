// Knowledge bases and citations against a real engine, a real index and the scripted model: the
// built-in assistant's file_search reaches the workspace folder's store; a knowledge base is
// attached, re-added and removed; a citation in the answer resolves to the file and the lines the
// search returned, and still finds them after the file was edited above them.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, before, describe, test } from 'node:test';
import type { Message } from '../../../src/engine/types/message.ts';
import { NodeWorkspace } from '../../../src/engine/tools/nodeWorkspace.ts';
import { focusLines, locateChunk, parseMarker, resolveCitation, type CitationLookups } from '../../../src/vscode/knowledge/citationResolver.ts';
import { ensureAssistants } from '../../../src/vscode/defaultAssistant.ts';
import { FolderIndex } from '../../../src/vscode/knowledge/folderIndex.ts';
import { addFiles, attach, attachedStore, createKnowledgeBase, detach, listKnowledgeBases, removeFile, removeKnowledgeBase, storeFiles } from '../../../src/vscode/knowledge/knowledgeBases.ts';
import { KnowledgeRuntime } from '../../../src/vscode/knowledge/knowledgeRuntime.ts';
import type { RecordedRequest } from '../../support/modelServer/index.ts';
import { createEngineHarness, type EngineHarness } from '../../support/engineHarness.ts';

const MARKER = /【\d+:\d+†[^】]*】/;

/** 200 lines of filler with `parseConfig` far down, so its chunk does not start at line 1. */
function configSource(): string {
  const filler = Array.from({ length: 60 }, (_, i) => `export function helper${i}(value: number): number {\n  return value + ${i};\n}\n`).join('');
  return `${filler}\n/** Reads the settings file and fills in the defaults. */\nexport function parseConfig(text: string): Record<string, string> {\n  return Object.fromEntries(text.split('\\n').map((line) => line.split('=')));\n}\n`;
}

function toolOutput(request: RecordedRequest): string | undefined {
  const messages = (request.body['messages'] ?? []) as Array<{ role: string; content?: unknown }>;
  const tool = messages.filter((message) => message.role === 'tool').at(-1);
  return typeof tool?.content === 'string' ? tool.content : undefined;
}

describe('knowledge bases and citations', { timeout: 120_000 }, () => {
  let h: EngineHarness;
  let runtime: KnowledgeRuntime;
  let folder: string;
  let workspaceStore: string;
  let lookups: CitationLookups;
  let dir: string;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'threadwork-citations-'));
    folder = join(dir, 'workspace');
    mkdirSync(join(folder, 'src'), { recursive: true });
    writeFileSync(join(folder, 'src', 'config.ts'), configSource());
    writeFileSync(join(folder, 'README.md'), '# Demo\n\nSettings are read at start-up.\n');
    writeFileSync(join(folder, 'notes.md'), '# Release notes\n\nThe refund policy allows returns within 30 days of purchase.\n');
    let storeIds: string[] = [];
    runtime = new KnowledgeRuntime({ storageDir: dir, workspaceStoreIds: () => storeIds });
    h = await createEngineHarness({ dir, vectorIndex: runtime.vectorIndex });
    runtime.addOn(() => undefined).attach!(h.engine);
    workspaceStore = h.engine.vectorStores.create({ name: 'Workspace: demo', metadata: { threadwork_kind: 'workspace' } }).id;
    runtime.links.setWorkspaceStore(pathToFileURL(folder).href, workspaceStore);
    storeIds = [workspaceStore];
    const files = new NodeWorkspace([folder]);
    await new FolderIndex(runtime.retrieval, files, files.folders()[0]!.path, workspaceStore, { exclude: [], maxFileBytes: 1 << 20 }).syncAll();
    lookups = {
      links: runtime.links,
      workspaceStores: () => runtime.links.workspaceFolders(),
      storeHolds: (storeId, key) => runtime.retrieval.file(storeId, key) !== undefined,
    };
    // The scripted model searches first, then answers citing the first marker the search returned.
    h.model.setHandler((request) => {
      const output = toolOutput(request);
      if (output === undefined) return { toolCalls: [{ name: 'file_search', arguments: { query: request.body['messages'] && JSON.stringify(request.body['messages']).includes('refund') ? 'refund policy returns' : 'parseConfig settings defaults' } }] };
      const marker = MARKER.exec(output)?.[0] ?? '';
      return { text: `It is handled there ${marker}.` };
    });
  });
  after(async () => {
    await h.close();
    await runtime.close();
    rmSync(dir, { recursive: true, force: true });
  });

  async function ask(question: string, assistantId: string): Promise<Message> {
    const thread = h.engine.threads.create({ messages: [{ role: 'user', content: question }] });
    const run = h.engine.runs.create(thread.id, { assistant_id: assistantId });
    assert.equal((await h.settle(thread.id, run.id)).status, 'completed');
    const [answer] = h.engine.messages.list(thread.id, { order: 'desc', limit: 1 }).data;
    return answer!;
  }

  function citationOf(message: Message) {
    const part = message.content[0];
    assert.ok(part?.type === 'text');
    const annotation = part.text.annotations.find((candidate) => candidate.type === 'file_citation');
    assert.ok(annotation && annotation.type === 'file_citation', `an annotated citation in: ${part.text.value}`);
    return { threadId: message.thread_id, messageId: message.id, fileId: annotation.file_citation.file_id, marker: annotation.text };
  }

  test('the built-in assistant searches the workspace store; the citation opens src/config.ts at the chunk with parseConfig', async () => {
    const assistant = ensureAssistants(h.engine, 'scripted-model')[0]!;
    assert.ok(assistant.tools.some((tool) => tool.type === 'file_search'));
    assert.equal(attachedStore(assistant), undefined, 'the workspace is searched without taking the one tool_resources slot');
    const answer = await ask('Where are the settings parsed?', assistant.id);
    const request = citationOf(answer);
    assert.equal(request.fileId, 'src/config.ts');
    assert.deepEqual(parseMarker(request.marker), { call: 0, result: 0, name: 'src/config.ts' });

    const target = resolveCitation(h.engine, lookups, request);
    assert.ok(target?.kind === 'workspace');
    assert.equal(target.folderUri, pathToFileURL(folder).href);
    assert.equal(target.relativePath, 'src/config.ts');
    const text = readFileSync(join(folder, 'src', 'config.ts'), 'utf8');
    const parseLine = text.split('\n').findIndex((line) => line.includes('function parseConfig')) + 1;
    assert.ok(target.lines && target.lines.startLine > 1 && target.lines.startLine <= parseLine && parseLine <= target.lines.endLine, `lines ${JSON.stringify(target.lines)} hold line ${parseLine}`);
    assert.deepEqual(locateChunk(text, target.chunkText, target.lines), target.lines, 'unchanged file: the recorded lines');

    // Ten lines added above the chunk: the same text is found ten lines further down.
    const edited = `${'// added\n'.repeat(10)}${text}`;
    assert.deepEqual(locateChunk(edited, target.chunkText, target.lines), { startLine: target.lines.startLine + 10, endLine: target.lines.endLine + 10 });
    // Within the chunk, the lines that answer the search: parseConfig's doc comment and function.
    assert.equal(target.query, 'parseConfig settings defaults');
    const focus = focusLines(text, target.lines, target.query);
    assert.ok(focus.startLine <= parseLine && parseLine <= focus.endLine && focus.endLine - focus.startLine <= 8, `focus ${JSON.stringify(focus)} on line ${parseLine}`);
    assert.deepEqual(focusLines(text, target.lines, 'zebra'), target.lines, 'no line matches: the whole chunk');
    // The chunk rewritten: the recorded lines, kept inside the file.
    assert.deepEqual(locateChunk('short\nfile\n', target.chunkText, target.lines), { startLine: 3, endLine: 3 });
  });

  test('a knowledge base: added, attached to an assistant, cited by URI; re-adding replaces only changed files', async () => {
    const base = createKnowledgeBase(h.engine, 'Policies');
    assert.deepEqual(listKnowledgeBases(h.engine).map((store) => store.id), [base.id], 'the workspace store is not a knowledge base');
    const uri = pathToFileURL(join(folder, 'notes.md')).href;
    const bytes = () => new Uint8Array(readFileSync(join(folder, 'notes.md')));
    const first = addFiles(h.engine, runtime.links, base.id, [{ uri, filename: 'notes.md', bytes: bytes() }]);
    assert.equal(first.added.length, 1);
    while (h.engine.vectorStores.pendingIngestion > 0) await new Promise((resolve) => setTimeout(resolve, 20));
    assert.equal(storeFiles(h.engine, base.id)[0]?.status, 'completed');

    const mine = h.assistant({ name: 'Support', tools: [] });
    assert.deepEqual(attach(h.engine, mine.id, base.id), {});
    const attached = h.engine.assistants.retrieve(mine.id);
    assert.deepEqual(attached.tool_resources?.file_search?.vector_store_ids, [base.id]);
    assert.ok(attached.tools.some((tool) => tool.type === 'file_search'));

    const answer = await ask('What is the refund policy?', mine.id);
    const request = citationOf(answer);
    assert.equal(request.fileId, first.added[0]);
    const target = resolveCitation(h.engine, lookups, request);
    assert.ok(target?.kind === 'source');
    assert.equal(target.uri, uri);
    assert.ok(target.lines && target.lines.startLine >= 1);

    const same = addFiles(h.engine, runtime.links, base.id, [{ uri, filename: 'notes.md', bytes: bytes() }]);
    assert.deepEqual(same, { added: [], unchanged: first.added });
    writeFileSync(join(folder, 'notes.md'), '# Release notes\n\nReturns are accepted within 60 days.\n');
    const changed = addFiles(h.engine, runtime.links, base.id, [{ uri, filename: 'notes.md', bytes: bytes() }]);
    assert.equal(changed.added.length, 1);
    assert.deepEqual(storeFiles(h.engine, base.id).map((file) => file.id), changed.added, 'the old copy left the store');
    assert.equal(h.engine.store.files.get(first.added[0]!), undefined, 'and its File was deleted');

    // A user's own assistant does not search the workspace unless asked to.
    const thread = h.engine.threads.create({});
    assert.deepEqual(runtime.storesFor(h.engine, thread, h.engine.assistants.retrieve(mine.id)), [base.id]);
    assert.deepEqual(runtime.storesFor(h.engine, thread, ensureAssistants(h.engine, 'scripted-model').find((a) => a.metadata['threadwork_default'] === 'true')), [workspaceStore]);

    assert.equal(detach(h.engine, mine.id, base.id), true);
    assert.deepEqual(h.engine.assistants.retrieve(mine.id).tool_resources?.file_search?.vector_store_ids, []);
    attach(h.engine, mine.id, base.id);
    removeFile(h.engine, runtime.links, base.id, changed.added[0]!);
    assert.equal(storeFiles(h.engine, base.id).length, 0);
    removeKnowledgeBase(h.engine, runtime.links, base.id);
    assert.equal(h.engine.store.vectorStores.get(base.id), undefined);
    assert.deepEqual(h.engine.assistants.retrieve(mine.id).tool_resources?.file_search?.vector_store_ids, [], 'a deleted knowledge base leaves the assistants that used it');
  });

  test('a citation whose run or marker does not match gives no lines, and an unknown file resolves to nothing', () => {
    assert.equal(parseMarker('【x†y】'), undefined);
    const orphan = resolveCitation(h.engine, lookups, { threadId: 'thread_x', messageId: 'msg_x', fileId: 'file-missing', marker: '【0:0†a.md】' });
    assert.equal(orphan, undefined);
    const stray = resolveCitation(h.engine, lookups, { threadId: 'thread_x', messageId: 'msg_x', fileId: 'src/config.ts', marker: '【0:0†src/config.ts】' });
    assert.ok(stray?.kind === 'workspace' && stray.lines === undefined && stray.chunkText === undefined, 'found by the store that holds it, without lines');
  });
});
