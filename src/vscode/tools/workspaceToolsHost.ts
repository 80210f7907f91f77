/**
 * The workspace tools in the extension, wired: the VS Code adapters behind the engine's ports
 * (files, editor context, policy store, approval prompt), the executor built per round from the
 * current settings, checkpoints in the engine's database, and the runner that answers
 * `requires_action`. The composition root creates one and hands the chat panel `runTools` and
 * `viewDiff`.
 */
import * as vscode from 'vscode';
import type { Engine } from '../../engine/engine.ts';
import { CheckpointStore } from '../../engine/tools/checkpoints.ts';
import { PathResolver } from '../../engine/tools/paths.ts';
import { ToolPolicy } from '../../engine/tools/policy/toolPolicy.ts';
import { ToolExecutor } from '../../engine/tools/toolExecutor.ts';
import { toolsConfig } from '../../engine/tools/toolsConfig.ts';
import type { ToolDefinition } from '../../engine/types/tools.ts';
import type { ApprovalBroker } from '../approvalBroker.ts';
import { EditorWorkspaceFiles } from './editorWorkspaceFiles.ts';
import { PanelApprovalPrompt, ProposalRegistry } from './panelApprovalPrompt.ts';
import { ProposedDiffView } from './proposedDiffView.ts';
import { vscodeRipgrepPath } from './ripgrepLocation.ts';
import { ToolCallRunner } from './toolCallRunner.ts';
import { readToolSettings } from './toolSettings.ts';
import { VscodeEditorContext } from './vscodeEditorContext.ts';
import { WorkspacePolicyStore } from './workspacePolicyStore.ts';
import { extensionToolRegistry, workspaceToolDefinitions } from './workspaceToolDefinitions.ts';

export class WorkspaceToolsHost implements vscode.Disposable {
  readonly files: EditorWorkspaceFiles;
  readonly paths: PathResolver;
  readonly policyStore: WorkspacePolicyStore;
  readonly #approvals: ApprovalBroker;
  readonly #log: vscode.LogOutputChannel;
  readonly #editor = new VscodeEditorContext();
  readonly #policy: ToolPolicy;
  readonly #proposals = new ProposalRegistry();
  readonly #diffView: ProposedDiffView;
  readonly #runner: ToolCallRunner;
  readonly #ripgrep: string | undefined;
  #attached: { engine: Engine; checkpoints: CheckpointStore; detach: () => void } | undefined;

  constructor(context: vscode.ExtensionContext, approvals: ApprovalBroker, log: vscode.LogOutputChannel) {
    this.#approvals = approvals;
    this.#log = log;
    this.files = new EditorWorkspaceFiles((message) => log.info(message));
    this.paths = new PathResolver(this.files);
    this.policyStore = new WorkspacePolicyStore(context.workspaceState, () => readToolSettings().explicitDecisions);
    this.#policy = new ToolPolicy(this.policyStore, { isTrusted: () => vscode.workspace.isTrusted });
    this.#diffView = new ProposedDiffView(this.#proposals);
    this.#ripgrep = vscodeRipgrepPath(vscode.env.appRoot);
    log.info(this.#ripgrep ? `search_text uses VS Code's ripgrep at ${this.#ripgrep}.` : 'VS Code ships no ripgrep here; search_text uses @vscode/ripgrep or its built-in search.');
    this.#runner = new ToolCallRunner({
      executorFor: (run) => this.#executorFor(run.thread_id),
      governorLimits: () => ({ maxToolCalls: readToolSettings().maxToolCallsPerRun }),
      log: { info: (message) => log.info(message), warn: (message) => log.warn(message) },
      onRunEnded: (runId) => approvals.withdrawRun(runId),
    });
  }

  /** Serves this engine's runs; call with the engine each time it is handed out (idempotent). */
  attach(engine: Engine): Engine {
    if (this.#attached?.engine === engine) return engine;
    this.#attached?.detach();
    const checkpoints = new CheckpointStore(engine.store.db, this.files, this.paths);
    this.#attached = { engine, checkpoints, detach: () => undefined };
    this.#attached.detach = this.#runner.attach(engine);
    this.#log.info(this.#describe());
    return engine;
  }

  /** The checkpoints of the attached engine (undefined before the engine is first used). */
  get checkpoints(): CheckpointStore | undefined {
    return this.#attached?.checkpoints;
  }

  /**
   * The tools a run of the built-in assistant gets now: none when turned off, only the read tools
   * in an untrusted workspace, all of them otherwise.
   */
  runTools(): ToolDefinition[] {
    if (!readToolSettings().enabled) return [];
    return workspaceToolDefinitions({ readOnly: !vscode.workspace.isTrusted });
  }

  /** Opens the side-by-side diff of a waiting approval; false when it has no file content. */
  viewDiff(approvalId: string): Promise<boolean> {
    return this.#diffView.show(approvalId);
  }

  dispose(): void {
    this.#attached?.detach();
    this.#attached = undefined;
    this.#diffView.dispose();
    this.files.dispose();
  }

  #executorFor(threadId: string): ToolExecutor {
    const settings = readToolSettings();
    return new ToolExecutor({
      registry: extensionToolRegistry(),
      context: {
        files: this.files,
        paths: this.paths,
        editor: this.#editor,
        config: toolsConfig({ ...settings.config, ...(this.#ripgrep ? { ripgrepPath: this.#ripgrep } : {}) }),
      },
      policy: this.#policy,
      approvals: new PanelApprovalPrompt(this.#approvals, threadId, this.#proposals),
      ...(this.#attached ? { checkpoints: this.#attached.checkpoints } : {}),
    });
  }

  #describe(): string {
    return `workspace tools: ${extensionToolRegistry().names().length} tools, folders ${this.files.folders().map((folder) => folder.path).join(', ') || '(none)'}, trusted ${vscode.workspace.isTrusted}`;
  }
}
