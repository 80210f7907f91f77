/**
 * Keyword indexing at workspace scale, on a generated source tree (deterministic: the same seed
 * writes the same 10k files, ~100 MB of TypeScript, JavaScript, Python, Go and Markdown, tests and
 * docs included). Measured in one run, side by side:
 *
 * - baseline: read every file, decode it and count its o200k tokens (what chunking cannot avoid),
 *   single-threaded, in a fresh process before and again after the initial index (the ratio uses
 *   their mean); also read + code-aware terms, for reference;
 * - initial index through the product's folder sync (worker-thread chunking with tree-sitter,
 *   FTS5 writes): throughput and its ratio to the baseline (target ≥ 0.5), main-thread stalls;
 * - a no-change re-sync (stat only);
 * - one file edited → searchable, over several edits (target < 200 ms);
 * - query latency p50/p95 over ≥ 100k chunks (target p95 < 50 ms; a second generated tree is
 *   indexed into the same collection to get there), short and issue-length questions about
 *   identifiers that exist in the tree;
 * - peak RSS (worker threads included: they share the process).
 *
 *   npm run bench:index [-- --files N --seed S --keep --no-scale --fresh-tree]
 *
 * The generated tree is cached in the OS temp dir between runs (--fresh-tree regenerates it).
 */
import { execFileSync } from 'node:child_process';
import { appendFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { openDatabase } from '../src/engine/store/sqlite.ts';
import { syncFile, syncFolder } from '../src/engine/retrieval/folderSync.ts';
import { RetrievalIndex } from '../src/engine/retrieval/retrievalIndex.ts';
import { codeTerms } from '../src/engine/retrieval/codeTokens.ts';
import { NodeWorkspace } from '../src/engine/tools/nodeWorkspace.ts';
import { cachedTree, camel, rng, sentence } from './generatedTree.ts';

const args = process.argv.slice(2);
const option = (name: string, fallback: number): number => {
  const at = args.indexOf(`--${name}`);
  return at >= 0 ? Number(args[at + 1]) : fallback;
};
const FILE_COUNT = option('files', 10_000);
const SEED = option('seed', 7);
const KEEP = args.includes('--keep');
const NO_SCALE = args.includes('--no-scale');
const FRESH_TREE = args.includes('--fresh-tree');
/** The second tree (for the ≥ 100k-chunk query test) lives inside the first, left out until then. */
const VENDOR = 'vendor-copy';

// ---------- measurement helpers ----------

function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] ?? 0;
}

let peakRss = 0;
const rssTimer = setInterval(() => {
  peakRss = Math.max(peakRss, process.memoryUsage().rss);
}, 50);

const mb = (bytes: number): string => (bytes / 1e6).toFixed(1);

interface BaselineRun {
  seconds: number;
  cpuSeconds: number;
  tokens: number;
}

function measureBaseline(tree: string, fileList: string): BaselineRun {
  const script = fileURLToPath(new URL('./readTokenizeBaseline.ts', import.meta.url));
  const output = execFileSync(process.execPath, [script, tree, fileList], { encoding: 'utf8', maxBuffer: 1 << 20 });
  return JSON.parse(output.trim().split('\n').at(-1)!) as BaselineRun;
}
const cpuSeconds = (usage: NodeJS.CpuUsage): number => (usage.user + usage.system) / 1e6;

async function main(): Promise<void> {
  const cache = path.join(tmpdir(), 'threadwork-index-bench-cache', `seed${SEED}-files${FILE_COUNT}`);
  const tree = path.join(cache, 'tree');
  const root = mkdtempSync(path.join(tmpdir(), 'threadwork-index-bench-'));
  const restore = new Map<string, string>();
  try {
    let started = performance.now();
    console.log(`# Keyword indexing bench (seed ${SEED}; ${availableParallelism()} cores, load average ${loadavg()[0]!.toFixed(1)})\n`);
    const generated = cachedTree(tree, FILE_COUNT, SEED, FRESH_TREE);
    console.log(`tree: ${generated.files.length} files, ${mb(generated.bytes)} MB, ${generated.seconds === null ? `reused from ${cache}` : `generated in ${generated.seconds.toFixed(1)} s`}`);

    // Baseline: read + decode + o200k count, single-threaded, in a fresh process before the index
    // and again right after it. This machine's speed drifts by up to 2x over a minute, so the
    // index is judged against the mean of the two measurements that bracket it.
    const fileList = path.join(root, 'files.json');
    writeFileSync(fileList, JSON.stringify(generated.files));
    const before = measureBaseline(tree, fileList);
    console.log(`baseline read + o200k tokenize (before the index): ${before.seconds.toFixed(1)} s, ${(generated.bytes / 1e6 / before.seconds).toFixed(2)} MB/s, ${(generated.files.length / before.seconds).toFixed(0)} files/s (${(before.tokens / 1e6).toFixed(1)}M tokens; ${before.cpuSeconds.toFixed(1)} CPU-s)`);
    const decoder = new TextDecoder();
    started = performance.now();
    let terms = 0;
    for (const file of generated.files) terms += codeTerms(decoder.decode(await readFile(path.join(tree, file)))).length;
    const termsSeconds = (performance.now() - started) / 1000;
    console.log(`reference read + code-aware terms: ${termsSeconds.toFixed(1)} s, ${(generated.bytes / 1e6 / termsSeconds).toFixed(2)} MB/s (${(terms / 1e6).toFixed(1)}M terms)`);

    const db = openDatabase(path.join(root, 'index.sqlite'));
    const index = new RetrievalIndex(db);
    const workspace = new NodeWorkspace([tree]);
    const loop = monitorEventLoopDelay({ resolution: 10 });
    loop.enable();
    started = performance.now();
    const cpu = process.cpuUsage();
    const report = await syncFolder(index, 'bench', workspace, tree, { exclude: [VENDOR] });
    const indexSeconds = (performance.now() - started) / 1000;
    const indexCpu = cpuSeconds(process.cpuUsage(cpu));
    loop.disable();
    const after = measureBaseline(tree, fileList);
    const baselineSeconds = (before.seconds + after.seconds) / 2;
    const baselineCpu = (before.cpuSeconds + after.cpuSeconds) / 2;
    const indexRate = generated.bytes / 1e6 / indexSeconds;
    console.log(`initial index: ${indexSeconds.toFixed(1)} s, ${indexRate.toFixed(2)} MB/s, ${(report.indexed / indexSeconds).toFixed(0)} files/s, ${report.chunks} chunks, ${report.indexed} indexed / ${report.unsupported} unsupported / ${report.failed.length} failed`);
    console.log(`baseline read + o200k tokenize (after the index): ${after.seconds.toFixed(1)} s (${after.cpuSeconds.toFixed(1)} CPU-s); mean of the two ${baselineSeconds.toFixed(1)} s`);
    // Equal bytes on both sides, so the throughput ratio is the inverse ratio of the times.
    console.log(`  ratio to baseline read + tokenize: ${(baselineSeconds / indexSeconds).toFixed(2)} (target ≥ 0.50; ${(before.seconds / indexSeconds).toFixed(2)} against the one before, ${(after.seconds / indexSeconds).toFixed(2)} against the one after)`);
    // CPU-seconds are immune to other processes on the machine; the index spends them on 1 + N threads.
    console.log(`  CPU: ${indexCpu.toFixed(1)} CPU-s (all threads) vs ${baselineCpu.toFixed(1)} for the baseline: ${(baselineCpu / indexCpu).toFixed(2)} of its throughput per core, ${((2 * baselineCpu) / indexCpu).toFixed(2)} on 2 free cores (load average now ${loadavg()[0]!.toFixed(1)})`);
    console.log(`  main-thread event-loop delay while indexing: max ${(loop.max / 1e6).toFixed(0)} ms, p99 ${(loop.percentile(99) / 1e6).toFixed(0)} ms`);

    started = performance.now();
    const resync = await syncFolder(index, 'bench', workspace, tree, { exclude: [VENDOR] });
    console.log(`no-change re-sync: ${((performance.now() - started) / 1000).toFixed(2)} s (${resync.unchanged} unchanged, ${resync.indexed} re-indexed)`);

    // One edited file → searchable.
    const editLatencies: number[] = [];
    const r = rng(SEED + 1);
    for (let edit = 0; edit < 20; edit++) {
      const file = generated.files[r.int(generated.files.length)]!;
      // Letters only: digits would split the marker into parts shared with the other edits.
      const marker = `zq${Array.from({ length: 10 }, () => String.fromCharCode(97 + r.int(26))).join('')}`;
      if (!restore.has(file)) restore.set(file, readFileSync(path.join(tree, file), 'utf8'));
      appendFileSync(path.join(tree, file), `\n// ${marker}\n`);
      const editStarted = performance.now();
      await syncFile(index, 'bench', workspace, tree, file);
      const found = await index.search({ collections: ['bench'], query: marker, maxNumResults: 1 });
      editLatencies.push(performance.now() - editStarted);
      if (found.files[0]?.path !== file) throw new Error(`edit ${edit}: ${file} not found by its new marker`);
    }
    console.log(`edit → searchable: p50 ${percentile(editLatencies, 50).toFixed(0)} ms, max ${Math.max(...editLatencies).toFixed(0)} ms over ${editLatencies.length} edits (target < 200 ms)`);

    // A second generated tree in the same collection, so that queries run over ≥ 100k chunks
    // (realistic code has ~3.5 characters per token: 100 MB makes ~60k chunks of 800/400).
    let chunkCount = Number((db.prepare('SELECT count(*) AS n FROM retrieval_chunks').get() as { n: number }).n);
    if (chunkCount < 100_000 && !NO_SCALE) {
      const extraFiles = Math.ceil(((100_000 - chunkCount) / chunkCount) * generated.files.length * 1.05);
      const more = cachedTree(path.join(tree, VENDOR), extraFiles, SEED + 100, FRESH_TREE);
      started = performance.now();
      const grown = await syncFolder(index, 'bench', workspace, tree);
      chunkCount = Number((db.prepare('SELECT count(*) AS n FROM retrieval_chunks').get() as { n: number }).n);
      console.log(`grown for the query test: +${more.files.length} files, +${mb(more.bytes)} MB indexed in ${((performance.now() - started) / 1000).toFixed(1)} s (${grown.indexed} indexed) → ${chunkCount} chunks`);
    }

    // Questions as people ask them: about an identifier that exists, in a few words or at issue length.
    const q = rng(SEED + 2);
    const identifierOf = (file: string): string => {
      const names = readFileSync(path.join(tree, file), 'utf8').match(/\b[a-z]+[A-Z][A-Za-z]+\b/g) ?? [camel(q)];
      return q.pick(names);
    };
    const queries: string[] = [];
    for (let i = 0; i < 150; i++) queries.push(`how does ${identifierOf(q.pick(generated.files))} ${q.word()} the ${q.word()} when ${q.word()} ${q.word()}?`);
    for (let i = 0; i < 50; i++) {
      const file = q.pick(generated.files);
      queries.push(`Issue: ${identifierOf(file)} fails. ${Array.from({ length: 12 }, () => sentence(q, 10)).join('. ')}. Stack: at ${identifierOf(file)} (${path.basename(file)}:${q.int(400)})`);
    }
    const latencies: number[] = [];
    const longLatencies: number[] = [];
    const queryCpu: number[] = [];
    for (const [i, query] of queries.entries()) {
      const queryStarted = performance.now();
      const before = process.cpuUsage();
      await index.search({ collections: ['bench'], query, maxNumResults: 20 });
      const elapsed = performance.now() - queryStarted;
      queryCpu.push(cpuSeconds(process.cpuUsage(before)) * 1000);
      latencies.push(elapsed);
      if (i >= 150) longLatencies.push(elapsed);
    }
    console.log(`queries over ${chunkCount} chunks: p50 ${percentile(latencies, 50).toFixed(1)} ms, p95 ${percentile(latencies, 95).toFixed(1)} ms (issue-length only: p50 ${percentile(longLatencies, 50).toFixed(1)} ms, p95 ${percentile(longLatencies, 95).toFixed(1)} ms) (target p95 < 50 ms${chunkCount < 100_000 ? '; FEWER than 100k chunks' : ''}); CPU per query p50 ${percentile(queryCpu, 50).toFixed(1)} ms, p95 ${percentile(queryCpu, 95).toFixed(1)} ms`);
    const dbBytes = Number((db.prepare('SELECT page_count * page_size AS n FROM pragma_page_count(), pragma_page_size()').get() as { n: number }).n);
    console.log(`database: ${mb(dbBytes)} MB for ${mb(generated.bytes)} MB of source`);
    await index.close();
    db.close();
    peakRss = Math.max(peakRss, process.memoryUsage().rss);
    console.log(`peak RSS: ${mb(peakRss)} MB`);
  } finally {
    clearInterval(rssTimer);
    for (const [file, content] of restore) writeFileSync(path.join(tree, file), content);
    if (KEEP) console.log(`kept ${root} (tree in ${tree})`);
    else rmSync(root, { recursive: true, force: true });
  }
}

await main();
