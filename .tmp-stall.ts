import { createWorkspace, sourceAbout } from './test/unit/retrieval/workspaceFixture.ts';
const files: Record<string, string> = {};
for (let i = 0; i < 400; i++) files[`pkg${i % 7}/module${i}.ts`] = sourceAbout(`topic${i}q`, 40);
const fixture = await createWorkspace(files);
const t0 = performance.now();
let last = performance.now();
const timer = setInterval(() => { const now = performance.now(); if (now - last > 40) console.log('gap', (now - last).toFixed(0), 'at', (last - t0).toFixed(0)); last = now; }, 5);
const marks: string[] = [];
const r = await fixture.sync({ onProgress: (p) => { if (p.done % 50 === 0) console.log('progress', p.done, (performance.now() - t0).toFixed(0)); } });
console.log('synced', (performance.now() - t0).toFixed(0));
for (let i = 0; i < 5; i++) { const t = performance.now(); await fixture.index.search({ collections: ['ws'], query: 'how does topic3q step work?' }); console.log('search', (performance.now() - t).toFixed(1)); }
clearInterval(timer);
await fixture.close();
