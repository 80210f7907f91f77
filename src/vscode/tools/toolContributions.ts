/**
 * What the workspace tools add to package.json, declared once: the `threadwork.tools.*` settings
 * (key, JSON schema, the description users read in the Settings UI) and the commands.
 * scripts/contribute-tool-settings.ts writes them into `contributes`; toolSettings.ts and
 * toolCommands.ts use them; a unit test checks package.json agrees. No `vscode` import here, so the
 * script and the tests load it in plain Node.
 */
import { DEFAULT_TOOL_DECISIONS } from '../../engine/tools/policy/policyRules.ts';
import { DEFAULT_TOOLS_CONFIG } from '../../engine/tools/toolsConfig.ts';

export const TOOLS_SECTION = 'threadwork.tools';

export const TOOL_COMMANDS = {
  restoreCheckpoint: 'threadwork.tools.restoreCheckpoint',
  resetApprovals: 'threadwork.tools.resetApprovals',
} as const;

/** `contributes.commands` entries; the palette shows "Threadwork: <title>". */
export const TOOL_COMMAND_CONTRIBUTIONS: ReadonlyArray<{ command: string; title: string; category: string }> = [
  { command: TOOL_COMMANDS.restoreCheckpoint, title: 'Restore Checkpoint', category: 'Threadwork' },
  { command: TOOL_COMMANDS.resetApprovals, title: 'Reset Tool Approvals', category: 'Threadwork' },
];

/** Per-tool setting keys live under this prefix: `threadwork.tools.approval.apply_edit`. */
export const APPROVAL_PREFIX = `${TOOLS_SECTION}.approval.`;

export interface SettingDeclaration {
  type: 'boolean' | 'string' | 'integer';
  default: boolean | string | number;
  markdownDescription: string;
  enum?: string[];
  enumDescriptions?: string[];
  minimum?: number;
  maximum?: number;
  scope?: 'resource' | 'window' | 'machine-overridable';
  order?: number;
}

/** What each tool does, in the user's words (the model-facing descriptions are longer and say how). */
const TOOL_SUMMARIES: Readonly<Record<string, string>> = {
  read_file: 'reads a file of the workspace',
  list_files: 'lists files and folders of the workspace',
  search_text: 'searches the contents of workspace files (ripgrep)',
  find_symbols: "finds functions, classes and other symbols through the language servers",
  get_diagnostics: 'reads the problems the editor shows (compiler and linter errors)',
  get_selection: 'reads the text selected in the active editor',
  open_editors: 'lists the files open in the editor',
  apply_edit: 'changes part of an existing file (shown as a diff)',
  create_file: 'creates a new file, or replaces a file when asked to overwrite',
  delete_file: 'deletes one file',
  run_tests: "runs the workspace's test command",
  run_command: 'runs a shell command in the workspace',
};

const DECISION_DESCRIPTIONS = [
  'Run without asking.',
  'Show the call (diff or command) and wait for Allow or Deny.',
  'Never run; the assistant is told the tool is turned off.',
];

function approvalSetting(tool: string, order: number): SettingDeclaration {
  const fallback = DEFAULT_TOOL_DECISIONS[tool] ?? 'ask';
  return {
    type: 'string',
    enum: ['allow', 'ask', 'deny'],
    enumDescriptions: DECISION_DESCRIPTIONS,
    default: fallback,
    scope: 'resource',
    order,
    markdownDescription:
      `What happens when the assistant calls \`${tool}\`, which ${TOOL_SUMMARIES[tool] ?? 'is a workspace tool'}. ` +
      'A value set here overrides "Always allow" answers remembered in this workspace. Workspace and folder settings can only make a tool stricter: `allow` counts only in your user settings, so a repository cannot switch approvals off for itself. ' +
      'Whatever it says, writes to protected paths (`.vscode/`, `.git/`, `.env`, keys, CI and agent configuration) and commands with hidden parts (`$(…)`, backticks, pipes into a shell) always ask, and untrusted workspaces run only tools that read.',
  };
}

/** Every tool the extension offers, in the order the Settings UI lists them. */
export const TOOL_NAMES: readonly string[] = Object.keys(TOOL_SUMMARIES);

export const TOOL_SETTINGS: Readonly<Record<string, SettingDeclaration>> = {
  [`${TOOLS_SECTION}.enabled`]: {
    type: 'boolean',
    default: true,
    order: 0,
    markdownDescription: 'Give the built-in Threadwork assistant the workspace tools (read, search, edit with approval, run tests). Turn off to chat without tools; assistants you configured yourself keep their own tool list.',
  },
  [`${TOOLS_SECTION}.testCommand`]: {
    type: 'string',
    default: '',
    scope: 'resource',
    order: 1,
    markdownDescription: 'The command `run_tests` runs, e.g. `npm run test:unit` or `pytest -q`. Empty: detected from `package.json` `scripts.test`, `Cargo.toml`, `go.mod`, pytest configuration or a Makefile `test` target. `${filter}` is replaced by the test-name filter the assistant passes.',
  },
  [`${TOOLS_SECTION}.commandTimeoutSeconds`]: {
    type: 'integer',
    default: DEFAULT_TOOLS_CONFIG.commandTimeoutMs / 1000,
    minimum: 1,
    maximum: DEFAULT_TOOLS_CONFIG.maxCommandTimeoutMs / 1000,
    scope: 'resource',
    order: 2,
    markdownDescription: 'Seconds a `run_tests` or `run_command` call may take before it is stopped (the assistant may ask for less, never for more than 600).',
  },
  [`${TOOLS_SECTION}.maxToolCallsPerRun`]: {
    type: 'integer',
    default: 60,
    minimum: 1,
    maximum: 1000,
    order: 3,
    markdownDescription: 'Tool calls one answer may make before the run is stopped. Runs are also stopped when the same call keeps returning the same result, or when five calls in a row fail.',
  },
  [`${TOOLS_SECTION}.useRipgrep`]: {
    type: 'boolean',
    default: true,
    order: 4,
    markdownDescription: "Search with the ripgrep that ships with VS Code. Turn off to use the slower built-in search (for example when ripgrep is blocked by security software).",
  },
  ...Object.fromEntries(TOOL_NAMES.map((tool, index) => [`${APPROVAL_PREFIX}${tool}`, approvalSetting(tool, 10 + index)])),
};
