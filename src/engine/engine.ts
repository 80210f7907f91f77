/**
 * The Assistants runtime as one object: the facade the server, the CLI and the extension use.
 * It opens the store (migrating and repairing it), builds the services and wires the hooks
 * between them. It never imports vscode: what it needs from outside arrives as options.
 */
import { AssistantService } from './assistants/assistantService.ts';
import { systemClock, type Clock } from './clock.ts';
import type { EngineContext } from './engineContext.ts';
import { RunEventHub } from './events/runEventHub.ts';
import { FileService } from './files/fileService.ts';
import { MessageService } from './messages/messageService.ts';
import type { BuiltinTool } from './ports/builtinTool.ts';
import type { ModelBackend } from './ports/modelBackend.ts';
import { repairInterruptedRuns, type RepairReport } from './runs/crashRepair.ts';
import { registerInstance, unregisterInstance } from './runs/runOwnership.ts';
import { RunService } from './runs/runService.ts';
import { EngineStore } from './store/engineStore.ts';
import { ThreadService } from './threads/threadService.ts';
import type { VectorIndex } from './ports/vectorIndex.ts';
import { ToolResourceLinks } from './vectorStores/toolResourceLinks.ts';
import { VectorStoreService } from './vectorStores/vectorStoreService.ts';

export interface EngineOptions {
  /** Database file path, or ':memory:' for a throwaway engine. */
  databasePath: string;
  /** The model API, or a function asked at each run (settings can change), or null when none is configured. */
  modelBackend: ModelBackend | (() => ModelBackend | null) | null;
  builtinTools?: BuiltinTool[];
  clock?: Clock;
  runExpirySeconds?: number;
  /** Context window of a model in tokens; used by `truncation_strategy: auto`. */
  contextWindowFor?: (model: string) => number;
  /** The retrieval index behind vector stores; without one, files store and searches find nothing. */
  vectorIndex?: VectorIndex | null;
  /** Where background failures (vector-store ingestion) are reported. */
  log?: (message: string) => void;
}

export const DEFAULT_CONTEXT_WINDOW = 128_000;

const IMAGE_TYPES: Record<string, string> = { png: 'image/png', jpg: 'image/jpeg', jpeg: 'image/jpeg', gif: 'image/gif', webp: 'image/webp' };

export class Engine {
  readonly store: EngineStore;
  readonly hub: RunEventHub;
  readonly assistants: AssistantService;
  readonly threads: ThreadService;
  readonly messages: MessageService;
  readonly runs: RunService;
  readonly files: FileService;
  readonly vectorStores: VectorStoreService;
  readonly toolResources: ToolResourceLinks;
  readonly repair: RepairReport;
  private readonly context: EngineContext;
  private readonly owner: string;
  private readonly builtinTools = new Map<string, BuiltinTool>();
  private closed = false;

  constructor(options: EngineOptions) {
    this.store = EngineStore.open(options.databasePath);
    this.hub = new RunEventHub();
    this.context = {
      store: this.store,
      clock: options.clock ?? systemClock,
      hub: this.hub,
      limits: { runExpirySeconds: options.runExpirySeconds ?? 600 },
    };
    this.owner = registerInstance();
    for (const tool of options.builtinTools ?? []) this.builtinTools.set(tool.type, tool);
    const backend = options.modelBackend;
    this.assistants = new AssistantService(this.context);
    this.messages = new MessageService(this.context);
    this.threads = new ThreadService(this.context, this.messages);
    this.files = new FileService(this.context);
    this.vectorStores = new VectorStoreService(this.context, { index: options.vectorIndex ?? null, ...(options.log ? { log: options.log } : {}) });
    this.toolResources = new ToolResourceLinks(this.context, this.vectorStores);
    this.wireToolResources();
    this.runs = new RunService(
      this.context,
      this.threads,
      this.messages,
      {
        context: this.context,
        modelBackend: typeof backend === 'function' ? backend : () => backend,
        builtinTools: this.builtinTools,
        contextWindowFor: options.contextWindowFor ?? (() => DEFAULT_CONTEXT_WINDOW),
        imageUrlFor: (fileId) => this.imageDataUrl(fileId),
      },
      this.owner,
    );
    this.threads.onBeforeDelete = (threadId) => this.runs.stopThread(threadId);
    this.repair = repairInterruptedRuns(this.context);
    for (const run of this.repair.adopted) this.runs.adopt(run);
  }

  private wireToolResources(): void {
    const links = this.toolResources;
    this.messages.setAttachmentSink(links);
    this.assistants.setToolResourceExpander((resources, owner) => links.expand(resources, owner));
    this.threads.setToolResourceExpander((resources, owner) => links.expand(resources, owner));
    this.files.onDelete((fileId) => {
      this.vectorStores.onFileDeleted(fileId);
      links.onFileDeleted(fileId);
    });
    // A run that can search "uses" its stores: their inactivity expiry starts again (v2 §6.4).
    this.hub.subscribeAll(({ event }) => {
      if (event.event !== 'thread.run.in_progress' || !event.data.tools.some((tool) => tool.type === 'file_search')) return;
      const assistant = this.store.assistants.get(event.data.assistant_id);
      const thread = this.store.threads.get(event.data.thread_id);
      this.vectorStores.touch(links.storesFor(assistant?.tool_resources, thread?.tool_resources));
    });
  }

  /**
   * Runs synchronous store writes (`messages.create` and the like) in one transaction with the
   * others queued in this turn of the event loop, and settles after that commit. The HTTP server's
   * plain writes come through here, so concurrent clients share commits (store/writeBatcher.ts).
   */
  inSharedCommit<T>(work: () => T): Promise<T> {
    return this.store.sharedTransaction(work);
  }

  /** Adds or replaces a built-in tool (the knowledge base and the interpreter register late, lazily). */
  registerBuiltinTool(tool: BuiltinTool): void {
    this.builtinTools.set(tool.type, tool);
  }

  private imageDataUrl(fileId: string): string | undefined {
    const file = this.store.files.get(fileId);
    const bytes = file ? this.store.fileContent(fileId) : undefined;
    if (!file || !bytes) return undefined;
    const type = IMAGE_TYPES[file.filename.split('.').pop()?.toLowerCase() ?? ''] ?? 'image/png';
    return `data:${type};base64,${Buffer.from(bytes).toString('base64')}`;
  }

  /** Ends this process's runs as cancelled (nothing is lost) and closes the database. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.runs.shutdown();
    await this.vectorStores.close();
    unregisterInstance(this.owner);
    await this.store.close();
  }
}
