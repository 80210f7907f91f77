/** run_tests: runs the workspace's own test command (detected or configured) and reports the result. */
import path from 'node:path';
import type { JsonSchema } from './argumentValidation.ts';
import { describeOutcome } from './commandOutput.ts';
import { runShellCommand } from './processRunner.ts';
import { detectTestCommand } from './testCommandDetection.ts';
import type { WorkspaceTool } from './tool.ts';
import { ToolError } from './tool.ts';

export interface RunTestsInput {
  /** Package or directory whose tests to run, relative to the workspace root. */
  path?: string;
  /** Test name filter passed to the runner (npm test -- X, pytest -k X, go test -run X, cargo test X). */
  filter?: string;
  timeout_seconds?: number;
}

export const runTestsParameters: JsonSchema = {
  type: 'object',
  properties: {
    path: { type: 'string', description: 'Directory or package whose tests to run, relative to the workspace root. Default: the root.' },
    filter: { type: 'string', description: 'Only tests whose name matches (passed to the test runner: pytest -k, go test -run, cargo test NAME, npm test -- NAME).' },
    timeout_seconds: { type: 'integer', minimum: 1, maximum: 600, description: 'Kill the test run after this many seconds (default 120).' },
  },
  additionalProperties: false,
};

export const runTestsTool: WorkspaceTool<RunTestsInput> = {
  name: 'run_tests',
  access: 'execute',
  description:
    "Run the workspace's tests with its own test command (package.json scripts.test, pytest, go test, cargo test, make test, or the one the user configured) and return whether they passed and the output (beginning and end kept).",
  parameters: runTestsParameters,
  async prepare(input, context) {
    const target = await context.paths.resolve(input.path ?? '.');
    const stat = await context.files.stat(target.real);
    if (!stat) throw new ToolError(`Path not found: ${target.display}. Use list_files to see which directories exist.`);
    const start = stat.type === 'directory' ? target.real : path.dirname(target.real);
    const detected = await detectTestCommand(context.files, target.folder.path, start, { configured: context.config.testCommand, filter: input.filter });
    if (!detected) {
      throw new ToolError(`No test command found for ${target.display}: there is no package.json "test" script, Cargo.toml, go.mod, pytest configuration or Makefile "test" target. Use run_command with the right command, or ask the user to configure one.`);
    }
    const cwd = await context.paths.resolve(detected.cwd, 'path');
    const timeoutMs = Math.min((input.timeout_seconds ?? context.config.commandTimeoutMs / 1000) * 1000, context.config.maxCommandTimeoutMs);
    return {
      facts: { access: 'execute', reads: [], writes: [], command: detected.command, cwd },
      preview: { title: `Run tests: ${detected.command}${cwd.display === '.' ? '' : ` in ${cwd.display}`}`, command: detected.command },
      async execute(signal) {
        const outcome = await runShellCommand({
          command: detected.command,
          cwd: cwd.real,
          timeoutMs,
          signal,
          headBytes: context.config.commandOutputHeadBytes,
          tailBytes: context.config.commandOutputTailBytes,
        });
        const verdict = outcome.cancelled || outcome.timedOut ? 'Tests did not finish.' : outcome.exitCode === 0 ? 'Tests passed.' : `Tests failed (exit code ${outcome.exitCode ?? outcome.exitSignal}).`;
        return `${verdict} Test command from ${detected.source}.\n${describeOutcome(detected.command, cwd.display, outcome, timeoutMs)}`;
      },
    };
  },
};
