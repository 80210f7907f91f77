/**
 * File-search quality on real questions (bench/retrieval/README.md in the shared folder): each
 * case is a commit; its subject is the query, the non-test files it changed are the answer, and
 * the workspace is the repository at the commit's parent. For every case the snapshot is
 * extracted (`git archive`, one per commit, cached), indexed with the product's own folder sync
 * (cached per commit and per version of the indexing code), and searched. Printed side by side:
 * the README's plain-BM25 floor, our ranking without the file-role prior, and with it.
 *
 *   npm run bench:retrieval -- --cases express.jsonl --git-dir express.git [--cases … --git-dir …]
 *
 * Options: --cache DIR (default: the OS temp dir), --fresh (ignore cached indexes), --limit N
 * (first N cases per file), --verbose (one line per case).
 */
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { openDatabase } from '../src/engine/store/sqlite.ts';
import { syncFolder } from '../src/engine/retrieval/folderSync.ts';
import { RetrievalIndex } from '../src/engine/retrieval/retrievalIndex.ts';
import { createDocumentPreparer } from '../src/engine/retrieval/documentPreparer.ts';
import { NodeWorkspace } from '../src/engine/tools/nodeWorkspace.ts';

interface Case {
  id: string;
  repo: string;
  base_commit: string;
  query: string;
  gold_files: string[];
  mentions_stem: boolean;
}

interface Args {
  sets: Array<{ cases: string; gitDir: string }>;
  cache: string;
  fresh: boolean;
  limit: number;
  verbose: boolean;
}

/** The floor measured by the dataset's authors (bench/retrieval/README.md), all cases. */
const FLOOR: Record<string, Array<{ method: string; r1: number; r5: number; r10: number; mrr: number }>> = {
  express: [
    { method: 'floor: whole file, plain words', r1: 0.11, r5: 0.70, r10: 0.88, mrr: 0.39 },
    { method: 'floor: 800/400 chunks, code-aware', r1: 0.19, r5: 0.81, r10: 0.92, mrr: 0.47 },
  ],
  axios: [
    { method: 'floor: whole file, plain words', r1: 0.14, r5: 0.52, r10: 0.61, mrr: 0.32 },
    { method: 'floor: 800/400 chunks, code-aware', r1: 0.23, r5: 0.50, r10: 0.66, mrr: 0.37 },
  ],
};

/** Sources whose change changes what an index contains: the cache key. */
const INDEXING_SOURCES = ['codeTokens.ts', '../tokens/pieceCounts.ts', 'chunker.ts', 'syntaxBoundaries.ts', 'prepareDocument.ts', 'textExtraction.ts', 'indexStore.ts', 'schema.ts', 'folderSync.ts', 'chunkingOptions.ts'];

function parseArgs(argv: string[]): Args {
  const args: Args = { sets: [], cache: path.join(tmpdir(), 'threadwork-retrieval-bench'), fresh: false, limit: Infinity, verbose: false };
  const cases: string[] = [];
  const gitDirs: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    const value = (): string => {
      const next = argv[++i];
      if (next === undefined) throw new Error(`${flag} needs a value`);
      return next;
    };
    if (flag === '--cases') cases.push(value());
    else if (flag === '--git-dir') gitDirs.push(value());
    else if (flag === '--cache') args.cache = value();
    else if (flag === '--limit') args.limit = Number(value());
    else if (flag === '--fresh') args.fresh = true;
    else if (flag === '--verbose') args.verbose = true;
    else throw new Error(`Unknown option ${flag}`);
  }
  if (cases.length === 0 || cases.length !== gitDirs.length) {
    throw new Error('Usage: npm run bench:retrieval -- --cases FILE --git-dir DIR [--cases FILE --git-dir DIR …] [--cache DIR] [--fresh] [--limit N] [--verbose]');
  }
  args.sets = cases.map((file, i) => ({ cases: path.resolve(file), gitDir: path.resolve(gitDirs[i]!) }));
  return args;
}

function indexingFingerprint(): string {
  const hash = createHash('sha256');
  const dir = path.join(import.meta.dirname, '../src/engine/retrieval');
  for (const file of INDEXING_SOURCES) hash.update(readFileSync(path.join(dir, file)));
  return hash.digest('hex').slice(0, 12);
}

function run(command: string, args: string[], options: { stdin?: NodeJS.ReadableStream; cwd?: string } = {}): { child: ReturnType<typeof spawn>; done: Promise<void> } {
  const child = spawn(command, args, { cwd: options.cwd, stdio: [options.stdin ? 'pipe' : 'ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const done = new Promise<void>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve() : reject(new Error(`${command} ${args.join(' ')} failed (${code}): ${stderr.trim()}`))));
  });
  if (options.stdin && child.stdin) options.stdin.pipe(child.stdin);
  return { child, done };
}

/** `git --git-dir DIR archive COMMIT | tar -x -C TARGET`, once per commit. */
async function materialise(gitDir: string, commit: string, target: string): Promise<void> {
  if (existsSync(path.join(target, '.complete'))) return;
  const partial = `${target}.partial`;
  rmSync(partial, { recursive: true, force: true });
  mkdirSync(partial, { recursive: true });
  const archive = run('git', ['--git-dir', gitDir, 'archive', commit]);
  const tar = run('tar', ['-x', '-C', partial], { stdin: archive.child.stdout! });
  await Promise.all([archive.done, tar.done]);
  rmSync(target, { recursive: true, force: true });
  renameSync(partial, target);
  mkdirSync(path.join(target, '.complete'));
}

interface CaseResult {
  id: string;
  mentionsStem: boolean;
  ranks: { prior: number[]; plain: number[] };
  gold: number;
  latencyMs: number;
}

interface Ingestion {
  files: number;
  chunks: number;
  bytes: number;
  indexMs: number;
  firstQueryMs: number;
}

function metrics(results: readonly CaseResult[], variant: 'prior' | 'plain'): { r1: number; r5: number; r10: number; mrr: number; n: number } {
  const n = results.length;
  if (n === 0) return { r1: 0, r5: 0, r10: 0, mrr: 0, n };
  const recall = (k: number): number => results.reduce((sum, result) => sum + result.ranks[variant].filter((rank) => rank <= k).length / result.gold, 0) / n;
  const mrr = results.reduce((sum, result) => {
    const first = Math.min(...result.ranks[variant]);
    return sum + (Number.isFinite(first) ? 1 / first : 0);
  }, 0) / n;
  return { r1: recall(1), r5: recall(5), r10: recall(10), mrr, n };
}

function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

const fmt = (value: number): string => value.toFixed(2);

async function benchSet(args: Args, set: Args['sets'][number], fingerprint: string): Promise<void> {
  const cases = readFileSync(set.cases, 'utf8').split('\n').filter((line) => line.trim() !== '').map((line) => JSON.parse(line) as Case).slice(0, args.limit);
  const name = path.basename(set.cases).replace(/\.jsonl$/, '');
  const snapshots = path.join(args.cache, name, 'snapshots');
  const indexes = path.join(args.cache, name, `indexes-${fingerprint}`);
  mkdirSync(snapshots, { recursive: true });
  mkdirSync(indexes, { recursive: true });
  const preparer = createDocumentPreparer();
  const results: CaseResult[] = [];
  const ingestion: Ingestion[] = [];
  const byCommit = new Map<string, Case[]>();
  for (const entry of cases) byCommit.set(entry.base_commit, [...(byCommit.get(entry.base_commit) ?? []), entry]);
  let done = 0;
  for (const [commit, commitCases] of byCommit) {
    const folder = path.join(snapshots, commit);
    await materialise(set.gitDir, commit, folder);
    const dbPath = path.join(indexes, `${commit}.sqlite`);
    const cached = !args.fresh && existsSync(dbPath);
    if (!cached) for (const suffix of ['', '-wal', '-shm']) rmSync(`${dbPath}${suffix}`, { force: true });
    const db = openDatabase(dbPath);
    const index = new RetrievalIndex(db, { preparer });
    const started = performance.now();
    const report = await syncFolder(index, 'workspace', new NodeWorkspace([folder]), folder, { exclude: ['.complete'] });
    const indexMs = performance.now() - started;
    for (const entry of commitCases) {
      const queryStarted = performance.now();
      const withPrior = await index.search({ collections: ['workspace'], query: entry.query, maxFiles: 100 });
      const latencyMs = performance.now() - queryStarted;
      const without = await index.search({ collections: ['workspace'], query: entry.query, maxFiles: 100, preferSource: false });
      const rankOf = (files: ReadonlyArray<{ path: string }>): number[] => entry.gold_files.map((gold) => {
        const position = files.findIndex((file) => file.path === gold);
        return position < 0 ? Infinity : position + 1;
      });
      if (!cached && ingestion.length < byCommit.size && entry === commitCases[0]) {
        ingestion.push({ files: report.indexed + report.unchanged, chunks: report.chunks, bytes: report.bytesRead, indexMs, firstQueryMs: indexMs + latencyMs });
      }
      const result: CaseResult = { id: entry.id, mentionsStem: entry.mentions_stem, ranks: { prior: rankOf(withPrior.files), plain: rankOf(without.files) }, gold: entry.gold_files.length, latencyMs };
      results.push(result);
      if (args.verbose) {
        console.log(`  ${entry.id} ranks prior=${result.ranks.prior.join(',')} plain=${result.ranks.plain.join(',')} top=${withPrior.files.slice(0, 3).map((file) => file.path).join(' ')} | ${entry.query.slice(0, 70)}`);
      }
    }
    await index.close();
    db.close();
    done += commitCases.length;
    process.stderr.write(`\r${name}: ${done}/${cases.length} cases${cached ? ' (cached index)' : ''}   `);
  }
  await preparer.close();
  process.stderr.write('\n');

  const rows: Array<{ method: string; r1: number; r5: number; r10: number; mrr: number; n?: number }> = [];
  for (const floor of FLOOR[name] ?? []) rows.push(floor);
  const subsets: Array<[string, CaseResult[]]> = [
    ['all cases', results],
    ['without mentions_stem', results.filter((result) => !result.mentionsStem)],
  ];
  for (const [label, subset] of subsets) {
    rows.push({ method: `threadwork, no role prior (${label})`, ...metrics(subset, 'plain') });
    rows.push({ method: `threadwork, source prior (${label})`, ...metrics(subset, 'prior') });
  }
  console.log(`\n## ${name} (${cases.length} cases, ${byCommit.size} snapshots)\n`);
  console.log('| method | n | R@1 | R@5 | R@10 | MRR |');
  console.log('|---|---|---|---|---|---|');
  for (const row of rows) console.log(`| ${row.method} | ${row.n ?? cases.length} | ${fmt(row.r1)} | ${fmt(row.r5)} | ${fmt(row.r10)} | ${fmt(row.mrr)} |`);
  const chunkedFloor = FLOOR[name]?.[1];
  const ours = metrics(results, 'prior');
  if (chunkedFloor) {
    console.log(`\nvs chunked code-aware floor (all cases): R@1 ×${(ours.r1 / chunkedFloor.r1).toFixed(2)}, R@5 ×${(ours.r5 / chunkedFloor.r5).toFixed(2)}, R@10 ×${(ours.r10 / chunkedFloor.r10).toFixed(2)}, MRR ×${(ours.mrr / chunkedFloor.mrr).toFixed(2)}`);
  }
  const latencies = results.map((result) => result.latencyMs);
  if (ingestion.length > 0) {
    const files = ingestion.reduce((sum, item) => sum + item.files, 0);
    const chunks = ingestion.reduce((sum, item) => sum + item.chunks, 0);
    const bytes = ingestion.reduce((sum, item) => sum + item.bytes, 0);
    const ms = ingestion.reduce((sum, item) => sum + item.indexMs, 0);
    console.log(`\ningestion (${ingestion.length} fresh snapshots): ${files} files, ${chunks} chunks, ${(bytes / 1e6).toFixed(1)} MB in ${(ms / 1000).toFixed(1)} s = ${(files / (ms / 1000)).toFixed(0)} files/s, ${(bytes / 1e6 / (ms / 1000)).toFixed(2)} MB/s; per snapshot ${Math.round(files / ingestion.length)} files, ${Math.round(chunks / ingestion.length)} chunks; time to first query p50 ${(percentile(ingestion.map((item) => item.firstQueryMs), 50) / 1000).toFixed(2)} s`);
  } else {
    console.log('\ningestion: every index came from the cache (run with --fresh to measure ingestion)');
  }
  console.log(`query latency: p50 ${percentile(latencies, 50).toFixed(1)} ms, p90 ${percentile(latencies, 90).toFixed(1)} ms (${latencies.length} queries)`);
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const fingerprint = indexingFingerprint();
  console.log(`# File-search quality (index version ${fingerprint}; cache ${args.cache})`);
  for (const set of args.sets) await benchSet(args, set, fingerprint);
  // Stale index caches from earlier versions of the indexing code are removed.
  for (const set of args.sets) {
    const dir = path.join(args.cache, path.basename(set.cases).replace(/\.jsonl$/, ''));
    for (const entry of readdirSync(dir)) {
      if (entry.startsWith('indexes-') && entry !== `indexes-${fingerprint}` && statSync(path.join(dir, entry)).isDirectory()) rmSync(path.join(dir, entry), { recursive: true, force: true });
    }
  }
}

await main();
