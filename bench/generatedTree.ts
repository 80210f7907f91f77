/**
 * The index bench's source tree, generated deterministically: the same seed writes the same files,
 * ~10 kB of TypeScript, JavaScript, Python, Go or Markdown each on average (tests and docs
 * included), with a Zipfian vocabulary and identifiers made of its words, like real code.
 */
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';

function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const WORDS = `account action adapter address agent alias allow array async attach audit auth batch buffer build bundle cache call cancel
channel chunk client close code column commit config connect content context cookie count cursor data date debug decode default delay
delete detect digest dispatch document domain download draft encode entry error event expire export fetch field file filter flush format
frame handle hash header history host index input install instance interval item job key label layer limit line link listen load lock
log manager map match merge message method metric mode module mount name node notify number offset option order origin output owner
packet page param parse patch path payload peer pending pipe policy pool port prefix process profile promise protocol proxy query queue
range rate reader record redirect region registry release remote render reply report request resolve resource response result retry
route row rule runner schema scope secret segment select send serial server session setting shard signal size socket source span state
status store stream string subject suffix sync table tag target task template tenant text thread timeout timer token topic trace
transform tree trigger type update upload user value version view watch window worker writer`.split(/\s+/);

/**
 * The vocabulary of real code is Zipfian: a few words everywhere, most words rare. The common
 * English-ish words above lead a tail of pseudo-words (deterministic syllable strings), and words
 * are drawn with probability ∝ 1/rank.
 */
const SYLLABLES = 'ka lo mi ne ru sa ti vo ze ba di fu go hi ja ke li mo nu pa qui re so tu va we xi yo zu'.split(' ');
const VOCABULARY: string[] = (() => {
  const words = [...WORDS];
  const seen = new Set(words);
  const make = mulberry32(99);
  while (words.length < 6000) {
    let word = '';
    for (let i = 0, n = 2 + Math.floor(make() * 2); i < n; i++) word += SYLLABLES[Math.floor(make() * SYLLABLES.length)];
    if (!seen.has(word)) {
      seen.add(word);
      words.push(word);
    }
  }
  return words;
})();
const ZIPF_CUMULATIVE: Float64Array = (() => {
  const cumulative = new Float64Array(VOCABULARY.length);
  let total = 0;
  for (let rank = 0; rank < VOCABULARY.length; rank++) cumulative[rank] = total += 1 / (rank + 1);
  for (let rank = 0; rank < VOCABULARY.length; rank++) cumulative[rank]! /= total;
  return cumulative;
})();

export interface Rng {
  next: () => number;
  int: (max: number) => number;
  pick: <T>(items: readonly T[]) => T;
  word: () => string;
}

export function rng(seed: number): Rng {
  const next = mulberry32(seed);
  const word = (): string => {
    const target = next();
    let low = 0;
    let high = ZIPF_CUMULATIVE.length - 1;
    while (low < high) {
      const mid = (low + high) >> 1;
      if (ZIPF_CUMULATIVE[mid]! < target) low = mid + 1;
      else high = mid;
    }
    return VOCABULARY[low]!;
  };
  return { next, int: (max) => Math.floor(next() * max), pick: (items) => items[Math.floor(next() * items.length)]!, word };
}

const cap = (word: string): string => word[0]!.toUpperCase() + word.slice(1);
/** Identifiers: a common head word, then words from anywhere in the vocabulary (names are diverse). */
export const camel = (r: Rng, parts = 2 + r.int(2)): string => Array.from({ length: parts }, (_, i) => (i === 0 ? r.word() : cap(r.pick(VOCABULARY)))).join('');
const snake = (r: Rng, parts = 2 + r.int(2)): string => Array.from({ length: parts }, () => r.word()).join('_');
export const sentence = (r: Rng, words = 6 + r.int(10)): string => Array.from({ length: words }, () => r.word()).join(' ');

function statementTs(r: Rng, indent: string): string {
  const a = camel(r);
  const b = camel(r);
  const forms = [
    `${indent}const ${a} = ${b}.${r.word()}(${r.int(1000)}, '${r.word()}-${r.int(100)}');`,
    `${indent}if (${a}.${r.word()} > ${r.int(500)}) throw new Error(\`${sentence(r, 5)}: \${${b}}\`);`,
    `${indent}${a}.${camel(r, 2)}({ ${r.word()}: ${b}, ${r.word()}: ${r.int(65536)} });`,
    `${indent}// ${sentence(r)}`,
    `${indent}for (const ${r.word()} of ${a}) await ${b}.${r.word()}(${r.word()});`,
    `${indent}return ${a} ?? ${b}.${camel(r, 2)}[${r.int(16)}];`,
  ];
  return r.pick(forms);
}

function tsFile(r: Rng, target: number): string {
  const lines = [`import { ${cap(camel(r))} } from './${camel(r)}.ts';`, `import type { ${cap(camel(r))} } from '../${r.word()}/${camel(r)}.ts';`, ''];
  let size = 0;
  while (size < target) {
    let block: string;
    if (r.next() < 0.35) {
      const name = cap(camel(r));
      const members = [`/** ${sentence(r)} */`, `export class ${name} {`, `  readonly #${camel(r)} = new Map<string, number>();`];
      for (let m = 0, count = 2 + r.int(5); m < count; m++) {
        members.push('', `  /** ${sentence(r)} */`, `  async ${camel(r)}(${camel(r)}: string, ${camel(r)}: number): Promise<void> {`);
        for (let s = 0, n = 2 + r.int(8); s < n; s++) members.push(statementTs(r, '    '));
        members.push('  }');
      }
      members.push('}', '');
      block = members.join('\n');
    } else {
      const body = [`/** ${sentence(r)} */`, `export function ${camel(r)}(${camel(r)}: ${cap(camel(r))}, ${camel(r)} = ${r.int(100)}): number {`];
      for (let s = 0, n = 3 + r.int(12); s < n; s++) body.push(statementTs(r, '  '));
      body.push('}', '');
      block = body.join('\n');
    }
    lines.push(block);
    size += block.length;
  }
  return lines.join('\n');
}

function pyFile(r: Rng, target: number): string {
  const lines = [`"""${sentence(r)}."""`, `import ${r.word()}`, `from .${snake(r)} import ${cap(camel(r))}`, ''];
  let size = 0;
  while (size < target) {
    const body = [`def ${snake(r)}(${snake(r)}, ${snake(r)}=${r.int(100)}):`, `    """${sentence(r)}."""`];
    for (let s = 0, n = 3 + r.int(10); s < n; s++) {
      const forms = [`    ${snake(r)} = ${snake(r)}.${snake(r, 2)}(${r.int(1000)}, "${r.word()}")`, `    if ${snake(r)} > ${r.int(500)}:\n        raise ValueError("${sentence(r, 5)}")`, `    # ${sentence(r)}`, `    return ${snake(r)}[${r.int(16)}]`];
      body.push(r.pick(forms));
    }
    const block = `${body.join('\n')}\n\n`;
    lines.push(block);
    size += block.length;
  }
  return lines.join('\n');
}

function goFile(r: Rng, target: number): string {
  const lines = [`package ${r.word()}`, '', `import "fmt"`, ''];
  let size = 0;
  while (size < target) {
    const body = [`// ${cap(camel(r))} ${sentence(r)}.`, `func ${cap(camel(r))}(${camel(r)} string, ${camel(r)} int) error {`];
    for (let s = 0, n = 3 + r.int(10); s < n; s++) {
      const forms = [`\t${camel(r)} := ${camel(r)}.${cap(camel(r, 2))}(${r.int(1000)})`, `\tif ${camel(r)} > ${r.int(500)} {\n\t\treturn fmt.Errorf("${sentence(r, 5)}: %d", ${camel(r)})\n\t}`, `\t// ${sentence(r)}`];
      body.push(r.pick(forms));
    }
    body.push('\treturn nil', '}', '');
    const block = body.join('\n');
    lines.push(block);
    size += block.length;
  }
  return lines.join('\n');
}

function mdFile(r: Rng, target: number): string {
  const lines = [`# ${cap(sentence(r, 4))}`, ''];
  let size = 0;
  while (size < target) {
    const block = `## ${cap(sentence(r, 3))}\n\n${cap(sentence(r, 40))}. ${cap(sentence(r, 30))}.\n\n\`\`\`ts\n${camel(r)}(${r.int(100)});\n\`\`\`\n`;
    lines.push(block);
    size += block.length;
  }
  return lines.join('\n');
}

/** Sizes skewed like real repositories: most files small, most bytes in the large ones. */
function fileSize(r: Rng): number {
  const logNormal = Math.exp(8.6 + 0.9 * Math.sqrt(-2 * Math.log(1 - r.next())) * Math.cos(2 * Math.PI * r.next()));
  return Math.max(300, Math.min(120_000, Math.round(logNormal)));
}

function generateTree(root: string, count: number, seed: number): { files: string[]; bytes: number } {
  const r = rng(seed);
  const files: string[] = [];
  let bytes = 0;
  writeFileSync(path.join(root, '.gitignore'), 'build/\n*.log\n');
  for (let i = 0; i < count; i++) {
    const pkg = `packages/${WORDS[i % 97]}-${Math.floor(i / 97) % 11}`;
    const roll = r.next();
    const name = camel(r);
    let relative: string;
    let text: string;
    const target = fileSize(r);
    if (roll < 0.45) [relative, text] = [`${pkg}/src/${r.word()}/${name}.ts`, tsFile(r, target)];
    else if (roll < 0.6) [relative, text] = [`${pkg}/test/${name}.test.ts`, tsFile(r, target)];
    else if (roll < 0.75) [relative, text] = [`${pkg}/lib/${name}.js`, tsFile(r, target).replace(/: (string|number|Promise<void>|[A-Z]\w+)/g, '')];
    else if (roll < 0.87) [relative, text] = [`${pkg}/py/${snake(r)}.py`, pyFile(r, target)];
    else if (roll < 0.95) [relative, text] = [`${pkg}/go/${snake(r)}.go`, goFile(r, target)];
    else [relative, text] = [`${pkg}/docs/${snake(r)}.md`, mdFile(r, target)];
    const absolute = path.join(root, relative);
    mkdirSync(path.dirname(absolute), { recursive: true });
    writeFileSync(absolute, text);
    files.push(relative);
    bytes += Buffer.byteLength(text);
  }
  return { files, bytes };
}

/**
 * The generated tree is kept between runs (it is deterministic): generating 100 MB of source
 * costs more than half of the measured work. `manifest.json` marks a finished generation.
 */
export function cachedTree(directory: string, count: number, seed: number, fresh: boolean): { files: string[]; bytes: number; seconds: number | null } {
  const manifest = path.join(directory, '..', `${path.basename(directory)}.manifest.json`);
  if (!fresh && existsSync(manifest)) return { ...(JSON.parse(readFileSync(manifest, 'utf8')) as { files: string[]; bytes: number }), seconds: null };
  rmSync(directory, { recursive: true, force: true });
  mkdirSync(directory, { recursive: true });
  const started = performance.now();
  const generated = generateTree(directory, count, seed);
  writeFileSync(manifest, JSON.stringify(generated));
  return { ...generated, seconds: (performance.now() - started) / 1000 };
}
