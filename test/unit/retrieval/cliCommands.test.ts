import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { defaultIndexPath, runIndexCommand, type CommandIo } from '../../../src/cli/indexCommand.ts';
import { runSearchCommand } from '../../../src/cli/searchCommand.ts';
import { sourceAbout } from './workspaceFixture.ts';

function capture(stderrIsTerminal = false): { io: CommandIo; out: () => string; err: () => string } {
  let out = '';
  let err = '';
  return { io: { stdout: (text) => (out += text), stderr: (text) => (err += text), stderrIsTerminal }, out: () => out, err: () => err };
}

function tree(): { root: string; folder: string; db: string } {
  const root = mkdtempSync(path.join(tmpdir(), 'threadwork-cli-'));
  const folder = path.join(root, 'project');
  mkdirSync(path.join(folder, 'src'), { recursive: true });
  mkdirSync(path.join(folder, 'test'), { recursive: true });
  writeFileSync(path.join(folder, 'src/billing.ts'), sourceAbout('invoice', 6));
  writeFileSync(path.join(folder, 'test/billing.test.ts'), `import { invoiceStep0 } from '../src/billing.ts';\ntest('invoiceStep0', () => invoiceStep0('x'));\n`);
  writeFileSync(path.join(folder, 'src/mailer.ts'), sourceAbout('envelope'));
  return { root, folder, db: path.join(root, 'index.sqlite') };
}

describe('threadwork index / search', () => {
  test('index prints its figures; search ranks files with scores and line ranges, as text and JSON', async () => {
    const { root, folder, db } = tree();
    try {
      const indexed = capture();
      assert.equal(await runIndexCommand([folder, '--db', db], indexed.io), 0);
      assert.match(indexed.out(), /files: 3 scanned, 3 indexed/);
      assert.match(indexed.out(), /chunks: \d+/);
      // stderr here is not a terminal (a log or a pipe): whole lines, never a carriage return.
      assert.match(indexed.err(), /^indexing: 3\/3 files\n$/m);
      assert.equal(indexed.err().includes('\r'), false);

      writeFileSync(path.join(folder, 'src/ledger.ts'), sourceAbout('ledger'));
      const onTerminal = capture(true);
      assert.equal(await runIndexCommand([folder, '--db', db], onTerminal.io), 0);
      assert.match(onTerminal.err(), /^(\rindexing: \d\/4 files)+\n$/, 'a terminal gets one line, redrawn, ended once');

      const again = capture();
      assert.equal(await runIndexCommand([folder, `--db=${db}`, '--quiet'], again.io), 0);
      assert.match(again.out(), /0 indexed, 4 unchanged/);
      assert.equal(again.err(), '');

      const json = capture();
      assert.equal(await runSearchCommand([folder, 'how is an invoice step computed?', '--json', '--db', db, '--top', '2'], json.io), 0);
      const parsed = JSON.parse(json.out()) as { query: string; results: Array<{ path: string; score: number; start_line: number; end_line: number }> };
      assert.equal(parsed.query, 'how is an invoice step computed?');
      assert.equal(parsed.results.length, 2);
      assert.equal(parsed.results[0]?.path, 'src/billing.ts');
      for (const result of parsed.results) {
        assert.ok(result.score > 0 && result.score <= 1);
        assert.ok(result.start_line >= 1 && result.end_line >= result.start_line);
      }

      const text = capture();
      assert.equal(await runSearchCommand([folder, 'envelope', '--db', db, '--no-sync'], text.io), 0);
      assert.match(text.out(), /^\d\.\d{3} {2}src\/mailer\.ts:1-\d+$/m);

      const nothing = capture();
      assert.equal(await runSearchCommand([folder, 'zeppelin', '--db', db], nothing.io), 0);
      assert.match(nothing.out(), /No matches/);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });

  test('usage errors exit 2 with a message', async () => {
    const { root, folder, db } = tree();
    try {
      for (const [run, args, pattern] of [
        [runIndexCommand, [], /Which folder/],
        [runIndexCommand, [path.join(root, 'missing')], /No such directory/],
        [runIndexCommand, [folder, '--max-tokens', '50'], /max_chunk_size_tokens/],
        [runIndexCommand, [folder, '--bogus'], /Unknown option --bogus/],
        [runSearchCommand, [folder], /directory and a query/],
        [runSearchCommand, [folder, 'x', '--top', '0', '--db', db], /--top/],
      ] as const) {
        const io = capture();
        assert.equal(await run([...args], io.io), 2, args.join(' '));
        assert.match(io.err(), pattern);
        assert.match(io.err(), /Usage: threadwork/);
      }
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });

  test('the default index lives in the user cache, keyed by the folder, not inside it', () => {
    // A folder of its own: the temp root itself may hold the user's home in a sandboxed CI.
    const folder = realpathSync(mkdtempSync(path.join(tmpdir(), 'tw-index-home-')));
    const first = defaultIndexPath(folder);
    assert.ok(!first.startsWith(`${folder}${path.sep}`), first);
    assert.match(first, /threadwork[\\/]index[\\/].+-[0-9a-f]{16}\.sqlite$/);
    assert.notEqual(defaultIndexPath(path.join(folder, 'a')), defaultIndexPath(path.join(folder, 'b')));
    assert.equal(defaultIndexPath(folder), first);
    rmSync(folder, { recursive: true, force: true });
  });
});
