/**
 * Every message between the chat panel and the extension host, declared once. "→ host" messages
 * are sent by the webview; "→ webview" by the host. Run progress is the engine's own v2 stream
 * events, numbered per run: a gap in `seq` means the panel missed something and asks for
 * `thread/snapshot` again.
 */
import type { ApprovalDecision, ApprovalRequest, AssistantSummary, AttachedFile, Attachment, ChatSnapshot, ImageData, Message, ProviderStatus, RunEventParams, RunSummary, ThreadSnapshot, ThreadSummary } from './chatModel.ts';
import { notification, request } from './descriptors.ts';

/** → host. The webview has loaded; the answer is everything it needs to draw itself. */
export const WebviewReady = request<{ threadId: string | null }, ChatSnapshot>('webview/ready');

/** → host. Redraw one thread from scratch (after a gap in a run's events, or on opening it). */
export const GetThreadSnapshot = request<{ threadId: string }, ThreadSnapshot>('thread/snapshot');

/** → host. Opens a thread: it becomes the one whose run events the panel receives. */
export const SelectThread = request<{ threadId: string | null }, ThreadSnapshot | null>('thread/select');

/** → host. Thread history, optionally filtered by a search string (title and message text). */
export const ListThreads = request<{ query: string }, ThreadSummary[]>('thread/list');

export const RenameThread = request<{ threadId: string; title: string }, ThreadSummary>('thread/rename');

export const DeleteThread = request<{ threadId: string }, { deleted: true }>('thread/delete');

/**
 * → host. Adds the user's message (to a new thread when `threadId` is null) and starts a run;
 * progress arrives as `run/event`. `attachments` are files `files/attach` uploaded.
 */
export const SendMessage = request<{ threadId: string | null; text: string; assistantId: string | null; attachments?: Attachment[] }, { thread: ThreadSummary; message: Message; runId: string }>('thread/sendMessage');

/** → host. Stops a run (the Stop button). */
export const CancelRun = request<{ threadId: string; runId: string }, { run: RunSummary }>('run/cancel');

/** → host. Runs the assistant again on the thread as it stands (the Retry button after an error). */
export const RetryRun = request<{ threadId: string; assistantId: string | null }, { runId: string }>('run/retry');

export const SelectAssistant = request<{ assistantId: string }, { assistantId: string }>('assistant/select');

/** → host. Inserts a code block at the cursor of the active editor. */
export const InsertCode = request<{ code: string; language: string | null }, { inserted: boolean; reason?: string }>('editor/insertCode');

/** → host. Opens an http(s) link from model output in the browser, after VS Code's own confirmation. */
export const OpenLink = request<{ href: string }, { opened: boolean }>('link/open');

/** → host. Runs a setup action from the "not configured" notice. */
export const ConfigureProvider = request<{ action: 'setApiKey' | 'openSettings' }, Record<string, never>>('provider/configure');

/** → host. The user's answer to an approval prompt. */
export const ApproveTool = request<{ approvalId: string; decision: ApprovalDecision; rememberOptionId?: string }, { accepted: boolean }>('tool/approve');

/** → host. Opens VS Code's diff editor on the change a waiting approval proposes ("View diff"). */
export const ViewApprovalDiff = request<{ approvalId: string }, { opened: boolean }>('tool/viewDiff');

/** → webview. One v2 stream event of a run on the open thread; `seq` increases by 1 per run. */
export const RunEvent = notification<RunEventParams>('run/event');

/** → webview. The thread history changed (a new thread, a rename, a delete). */
export const ThreadsChanged = notification<{ threads: ThreadSummary[] }>('threads/changed');

export const AssistantsChanged = notification<{ assistants: AssistantSummary[]; selectedAssistantId: string | null }>('assistants/changed');

/** → webview. Settings or the API key changed. */
export const ProviderChanged = notification<ProviderStatus>('provider/changed');

/** → webview. A tool call waits for the user; answered by `tool/approve`. */
export const ApprovalRequested = notification<ApprovalRequest>('tool/approvalRequested');

/** → webview. An approval was answered or withdrawn (the run ended), so its prompt goes away. */
export const ApprovalSettled = notification<{ approvalId: string; decision: ApprovalDecision | 'withdrawn' }>('tool/approvalSettled');

/** → webview. A view-title button was pressed: start a fresh conversation, or show the history. */
export const ViewAction = notification<{ action: 'newThread' | 'showHistory' }>('view/action');

/**
 * → webview. Show this thread, reloaded from its snapshot: an editor command (Explain Selection,
 * Import Threads, …) added a question to it and started a run, or created it.
 */
export const OpenThread = notification<{ threadId: string }>('thread/open');

/** → host. The paperclip: a file picker; chosen files are uploaded and come back ready to attach to the next message. */
export const AttachFiles = request<Record<string, never>, { files: AttachedFile[]; skipped: string[] }>('files/attach');

/** → host. An attachment removed before sending: its upload is deleted again. */
export const DiscardAttachment = request<{ fileId: string }, { deleted: boolean }>('files/discard');

/** → host. Names of stored files (attachment chips of messages sent earlier); unknown ids are left out. */
export const DescribeFiles = request<{ fileIds: string[] }, { files: Array<{ fileId: string; filename: string; bytes: number }> }>('files/describe');

/** → host. An image part's bytes (a chart the code interpreter drew), as a data: URI. */
export const GetImage = request<{ fileId: string }, ImageData>('files/image');

/** → host. A file the assistant generated: open it in VS Code, or save it where the user picks (Save As). */
export const OpenGeneratedFile = request<{ fileId: string; action: 'open' | 'save' }, { done: boolean }>('files/openGenerated');

/**
 * → host. A citation footnote was clicked: opens the cited file at the lines file_search returned
 * to the model. `marker` is the annotation's text (`【k:i†name】`), which names the run's k-th
 * search and its i-th result; `fileId` is the annotation's `file_citation.file_id`.
 */
export const OpenCitation = request<{ threadId: string; messageId: string; fileId: string; marker: string }, { opened: boolean; path?: string; startLine?: number; endLine?: number; reason?: string }>('citation/open');
