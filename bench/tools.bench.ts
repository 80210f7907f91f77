/**
 * npm run bench:tools — workspace tool costs, each next to the plain operation it wraps:
 *   apply_edit on 1k / 10k / 100k-line files (exact and fuzzy matches) vs String.indexOf + slice;
 *   search_text over a generated 10,000-file tree (ripgrep path and JS fallback) vs plain `rg`;
 *   list_files over the same tree vs `rg --files`.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { rgPath } from '@vscode/ripgrep';
import { applyEditTool } from '../src/engine/tools/applyEditTool.ts';
import { applyEditBlocks } from '../src/engine/tools/editMatching.ts';
import { listFilesTool } from '../src/engine/tools/listFilesTool.ts';
import { NodeWorkspace } from '../src/engine/tools/nodeWorkspace.ts';
import { PathResolver } from '../src/engine/tools/paths.ts';
import { searchTextTool } from '../src/engine/tools/searchTextTool.ts';
import type { ToolContext } from '../src/engine/tools/tool.ts';
import { toolsConfig } from '../src/engine/tools/toolsConfig.ts';

const signal = new AbortController().signal;

function median(samples: number[]): number {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

async function time(repeats: number, work: () => unknown): Promise<number> {
  await work();
  const samples: number[] = [];
  for (let index = 0; index < repeats; index++) {
    const started = performance.now();
    await work();
    samples.push(performance.now() - started);
  }
  return median(samples);
}

const ms = (value: number) => `${value < 10 ? value.toFixed(3) : value.toFixed(1)} ms`.padStart(11);
const ratio = (value: number, base: number) => `${(value / base).toFixed(1)}×`.padStart(8);

function sourceFile(lines: number): string {
  const out: string[] = [];
  for (let index = 0; out.length < lines; index++) {
    out.push(`function fn_${index}(a, b) {`, `  const value_${index} = a * ${index} + b;`, `  if (value_${index} > ${index % 97}) {`, `    return value_${index} - 1;`, '  }', `  return value_${index};`, '}', '');
  }
  return `${out.slice(0, lines).join('\n')}\n`;
}

async function benchEdits(base: string): Promise<void> {
  console.log('\napply_edit (median; baseline = String.indexOf + slice on the same text)');
  console.log(`${'file'.padEnd(15)}${'path'.padEnd(8)}${'baseline'.padStart(11)}${'matching'.padStart(11)}${'ratio'.padStart(8)}${'tool call'.padStart(11)}${'ratio'.padStart(8)}`);
  const root = path.join(base, 'edits');
  mkdirSync(root);
  const files = new NodeWorkspace([root]);
  const context: ToolContext = { files, paths: new PathResolver(files), config: toolsConfig() };
  for (const lines of [1_000, 10_000, 100_000]) {
    const text = sourceFile(lines);
    const middle = Math.floor(lines / 8 / 2);
    const exactSearch = `  const value_${middle} = a * ${middle} + b;\n  if (value_${middle} > ${middle % 97}) {\n    return value_${middle} - 1;`;
    const replace = `  const value_${middle} = a * ${middle} + b + 1;\n  if (value_${middle} > ${middle % 97}) {\n    return value_${middle} - 2;`;
    // A typo and a dropped semicolon: only the fuzzy tier can place it.
    const fuzzySearch = `  const valeu_${middle} = a * ${middle} + b\n  if (value_${middle} > ${middle % 97}) {\n    return value_${middle} - 1;`;
    const file = `f${lines}.ts`;
    const repeats = lines >= 100_000 ? 7 : lines >= 10_000 ? 25 : 100;
    const baseline = await time(repeats, () => {
      const at = text.indexOf(exactSearch);
      return text.slice(0, at) + replace + text.slice(at + exactSearch.length);
    });
    for (const [label, search] of [['exact', exactSearch], ['fuzzy', fuzzySearch]] as const) {
      const check = applyEditBlocks(text, [{ search, replace }]);
      if (!check.ok || check.blocks[0]!.tier !== label) throw new Error(`bench setup: expected a ${label} match, got ${check.ok ? check.blocks[0]!.tier : check.message}`);
      const matching = await time(repeats, () => applyEditBlocks(text, [{ search, replace }]));
      const toolCall = await time(repeats, async () => {
        writeFileSync(path.join(root, file), text);
        const prepared = await applyEditTool.prepare({ path: file, edits: [{ search, replace }] }, context);
        return prepared.execute(signal);
      });
      const writeOnly = await time(repeats, () => writeFileSync(path.join(root, file), text));
      console.log(`${`${lines.toLocaleString('en')} lines`.padEnd(15)}${label.padEnd(8)}${ms(baseline)}${ms(matching)}${ratio(matching, baseline)}${ms(toolCall - writeOnly)}${ratio(toolCall - writeOnly, baseline)}`);
    }
  }
  console.log('tool call = prepare (read, match, diff) + execute (re-check hash, write, read back, verify); the fixture rewrite is subtracted');
}

function generateTree(root: string, fileCount: number): number {
  let needles = 0;
  for (let directory = 0; directory < fileCount / 100; directory++) {
    const folder = path.join(root, `pkg${directory}`, 'src');
    mkdirSync(folder, { recursive: true });
    for (let index = 0; index < 100; index++) {
      const id = directory * 100 + index;
      const lines = Array.from({ length: 40 }, (_, line) => `export const item_${id}_${line} = compute(${line}, "value ${id}");`);
      if (id % 97 === 0) {
        lines[17] = `// needle_marker in file ${id}`;
        needles++;
      }
      writeFileSync(path.join(folder, `module${index}.ts`), `${lines.join('\n')}\n`);
    }
  }
  writeFileSync(path.join(root, '.gitignore'), 'dist/\n');
  return needles;
}

function plainRg(args: string[], cwd: string): number {
  const result = spawnSync(rgPath, [...args, '.'], { cwd, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
  if (result.status !== 0) throw new Error(`rg failed: ${result.stderr}`);
  return result.stdout.split('\n').filter(Boolean).length;
}

async function benchSearch(base: string): Promise<void> {
  const root = path.join(base, 'tree');
  mkdirSync(root);
  const started = performance.now();
  const needles = generateTree(root, 10_000);
  console.log(`\nsearch_text / list_files over a generated tree: 10,000 files (${needles} contain the needle), built in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  const files = new NodeWorkspace([root]);
  const context = (useRipgrep: boolean): ToolContext => ({ files, paths: new PathResolver(files), config: toolsConfig({ useRipgrep }) });
  const run = async (useRipgrep: boolean, input: Parameters<typeof searchTextTool.prepare>[0]) => (await searchTextTool.prepare(input, context(useRipgrep))).execute(signal);

  const repeats = 7;
  console.log(`${'query'.padEnd(30)}${'plain rg'.padStart(11)}${'tool (rg)'.padStart(11)}${'ratio'.padStart(8)}${'tool (JS)'.padStart(11)}${'ratio'.padStart(8)}`);
  const rare = await time(repeats, () => plainRg(['--no-config', '--fixed-strings', 'needle_marker'], root));
  if (plainRg(['--no-config', '--fixed-strings', 'needle_marker'], root) !== needles) throw new Error('bench setup: plain rg count');
  const rareRg = await time(repeats, () => run(true, { query: 'needle_marker', max_results: 500 }));
  const rareJs = await time(3, () => run(false, { query: 'needle_marker', max_results: 500 }));
  const check = await run(true, { query: 'needle_marker', max_results: 500 });
  if (!check.startsWith(`${needles} matching lines in ${needles} files`)) throw new Error(`bench setup: tool found ${check.split('\n')[0]}`);
  console.log(`${'rare literal (104 hits)'.padEnd(30)}${ms(rare)}${ms(rareRg)}${ratio(rareRg, rare)}${ms(rareJs)}${ratio(rareJs, rare)}`);

  const regexArgs = ['--no-config', '--max-count', '20', '-e', 'item_\\d+_3\\d = compute'];
  const common = await time(repeats, () => plainRg(regexArgs, root));
  const commonRg = await time(repeats, () => run(true, { query: 'item_\\d+_3\\d = compute', is_regex: true, max_results: 100 }));
  const commonJs = await time(3, () => run(false, { query: 'item_\\d+_3\\d = compute', is_regex: true, max_results: 100 }));
  console.log(`${'common regex, tool capped 100'.padEnd(30)}${ms(common)}${ms(commonRg)}${ratio(commonRg, common)}${ms(commonJs)}${ratio(commonJs, common)}`);

  const listing = await time(repeats, () => plainRg(['--no-config', '--files'], root));
  const listTool = await time(repeats, async () => (await listFilesTool.prepare({ max_results: 2000, pattern: 'module99.ts' }, context(true))).execute(signal));
  console.log(`${'list_files "module99.ts"'.padEnd(30)}${ms(listing)}${ms(listTool)}${ratio(listTool, listing)}${'(walker; baseline rg --files)'.padStart(30)}`);
  console.log('plain rg = the rg binary alone on the same tree, all output read; tool = search_text / list_files end to end (spawn, --json parse, format).');
  console.log('The capped row is not like for like: the tool stops rg at 100 results, plain rg reads everything.');
}

const base = mkdtempSync(path.join(os.tmpdir(), 'threadwork-bench-tools-'));
try {
  console.log(`Node ${process.version}, ${os.cpus().length} CPU(s), ripgrep ${spawnSync(rgPath, ['--version'], { encoding: 'utf8' }).stdout.split('\n')[0]}`);
  await benchEdits(base);
  await benchSearch(base);
} finally {
  rmSync(base, { recursive: true, force: true });
}
