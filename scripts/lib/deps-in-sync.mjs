// Says whether node_modules already holds what package-lock.json asks for, so setup can skip
// `npm ci` (which deletes node_modules first) when nothing changed. Plain JS: it runs on whatever
// Node is on PATH before the project's own Node 24 is installed.
// Exit 0: in sync. Exit 1: install needed (reason on stdout). Exit 2: package.json and the lock disagree.
import { readFileSync, existsSync } from 'node:fs';

const readJson = (path) => JSON.parse(readFileSync(path, 'utf8'));
const pkg = readJson('package.json');
const lockPath = 'package-lock.json';
const hiddenPath = 'node_modules/.package-lock.json';

if (!existsSync(lockPath)) {
  console.log('no package-lock.json');
  process.exit(existsSync(hiddenPath) ? 0 : 1);
}
const lock = readJson(lockPath);
const root = lock.packages?.[''] ?? {};
for (const field of ['dependencies', 'devDependencies', 'optionalDependencies']) {
  const wanted = pkg[field] ?? {};
  const locked = root[field] ?? {};
  const names = new Set([...Object.keys(wanted), ...Object.keys(locked)]);
  for (const name of names) {
    if (wanted[name] !== locked[name]) {
      console.log(`package.json ${field}.${name}=${wanted[name]} but the lock has ${locked[name]}`);
      process.exit(2);
    }
  }
}
if (!existsSync(hiddenPath)) {
  console.log('node_modules is missing or was not installed by npm');
  process.exit(1);
}
const installed = readJson(hiddenPath).packages ?? {};
for (const [path, entry] of Object.entries(lock.packages ?? {})) {
  if (path === '') continue;
  const have = installed[path];
  // Optional packages for other platforms (esbuild's, for instance) are legitimately absent.
  if (!have && entry.optional) continue;
  if (!have || have.version !== entry.version) {
    console.log(`${path}: want ${entry.version}, have ${have?.version ?? 'nothing'}`);
    process.exit(1);
  }
}
if (!existsSync('node_modules/.bin/node')) {
  console.log('node_modules/.bin/node (the devDependency that supplies Node 24) is missing');
  process.exit(1);
}
process.exit(0);
