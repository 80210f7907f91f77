// The chat panel's entry point: connect to the host, then draw the panel from the store.
import './elements.ts';
import { ChatApp } from './chatApp.ts';
import { ChatStore } from './chatStore.ts';
import { connectToHost } from './hostClient.ts';

const root = document.getElementById('app') ?? document.body;
const client = connectToHost((problem, error) => console.warn(`[threadwork] ${problem}`, error ?? ''));
const store = new ChatStore(client);
new ChatApp(root, store);
void store.start().then(() => {
  document.body.dataset['threadwork'] = 'ready';
});
