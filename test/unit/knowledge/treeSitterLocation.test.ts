import assert from 'node:assert/strict';
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { DEFAULT_CHUNK_LIMITS } from '../../../src/engine/retrieval/chunkingOptions.ts';
import { WorkerPreparer } from '../../../src/engine/retrieval/documentPreparer.ts';
import { prepareDocument } from '../../../src/engine/retrieval/prepareDocument.ts';
import { setGrammarDirectory } from '../../../src/engine/retrieval/syntaxBoundaries.ts';
import { treeSitterCandidates, vscodeTreeSitterDirectory } from '../../../src/vscode/knowledge/treeSitterLocation.ts';
import { repoRoot } from '../../e2e/support/paths.ts';

/** The VS Code that scripts/setup.sh installs for the e2e tests (code-server's server layout). */
const codeServerAppRoot = join(repoRoot, '.tools', 'code-server', 'node_modules', 'code-server', 'lib', 'vscode');

/** Long enough to need several chunks, with no blank lines: only the syntax gives clean cuts. */
function tightSource(): string {
  const lines: string[] = [];
  for (let i = 0; i < 40; i++) {
    lines.push(`export function handler${i}(request: Request, attempt = ${i}): number {`);
    for (let j = 0; j < 8; j++) lines.push(`  const value${j} = request.header('x-${i}-${j}') ?? attempt * ${j}; if (value${j} > ${i * j}) return value${j};`);
    lines.push('  return attempt;', '}');
  }
  return `${lines.join('\n')}\n`;
}

after(() => setGrammarDirectory(null));

/** A runtime of another shape than ours: it loads, but its trees throw when read. */
const MISBEHAVING_RUNTIME = `
class Parser {
  static async init() {}
  setLanguage() {}
  parse() { return { get rootNode() { throw new Error('unknown node API'); }, delete() {} }; }
  reset() {}
}
module.exports = { Parser, Language: { load: async () => ({}) } };
`;

describe("VS Code's own tree-sitter", () => {
  test('desktop and server layouts are looked at; a folder counts only with the runtime and the grammars', () => {
    assert.deepEqual(treeSitterCandidates('/app').map((candidate) => candidate.replace(/\\/g, '/')), [
      '/app/node_modules/@vscode/tree-sitter-wasm/wasm',
      '/app/node_modules.asar/@vscode/tree-sitter-wasm/wasm',
      '/app/node_modules.asar.unpacked/@vscode/tree-sitter-wasm/wasm',
    ]);
    const root = mkdtempSync(join(tmpdir(), 'tw-tree-sitter-'));
    try {
      assert.equal(vscodeTreeSitterDirectory(undefined), undefined);
      assert.equal(vscodeTreeSitterDirectory(root), undefined);
      const folder = join(root, 'node_modules.asar.unpacked', '@vscode', 'tree-sitter-wasm', 'wasm');
      mkdirSync(folder, { recursive: true });
      writeFileSync(join(folder, 'tree-sitter-typescript.wasm'), '');
      assert.equal(vscodeTreeSitterDirectory(root), undefined, 'grammars without the runtime are not enough');
      writeFileSync(join(folder, 'tree-sitter.js'), '');
      writeFileSync(join(folder, 'tree-sitter.wasm'), '');
      assert.equal(vscodeTreeSitterDirectory(root), folder);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });

  test('a runtime that throws while parsing leaves the file to layout boundaries, never unindexed', async () => {
    const root = mkdtempSync(join(tmpdir(), 'tw-tree-sitter-odd-'));
    try {
      for (const file of ['tree-sitter.wasm', 'tree-sitter-typescript.wasm']) writeFileSync(join(root, file), '');
      writeFileSync(join(root, 'tree-sitter.js'), MISBEHAVING_RUNTIME);
      setGrammarDirectory(root);
      const result = await prepareDocument({ path: 'src/handlers.ts', bytes: new TextEncoder().encode(tightSource()), limits: DEFAULT_CHUNK_LIMITS });
      assert.equal(result.status, 'prepared');
      assert.equal(result.status === 'prepared' && result.document.boundaries, 'layout');
      assert.ok(result.status === 'prepared' && result.document.chunks.length > 1);
    } finally {
      setGrammarDirectory(null);
      rmSync(root, { recursive: true, force: true });
    }
  });

  test("code-server's copy is found, and chunking parses with it, inline and in the preparation workers", async () => {
    const directory = vscodeTreeSitterDirectory(codeServerAppRoot);
    assert.ok(directory, `no tree-sitter under ${codeServerAppRoot} (scripts/setup.sh installs code-server)`);
    // A copy in a folder of its own, so nothing can come from this checkout's node_modules instead.
    const root = mkdtempSync(join(tmpdir(), 'tw-tree-sitter-copy-'));
    const preparer = new WorkerPreparer(1);
    try {
      cpSync(directory, root, { recursive: true });
      setGrammarDirectory(root);
      const request = () => ({ path: 'src/handlers.ts', bytes: new TextEncoder().encode(tightSource()), limits: DEFAULT_CHUNK_LIMITS });
      const inline = await prepareDocument(request());
      assert.equal(inline.status === 'prepared' && inline.document.boundaries, 'syntax');
      const inWorker = await preparer.prepare(request());
      assert.equal(inWorker.status === 'prepared' && inWorker.document.boundaries, 'syntax');

      // A folder without grammars degrades to layout, in the worker too: the folder it was given is used.
      setGrammarDirectory(join(root, 'missing'));
      const other = new WorkerPreparer(1);
      try {
        const degraded = await other.prepare(request());
        assert.equal(degraded.status === 'prepared' && degraded.document.boundaries, 'layout');
      } finally {
        await other.close();
      }
    } finally {
      await preparer.close();
      setGrammarDirectory(null);
      rmSync(root, { recursive: true, force: true });
    }
  });
});
