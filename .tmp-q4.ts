import { openDatabase } from './src/engine/store/sqlite.ts';
import { RetrievalIndex } from './src/engine/retrieval/retrievalIndex.ts';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
const dir = process.argv[2]!;
const db = openDatabase(join(dir, 'index.sqlite'));
const index = new RetrievalIndex(db);
const files: string[] = [];
function walk(d: string) { for (const n of readdirSync(d)) { const p = join(d, n); if (statSync(p).isDirectory()) walk(p); else if (files.length < 3000) files.push(p); } }
walk(join(dir, 'tree'));
let seed = 1; const rnd = () => { seed = (seed * 1103515245 + 12345) % 2147483648; return seed / 2147483648; };
const pick = <T,>(a: T[]) => a[Math.floor(rnd() * a.length)]!;
const words = ['handle', 'request', 'error', 'timeout', 'cache', 'the', 'when', 'update', 'socket', 'token'];
const rows: Array<[number, number, string]> = [];
const phases = { plan: 0, fts: 0, rest: 0 };
for (let i = 0; i < 80; i++) {
  const names = readFileSync(pick(files), 'utf8').match(/\b[a-z]+[A-Z][A-Za-z]+\b/g) ?? ['x'];
  const q = `how does ${pick(names)} ${pick(words)} the ${pick(words)} when ${pick(words)}?`;
  const c = process.cpuUsage(); const t = performance.now();
  const r = await index.search({ collections: ['bench'], query: q });
  const u = process.cpuUsage(c);
  rows.push([performance.now() - t, (u.user + u.system) / 1000, `${r.plan.terms.join(',')} | ${r.plan.dropped.filter((d) => d.reason !== 'stop_word').map((d) => d.term + ':' + d.reason).join(',')}`]);
}
rows.sort((a, b) => b[1] - a[1]);
for (const r of rows.slice(0, 6)) console.log(r[0].toFixed(1), 'wall', r[1].toFixed(1), 'cpu', r[2]);
const cpus = rows.map((r) => r[1]).sort((a, b) => a - b);
console.log('cpu p50', cpus[40]!.toFixed(1), 'p95', cpus[76]!.toFixed(1), 'chunks', (db.prepare('select count(*) n from retrieval_chunks').get() as {n:number}).n);
await index.close();
