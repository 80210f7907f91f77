/**
 * What the knowledge base adds to package.json, declared once: its settings, the Knowledge view in
 * the Threadwork container, the view's commands and menus. scripts/contribute-knowledge.ts writes
 * them into `contributes`; the extension reads them; test/unit/knowledge/ checks package.json agrees.
 * No `vscode` import, so the script and the tests load it in plain Node.
 */

export const KNOWLEDGE_SECTION = 'threadwork.knowledge';
/** No dot in the id: `view == …` clauses then never look like one of our context keys. */
export const KNOWLEDGE_VIEW_ID = 'threadworkKnowledge';
export const KNOWLEDGE_CONTAINER_ID = 'threadwork';

export const KNOWLEDGE_COMMANDS = {
  newKnowledgeBase: 'threadwork.knowledge.newKnowledgeBase',
  refresh: 'threadwork.knowledge.refresh',
  reindex: 'threadwork.knowledge.reindex',
  reindexWorkspace: 'threadwork.knowledge.reindexWorkspace',
  stopIndexing: 'threadwork.knowledge.stopIndexing',
  remove: 'threadwork.knowledge.remove',
  attach: 'threadwork.knowledge.attach',
  detach: 'threadwork.knowledge.detach',
  openFile: 'threadwork.knowledge.openFile',
} as const;

export type KnowledgeCommandId = (typeof KNOWLEDGE_COMMANDS)[keyof typeof KNOWLEDGE_COMMANDS];

/** Tree items say what they are through `contextValue`; menus pick on these. */
export const TREE_ITEM_KINDS = {
  workspaceStore: 'workspaceStore',
  workspaceStoreIndexing: 'workspaceStoreIndexing',
  knowledgeBase: 'knowledgeBase',
  knowledgeBaseAttached: 'knowledgeBaseAttached',
  knowledgeFile: 'knowledgeFile',
  workspaceFile: 'workspaceFile',
} as const;

interface CommandContribution {
  command: KnowledgeCommandId;
  title: string;
  category: 'Threadwork';
  icon?: string;
}

export const KNOWLEDGE_COMMAND_CONTRIBUTIONS: readonly CommandContribution[] = [
  { command: KNOWLEDGE_COMMANDS.newKnowledgeBase, title: 'New Knowledge Base…', category: 'Threadwork', icon: '$(add)' },
  { command: KNOWLEDGE_COMMANDS.refresh, title: 'Refresh Knowledge Bases', category: 'Threadwork', icon: '$(refresh)' },
  { command: KNOWLEDGE_COMMANDS.reindex, title: 'Re-index', category: 'Threadwork', icon: '$(sync)' },
  { command: KNOWLEDGE_COMMANDS.reindexWorkspace, title: 'Re-index Workspace', category: 'Threadwork', icon: '$(sync)' },
  { command: KNOWLEDGE_COMMANDS.stopIndexing, title: 'Stop Indexing the Workspace', category: 'Threadwork', icon: '$(debug-stop)' },
  { command: KNOWLEDGE_COMMANDS.remove, title: 'Remove', category: 'Threadwork', icon: '$(trash)' },
  { command: KNOWLEDGE_COMMANDS.attach, title: 'Attach to the Assistant in Use', category: 'Threadwork', icon: '$(link)' },
  { command: KNOWLEDGE_COMMANDS.detach, title: 'Detach from the Assistant in Use', category: 'Threadwork', icon: '$(debug-disconnect)' },
  { command: KNOWLEDGE_COMMANDS.openFile, title: 'Open Source File', category: 'Threadwork', icon: '$(go-to-file)' },
];

const IN_VIEW = `view == ${KNOWLEDGE_VIEW_ID}`;
const item = (...kinds: string[]): string => `${IN_VIEW} && viewItem =~ /^(${kinds.join('|')})$/`;

export interface MenuEntry {
  command: KnowledgeCommandId;
  when: string;
  group: string;
}

export const KNOWLEDGE_MENUS: Readonly<Record<'view/title' | 'view/item/context' | 'commandPalette', readonly MenuEntry[]>> = {
  'view/title': [
    { command: KNOWLEDGE_COMMANDS.newKnowledgeBase, when: IN_VIEW, group: 'navigation@1' },
    { command: KNOWLEDGE_COMMANDS.refresh, when: IN_VIEW, group: 'navigation@2' },
  ],
  'view/item/context': [
    { command: KNOWLEDGE_COMMANDS.stopIndexing, when: item(TREE_ITEM_KINDS.workspaceStoreIndexing), group: 'inline@1' },
    { command: KNOWLEDGE_COMMANDS.reindex, when: item(TREE_ITEM_KINDS.workspaceStore, TREE_ITEM_KINDS.knowledgeBase, TREE_ITEM_KINDS.knowledgeBaseAttached, TREE_ITEM_KINDS.knowledgeFile), group: 'inline@2' },
    { command: KNOWLEDGE_COMMANDS.attach, when: item(TREE_ITEM_KINDS.knowledgeBase), group: 'inline@3' },
    { command: KNOWLEDGE_COMMANDS.detach, when: item(TREE_ITEM_KINDS.knowledgeBaseAttached), group: 'inline@3' },
    { command: KNOWLEDGE_COMMANDS.remove, when: item(TREE_ITEM_KINDS.knowledgeBase, TREE_ITEM_KINDS.knowledgeBaseAttached, TREE_ITEM_KINDS.knowledgeFile), group: 'inline@4' },
    { command: KNOWLEDGE_COMMANDS.openFile, when: item(TREE_ITEM_KINDS.knowledgeFile, TREE_ITEM_KINDS.workspaceFile), group: '1_open@1' },
  ],
  // Commands that act on a tree item make no sense from the palette.
  commandPalette: [
    { command: KNOWLEDGE_COMMANDS.reindex, when: 'false', group: '' },
    { command: KNOWLEDGE_COMMANDS.remove, when: 'false', group: '' },
    { command: KNOWLEDGE_COMMANDS.attach, when: 'false', group: '' },
    { command: KNOWLEDGE_COMMANDS.detach, when: 'false', group: '' },
    { command: KNOWLEDGE_COMMANDS.openFile, when: 'false', group: '' },
    { command: KNOWLEDGE_COMMANDS.reindexWorkspace, when: 'workbenchState != empty', group: '' },
    { command: KNOWLEDGE_COMMANDS.stopIndexing, when: 'workbenchState != empty', group: '' },
  ],
};

export const KNOWLEDGE_VIEW = {
  id: KNOWLEDGE_VIEW_ID,
  name: 'Knowledge',
  icon: 'media/threadwork.svg',
  contextualTitle: 'Threadwork',
} as const;

export const KNOWLEDGE_VIEW_WELCOME = {
  view: KNOWLEDGE_VIEW_ID,
  contents: 'Knowledge bases are files the assistant searches with file_search and cites.\n[New Knowledge Base](command:threadwork.knowledge.newKnowledgeBase)\nOr right-click files and folders in the Explorer: **Add to Knowledge Base**.',
} as const;

export interface KnowledgeSettingDeclaration {
  type: 'boolean' | 'string' | 'integer' | 'array';
  default: boolean | string | number | string[];
  markdownDescription: string;
  minimum?: number;
  maximum?: number;
  items?: { type: 'string' };
  scope?: 'resource' | 'window' | 'machine-overridable';
  order: number;
}

export const KNOWLEDGE_SETTINGS = {
  'threadwork.knowledge.indexWorkspace': {
    type: 'boolean',
    default: true,
    order: 0,
    scope: 'resource',
    markdownDescription: 'Index each workspace folder in the background (a vector store per folder, kept in step with your edits) so the built-in assistant can search it with `file_search` and cite the lines it used. Files that `.gitignore`, `#files.exclude#` or `#threadwork.knowledge.exclude#` leave out, binaries and files over `#threadwork.knowledge.maxFileSizeKB#` are not indexed.',
  },
  'threadwork.knowledge.exclude': {
    type: 'array',
    items: { type: 'string' },
    default: [],
    order: 1,
    scope: 'resource',
    markdownDescription: 'Glob patterns (relative to the workspace folder) of further files and folders to leave out of the workspace index, e.g. `docs/archive/**` or `*.snap`. Dependencies, lockfiles and minified bundles are always left out.',
  },
  'threadwork.knowledge.maxFileSizeKB': {
    type: 'integer',
    default: 2048,
    minimum: 1,
    maximum: 524288,
    order: 2,
    markdownDescription: 'Files larger than this many kilobytes are not indexed (workspace index and **Add to Knowledge Base** alike).',
  },
  'threadwork.knowledge.embeddingsModel': {
    type: 'string',
    default: '',
    order: 3,
    markdownDescription: 'An embeddings model served by the model provider\'s endpoint (`#threadwork.provider.baseUrl#`, with its API key), e.g. `text-embedding-3-small` or `nomic-embed-text`. Set it to add semantic search to keyword search. Empty: keyword search only (BM25 over code-aware terms), which needs no model. Takes effect after a window reload.',
  },
  'threadwork.knowledge.embeddingsDimensions': {
    type: 'integer',
    default: 256,
    minimum: 16,
    maximum: 8192,
    order: 4,
    markdownDescription: 'Length of the vectors asked of `#threadwork.knowledge.embeddingsModel#` (the hosted file_search used 256). Models that cannot shorten their vectors need their own length here, e.g. 768 for `nomic-embed-text`.',
  },
} as const satisfies Record<string, KnowledgeSettingDeclaration>;

export type KnowledgeSettingKey = keyof typeof KNOWLEDGE_SETTINGS;
