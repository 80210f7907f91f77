import { openDatabase } from './src/engine/store/sqlite.ts';
import { RetrievalStore } from './src/engine/retrieval/indexStore.ts';
import { KeywordStatistics } from './src/engine/retrieval/termStatistics.ts';
import { planQuery } from './src/engine/retrieval/queryTerms.ts';
import { keywordSearch } from './src/engine/retrieval/keywordSearch.ts';
const db = openDatabase(process.argv[2] + '/index.sqlite');
const store = new RetrievalStore(db);
const stats = new KeywordStatistics(store);
const qs = ['how does addressZufuwequizu request the error when socket?', 'how does cache work', 'how does linkKareja update the token when timeout?', 'request'];
for (let rep = 0; rep < 2; rep++) for (const q of qs) {
  stats.invalidate();
  let c = process.cpuUsage();
  const st = stats.forCollection(1);
  const plan = planQuery(q, st);
  const tPlan = process.cpuUsage(c); c = process.cpuUsage();
  const hits = keywordSearch(store, 1, plan, st, { limit: 300 });
  const tFts = process.cpuUsage(c); c = process.cpuUsage();
  const rows = db.prepare(`SELECT c.id, c.file_id, f.key, f.path FROM retrieval_chunks c JOIN retrieval_files f ON f.id = c.file_id WHERE c.id IN (SELECT value FROM json_each(?))`).all(JSON.stringify(hits.map((h) => h.chunkId)));
  const tJoin = process.cpuUsage(c);
  const ms = (u: NodeJS.CpuUsage) => ((u.user + u.system) / 1000).toFixed(1);
  console.log(q.slice(0, 40).padEnd(40), 'plan', ms(tPlan), 'fts', ms(tFts), 'join', ms(tJoin), plan.terms.map((t) => t + ':' + st.documentFrequency(t)).join(' '), 'N', st.totalDocuments);
}
