/** run_command: one shell command line in a workspace folder, output captured, with timeout and cancel. */
import type { JsonSchema } from './argumentValidation.ts';
import { describeOutcome } from './commandOutput.ts';
import { runShellCommand } from './processRunner.ts';
import type { WorkspaceTool } from './tool.ts';
import { ToolError } from './tool.ts';

export interface RunCommandInput {
  command: string;
  /** Directory relative to the workspace root; default the root. */
  cwd?: string;
  timeout_seconds?: number;
}

export const runCommandParameters: JsonSchema = {
  type: 'object',
  properties: {
    command: { type: 'string', minLength: 1, description: 'Shell command line (POSIX sh syntax on macOS/Linux, cmd on Windows). It runs without a terminal: no prompts, no interactive programs.' },
    cwd: { type: 'string', description: 'Directory to run in, relative to the workspace root. Default: the root.' },
    timeout_seconds: { type: 'integer', minimum: 1, maximum: 600, description: 'Kill the command after this many seconds (default 120).' },
  },
  required: ['command'],
  additionalProperties: false,
};

export const runCommandTool: WorkspaceTool<RunCommandInput> = {
  name: 'run_command',
  access: 'execute',
  description:
    'Run a shell command in the workspace and return its exit code and output (stdout and stderr together; long output keeps the beginning and the end). ' +
    'The user approves commands unless they allowed them before. Processes left running when the command ends are stopped. Use run_tests to run the test suite.',
  parameters: runCommandParameters,
  async prepare(input, context) {
    const cwd = await context.paths.resolve(input.cwd ?? '.', 'cwd');
    const stat = await context.files.stat(cwd.real);
    if (stat?.type !== 'directory') throw new ToolError(`The cwd ${cwd.display} is not a directory in the workspace. Use list_files to see which directories exist.`);
    const command = input.command.trim();
    const timeoutMs = Math.min((input.timeout_seconds ?? context.config.commandTimeoutMs / 1000) * 1000, context.config.maxCommandTimeoutMs);
    return {
      facts: { access: 'execute', reads: [], writes: [], command, cwd },
      preview: { title: `Run ${command}${cwd.display === '.' ? '' : ` in ${cwd.display}`}`, command },
      async execute(signal) {
        const outcome = await runShellCommand({
          command,
          cwd: cwd.real,
          timeoutMs,
          signal,
          headBytes: context.config.commandOutputHeadBytes,
          tailBytes: context.config.commandOutputTailBytes,
        });
        return describeOutcome(command, cwd.display, outcome, timeoutMs);
      },
    };
  },
};
