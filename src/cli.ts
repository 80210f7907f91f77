// The headless entry: `threadwork serve`, `threadwork index`, `threadwork search`. Same engine, same store.
const [command] = process.argv.slice(2);
process.stderr.write(`threadwork: unknown command '${command ?? ''}'. Try: threadwork serve --help\n`);
process.exitCode = 2;
