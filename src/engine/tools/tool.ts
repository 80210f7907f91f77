/**
 * The contract every workspace tool implements. A call is handled in two phases so that what the
 * user approves is exactly what happens: `prepare` validates, resolves paths and computes the
 * effect (an edit's new content, a command line) without side effects; the policy and the user
 * look at the prepared call; `execute` performs exactly that and nothing else.
 */
import type { EditorContext } from '../ports/editorContext.ts';
import type { WorkspaceFiles } from '../ports/workspace.ts';
import type { JsonSchema } from './argumentValidation.ts';
import type { PathResolver, ResolvedPath } from './paths.ts';
import type { ToolsConfig } from './toolsConfig.ts';

/** read: looks only; write: changes files; execute: runs a process that can do anything. */
export type ToolAccess = 'read' | 'write' | 'execute';

/** Everything a tool may use. Deliberately absent: the policy store and the approval prompt. */
export interface ToolContext {
  files: WorkspaceFiles;
  paths: PathResolver;
  config: ToolsConfig;
  /** Only in VS Code: symbols, diagnostics, selection, open editors. */
  editor?: EditorContext;
}

/** What the policy needs to know about a prepared call. */
export interface AccessFacts {
  access: ToolAccess;
  /** Paths the call reads (for secret-file checks). */
  reads: ResolvedPath[];
  /** Paths the call creates, changes or deletes; each is checkpointed before execution. */
  writes: ResolvedPath[];
  /** The shell command line for execute tools. */
  command?: string;
  /** Folder the command runs in. */
  cwd?: ResolvedPath;
}

/** What an approval prompt shows. */
export interface ToolPreview {
  /** One line: "Edit src/app.ts (+3 −1)". */
  title: string;
  /** Unified diff for write tools. */
  diff?: string;
  /** Command line for execute tools. */
  command?: string;
  /** A changed file's complete new text (absolute path), so an editor can show it side by side. */
  proposed?: { path: string; content: string };
}

export interface PreparedCall {
  facts: AccessFacts;
  preview: ToolPreview;
  /** Performs the prepared effect. Returns the text the model receives. */
  execute(signal: AbortSignal): Promise<string>;
}

export interface WorkspaceTool<Input = unknown> {
  /** Verb-first snake_case, the function name the model calls. */
  readonly name: string;
  /** Written for the model: what it does, when to use it, what it returns. */
  readonly description: string;
  readonly parameters: JsonSchema;
  readonly access: ToolAccess;
  /** Throws ToolError (written for the model) when the call cannot be carried out. */
  prepare(input: Input, context: ToolContext): Promise<PreparedCall>;
}

/** A failure the model should read and can act on; its message is the whole tool output. */
export class ToolError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ToolError';
  }

  static is(value: unknown): value is ToolError {
    return value instanceof ToolError;
  }
}

/** Read-only calls need no separate approval step: they prepare and execute as one. */
export function readCall(facts: Omit<AccessFacts, 'access' | 'writes'> & { writes?: ResolvedPath[] }, title: string, run: (signal: AbortSignal) => Promise<string>): PreparedCall {
  return { facts: { access: 'read', writes: [], ...facts }, preview: { title }, execute: run };
}
