const sqlite = process.getBuiltinModule('node:sqlite') as typeof import('node:sqlite');
for (const dir of process.argv.slice(2)) {
  const d = new sqlite.DatabaseSync(dir + '/index.sqlite');
  const table = 'retrieval_fts_1';
  const stmt = d.prepare(`select rowid, rank from ${table} where ${table} match ? and rank match 'bm25(2.5, 1.0)' order by rank limit 1000`);
  const cnt = d.prepare(`select count(*) n from ${table} where ${table} match ?`);
  for (const q of ['"fetch" OR "handl" OR "retry" OR "socket" OR "timeout"', '"render" OR "request"']) {
    const c0 = process.cpuUsage(); const t0 = performance.now();
    for (let i = 0; i < 10; i++) stmt.all(q);
    const cpu = process.cpuUsage(c0); 
    console.log(dir.slice(-6), q.slice(0, 30), 'rows', cnt.get(q), 'wall', ((performance.now() - t0) / 10).toFixed(1), 'cpu', ((cpu.user + cpu.system) / 10000).toFixed(1), 'ms');
  }
}
