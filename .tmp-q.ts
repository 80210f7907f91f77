import { openDatabase } from './src/engine/store/sqlite.ts';
import { RetrievalIndex } from './src/engine/retrieval/retrievalIndex.ts';
const db = openDatabase(process.argv[2]!);
const index = new RetrievalIndex(db);
const qs = ['how does fetch handle the retry when socket timeout?', 'kalomi render bazo request', 'Issue: ' + 'error in queue worker while parsing the header of the request and the token expired '.repeat(8)];
for (const q of qs) {
  for (let i = 0; i < 3; i++) {
    let t = performance.now();
    const r = await index.search({ collections: ['bench'], query: q });
    console.log((performance.now() - t).toFixed(1), 'ms', r.plan.terms.length, r.plan.dropped.map((d) => d.reason).join(','));
  }
}
await index.close();
