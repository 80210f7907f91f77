/**
 * The index bench's baseline, run in a process of its own: read every file of a tree, decode it and
 * count its o200k tokens, single-threaded. A fresh process each time, so a second measurement
 * starts as cold as the first (the token counter caches pieces).
 *
 *   node bench/readTokenizeBaseline.ts ROOT FILE_LIST_JSON   → prints {"seconds","cpuSeconds","tokens"}
 */
import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { countTextTokens } from '../src/engine/tokens/pieceCounts.ts';

const [root, listFile] = process.argv.slice(2);
if (!root || !listFile) throw new Error('usage: readTokenizeBaseline.ts ROOT FILE_LIST_JSON');
const files = JSON.parse(readFileSync(listFile, 'utf8')) as string[];
const decoder = new TextDecoder();
const started = performance.now();
const cpu = process.cpuUsage();
let tokens = 0;
for (const file of files) tokens += countTextTokens(decoder.decode(await readFile(path.join(root, file))));
const used = process.cpuUsage(cpu);
console.log(JSON.stringify({ seconds: (performance.now() - started) / 1000, cpuSeconds: (used.user + used.system) / 1e6, tokens }));
