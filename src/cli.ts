// The headless entry: `threadwork serve`, `threadwork index`, `threadwork search`. Same engine, same store.
import { runIndexCommand } from './cli/indexCommand.ts';
import { runSearchCommand } from './cli/searchCommand.ts';
import { runServeCommand } from './cli/serveCommand.ts';

type Command = (args: string[]) => Promise<number>;

/** One row per command: adding a command is adding a row. */
const COMMANDS: Record<string, { run: Command; summary: string }> = {
  serve: { run: runServeCommand, summary: 'serve the Assistants API v2 on 127.0.0.1' },
  index: { run: (args) => runIndexCommand(args), summary: "index a folder into the knowledge base (only changed files are read)" },
  search: { run: (args) => runSearchCommand(args), summary: 'search a folder\'s knowledge base' },
};

function usage(): string {
  const rows = Object.entries(COMMANDS).map(([name, command]) => `  ${name.padEnd(8)} ${command.summary}`);
  return `Usage: threadwork <command> [options]\n\nCommands:\n${rows.join('\n')}\n\nRun 'threadwork <command> --help' for its options.\n`;
}

const [name, ...args] = process.argv.slice(2);
const command = name === undefined ? undefined : Object.hasOwn(COMMANDS, name) ? COMMANDS[name] : undefined;
if (name === undefined || name === '--help' || name === '-h') {
  process.stdout.write(usage());
  process.exitCode = name === undefined ? 2 : 0;
} else if (!command) {
  process.stderr.write(`threadwork: unknown command '${name}'.\n\n${usage()}`);
  process.exitCode = 2;
} else {
  command.run(args).then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      process.stderr.write(`threadwork ${name}: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
      process.exitCode = 1;
    },
  );
}
