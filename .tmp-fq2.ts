const sqlite = process.getBuiltinModule('node:sqlite') as typeof import('node:sqlite');
const d = new sqlite.DatabaseSync(process.argv[2] + '/index.sqlite');
const t = 'retrieval_fts_1';
const q = '"fetch" OR "handl" OR "retry" OR "socket" OR "timeout"';
const variants: Record<string, string> = {
  plain: `select rowid from ${t} where ${t} match ?`,
  rankDefault: `select rowid from ${t} where ${t} match ? order by rank limit 1000`,
  rankWeighted: `select rowid, rank from ${t} where ${t} match ? and rank match 'bm25(2.5, 1.0)' order by rank limit 1000`,
  bm25fn: `select rowid, bm25(${t}, 2.5, 1.0) s from ${t} where ${t} match ? order by s limit 1000`,
  bm25all: `select rowid, bm25(${t}, 2.5, 1.0) s from ${t} where ${t} match ?`,
};
for (const [name, sql] of Object.entries(variants)) {
  const stmt = d.prepare(sql);
  stmt.all(q);
  const c0 = process.cpuUsage();
  for (let i = 0; i < 10; i++) stmt.all(q);
  const cpu = process.cpuUsage(c0);
  console.log(name.padEnd(14), 'cpu', ((cpu.user + cpu.system) / 10000).toFixed(2), 'ms');
}
