import { createWorkspace, sourceAbout } from './test/unit/retrieval/workspaceFixture.ts';
import { startScriptedModelServer } from './test/support/modelServer/index.ts';
import { createEmbeddingsBackend } from './src/providers/embeddingsBackend.ts';
const server = await startScriptedModelServer();
const embeddings = await createEmbeddingsBackend({ baseURL: server.url, model: 'scripted-embedding-model', dimensions: 256, maxAttempts: 1 });
const files: Record<string, string> = {};
for (let i = 0; i < 150; i++) files[`pkg${i % 7}/module${i}.ts`] = sourceAbout(`topic${i}q`, 40);
const fixture = await createWorkspace(files, { database: 'memory', index: { embeddings } });
for (let i = 0; i < 4; i++) await fixture.index.upsert('warm', `f${i}.ts`, new TextEncoder().encode(sourceAbout(`warm${i}`)));
await fixture.index.search({ collections: ['warm'], query: 'warm step' });
const t0 = performance.now();
let last = performance.now();
const timer = setInterval(() => { const now = performance.now(); if (now - last > 40) console.log('gap', (now - last).toFixed(0), 'at', (last - t0).toFixed(0)); last = now; }, 5);
await fixture.sync({ limits: { maxTokens: 100, overlapTokens: 0 }, onProgress: (p) => { if (p.done % 25 === 0) console.log('progress', p.done, (performance.now() - t0).toFixed(0)); } });
console.log('synced', (performance.now() - t0).toFixed(0));
for (let i = 0; i < 5; i++) { const t = performance.now(); await fixture.index.search({ collections: ['ws'], query: 'how does topic3q step work?' }); console.log('search', (performance.now() - t).toFixed(1)); }
clearInterval(timer);
await fixture.close(); await server.close();
