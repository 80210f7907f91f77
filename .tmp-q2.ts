import { openDatabase } from './src/engine/store/sqlite.ts';
import { termStatistics, matchExpression } from './src/engine/retrieval/keywordSearch.ts';
import { planQuery } from './src/engine/retrieval/queryTerms.ts';
import { RetrievalStore } from './src/engine/retrieval/indexStore.ts';
const db = openDatabase(process.argv[2]!);
const store = new RetrievalStore(db);
const qs = ['how does kalomi fetch the retry when socket timeout?', 'how does loadPathRender handle the request when zebami run?'];
for (const q of qs) {
  let c = process.cpuUsage(); let t = performance.now();
  const st = termStatistics(store, 1);
  const plan = planQuery(q, st);
  console.log('plan', (performance.now() - t).toFixed(1), plan.terms.map((x) => x + ':' + st.documentFrequency(x)).join(' '), 'selective', plan.selective, 'N', st.totalDocuments);
  const expr = matchExpression(plan);
  for (const [name, sql] of [
    ['count', `select count(*) from retrieval_fts_1 where retrieval_fts_1 match ?`],
    ['rank', `select rowid, rank from retrieval_fts_1 where retrieval_fts_1 match ? and rank match 'bm25(2.5, 1.0)' order by rank limit 1000`],
  ] as const) {
    c = process.cpuUsage(); t = performance.now();
    const r = db.prepare(sql).all(expr);
    const cpu = process.cpuUsage(c);
    console.log(name, JSON.stringify(r[0]), 'wall', (performance.now() - t).toFixed(1), 'cpu', ((cpu.user + cpu.system) / 1000).toFixed(1));
  }
  t = performance.now();
  db.prepare(`select rowid from retrieval_fts_1 where retrieval_fts_1 match ?`).all('"zzeveryrowzz"');
  console.log('everyrow scan', (performance.now() - t).toFixed(1));
}
