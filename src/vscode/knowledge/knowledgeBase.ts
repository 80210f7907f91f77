/**
 * "Add to Knowledge Base": files and folders of the workspace go into one vector store per
 * workspace, which the assistant searches with file_search (the hosted API's tool, with citations).
 * The index lives in its own database beside the engine's and is opened with the engine, never
 * during activation. Adding a file again replaces its earlier copy.
 */
import { join } from 'node:path';
import * as vscode from 'vscode';
import { FileSearchTool } from '../../engine/builtinTools/fileSearchTool.ts';
import type { Engine } from '../../engine/engine.ts';
import { RetrievalIndex } from '../../engine/retrieval/retrievalIndex.ts';
import { openDatabase } from '../../engine/store/sqlite.ts';
import type { Assistant } from '../../engine/types/assistant.ts';
import { RetrievalVectorIndex } from '../../engine/vectorStores/retrievalVectorIndex.ts';
import type { ChatMemory, ProviderPort } from '../chatPorts.ts';
import { ensureAssistants } from '../defaultAssistant.ts';
import type { EngineAddOn } from '../engineHost.ts';

const STORE_KEY = 'threadwork.knowledge.vectorStoreId';
const MAX_FILES = 2000;
const MAX_FILE_BYTES = 4 * 1024 * 1024;
const EXCLUDE = '**/{node_modules,.git,dist,out,build,.venv,venv,__pycache__,.next,target,coverage}/**';
const BINARY = /\.(png|jpe?g|gif|webp|ico|bmp|pdf|zip|gz|tgz|7z|jar|class|exe|dll|so|dylib|wasm|woff2?|ttf|otf|mp[34]|mov|avi|sqlite|db|bin|lock)$/i;

/** The knowledge base's index, built with the engine: file_search then answers from it. */
export function knowledgeAddOn(storageDir: string): EngineAddOn {
  const db = openDatabase(join(storageDir, 'knowledge.sqlite'));
  const retrieval = new RetrievalIndex(db);
  const index = new RetrievalVectorIndex(retrieval);
  return {
    options: { vectorIndex: index },
    attach: (engine) => engine.registerBuiltinTool(new FileSearchTool({
      index,
      storesFor: (thread, assistant) => engine.vectorStores.storesForRun(thread, assistant),
      touch: (ids) => engine.vectorStores.touch(ids),
    })),
    close: async () => {
      await retrieval.close();
      if (db.isOpen) db.close();
    },
  };
}

export interface KnowledgeBaseDependencies {
  engine(): Engine;
  /** Only whether the engine is open yet: the status bar must not open it. */
  isEngineOpen(): boolean;
  workspaceState: vscode.Memento;
  memory: ChatMemory;
  provider: ProviderPort;
  log: vscode.LogOutputChannel;
}

export class KnowledgeBase {
  private readonly deps: KnowledgeBaseDependencies;

  constructor(deps: KnowledgeBaseDependencies) {
    this.deps = deps;
  }

  /** From the explorer: the clicked file and the selection; from the palette or editor: the active file. */
  async add(resource?: vscode.Uri, selected?: vscode.Uri[]): Promise<{ vectorStoreId: string; files: number } | undefined> {
    const roots = selected && selected.length > 0 ? selected : resource instanceof vscode.Uri ? [resource] : vscode.window.activeTextEditor ? [vscode.window.activeTextEditor.document.uri] : [];
    if (roots.length === 0) {
      void vscode.window.showInformationMessage('Right-click files or folders in the Explorer, or open a file, to add them to the knowledge base.');
      return undefined;
    }
    return vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: 'Adding to the knowledge base', cancellable: true }, async (progress, token) => {
      const files = await this.collect(roots, token);
      if (files.length === 0) {
        void vscode.window.showInformationMessage('No text files to add there.');
        return undefined;
      }
      const engine = this.deps.engine();
      const storeId = this.store(engine);
      const fileIds: string[] = [];
      for (const [index, uri] of files.entries()) {
        if (token.isCancellationRequested) break;
        progress.report({ message: `${index + 1} of ${files.length}: ${vscode.workspace.asRelativePath(uri, false)}`, increment: 100 / files.length });
        const bytes = await vscode.workspace.fs.readFile(uri);
        if (bytes.byteLength > MAX_FILE_BYTES) continue;
        const filename = vscode.workspace.asRelativePath(uri, false);
        this.removeEarlierCopy(engine, storeId, filename);
        fileIds.push(engine.files.create({ filename, purpose: 'assistants', bytes }).id);
      }
      if (fileIds.length > 0) engine.vectorStores.createBatch(storeId, { file_ids: fileIds });
      this.attachToAssistant(engine, storeId);
      this.deps.log.info(`Knowledge base ${storeId}: added ${fileIds.length} file(s).`);
      void vscode.window.showInformationMessage(`Added ${fileIds.length} file${fileIds.length === 1 ? '' : 's'} to the knowledge base; the assistant searches them with file_search.`);
      return { vectorStoreId: storeId, files: fileIds.length };
    });
  }

  /** "12 files (3 being indexed)", or undefined when there is none; never opens the engine. */
  describe(): string | undefined {
    const storeId = this.deps.workspaceState.get<string>(STORE_KEY);
    if (!storeId || !this.deps.isEngineOpen()) return storeId ? 'this workspace has one (opens with the chat)' : undefined;
    const store = this.deps.engine().store.vectorStores.get(storeId);
    if (!store) return undefined;
    const counts = store.file_counts;
    return `${counts.completed} file${counts.completed === 1 ? '' : 's'} indexed${counts.in_progress > 0 ? `, ${counts.in_progress} being indexed` : ''}${counts.failed > 0 ? `, ${counts.failed} failed` : ''}`;
  }

  private store(engine: Engine): string {
    const known = this.deps.workspaceState.get<string>(STORE_KEY);
    if (known && engine.store.vectorStores.get(known)) return known;
    const folder = vscode.workspace.workspaceFolders?.[0]?.name ?? 'workspace';
    const store = engine.vectorStores.create({ name: `Knowledge base: ${folder}`, metadata: { threadwork_workspace: folder } });
    void this.deps.workspaceState.update(STORE_KEY, store.id);
    return store.id;
  }

  private removeEarlierCopy(engine: Engine, storeId: string, filename: string): void {
    for (const file of engine.vectorStores.listFiles(storeId, { limit: 100 }).data) {
      if (engine.store.files.get(file.id)?.filename === filename) engine.files.delete(file.id);
    }
  }

  /** The assistant that answers now searches the store. */
  private attachToAssistant(engine: Engine, storeId: string): void {
    const chosen = this.deps.memory.get('selectedAssistantId');
    const assistant: Assistant | undefined = (chosen ? engine.store.assistants.get(chosen) : undefined) ?? ensureAssistants(engine, this.deps.provider.status().model)[0];
    if (!assistant) return;
    const ids = assistant.tool_resources?.file_search?.vector_store_ids ?? [];
    const tools = assistant.tools.some((tool) => tool.type === 'file_search') ? assistant.tools : [...assistant.tools, { type: 'file_search' as const }];
    engine.assistants.update(assistant.id, {
      tools,
      tool_resources: { ...(assistant.tool_resources ?? {}), file_search: { vector_store_ids: ids.includes(storeId) ? ids : [...ids, storeId].slice(-1) } },
    });
  }

  private async collect(roots: readonly vscode.Uri[], token: vscode.CancellationToken): Promise<vscode.Uri[]> {
    const files: vscode.Uri[] = [];
    for (const root of roots) {
      const stat = await vscode.workspace.fs.stat(root);
      if (stat.type & vscode.FileType.Directory) {
        files.push(...(await vscode.workspace.findFiles(new vscode.RelativePattern(root, '**/*'), EXCLUDE, MAX_FILES, token)));
      } else {
        files.push(root);
      }
    }
    return files.filter((uri) => !BINARY.test(uri.path)).slice(0, MAX_FILES);
  }
}
