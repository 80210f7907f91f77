/**
 * The editor actions and setup commands, declared once: id, title, icon, where each appears (command
 * palette, the editor's "Threadwork" submenu, the explorer) under which `when` clause, and its
 * keybindings. scripts/contribute-commands.ts writes this into package.json; registerCommands.ts
 * registers a handler for every id (its table is typed by CommandId, so a missing one does not
 * compile); test/unit/commands/ checks package.json agrees. No `vscode` import, so plain Node loads it.
 */

export const CATEGORY = 'Threadwork';

export const COMMANDS = {
  explainSelection: 'threadwork.explainSelection',
  fixThis: 'threadwork.fixThis',
  writeTests: 'threadwork.writeTests',
  refactorSelection: 'threadwork.refactorSelection',
  askAboutFile: 'threadwork.askAboutFile',
  openChat: 'threadwork.openChat',
  addToKnowledgeBase: 'threadwork.addToKnowledgeBase',
  selectModel: 'threadwork.selectModel',
  selectAssistant: 'threadwork.selectAssistant',
  manageAssistants: 'threadwork.manageAssistants',
  exportThread: 'threadwork.exportThread',
  importThreads: 'threadwork.importThreads',
  startServer: 'threadwork.startServer',
  stopServer: 'threadwork.stopServer',
  showLogs: 'threadwork.showLogs',
  getStarted: 'threadwork.getStarted',
} as const;

export type CommandId = (typeof COMMANDS)[keyof typeof COMMANDS];

/** Context keys this extension sets (everything else in a `when` clause is VS Code's own). */
export const CONTEXT_KEYS = {
  /** The local Assistants API server is listening. */
  serverRunning: 'threadwork.serverRunning',
  /** A model provider is set up completely (model chosen, key present where one is needed). */
  providerConfigured: 'threadwork.providerConfigured',
} as const;

export const EDITOR_SUBMENU = 'threadwork.editorContext';

export type MenuId = 'commandPalette' | 'editor/context' | 'explorer/context' | 'editor/title/context' | typeof EDITOR_SUBMENU;

export interface MenuPlacement {
  menu: Exclude<MenuId, 'commandPalette'>;
  when?: string;
  group: string;
}

export interface CommandDeclaration {
  title: string;
  icon?: string;
  /** When the command palette lists it; `false` keeps it out (it is reached from menus only). */
  palette: string | true | false;
  menus?: MenuPlacement[];
  keybindings?: Array<{ key: string; mac: string; when: string }>;
}

/** An editor whose text the assistant's answer could change (an unsaved file counts). */
const IN_TEXT_EDITOR = 'editorIsOpen && !activeEditorIsReadonly';
const A_FOLDER_IS_OPEN = 'workbenchState != empty';

export const COMMAND_TABLE: Readonly<Record<CommandId, CommandDeclaration>> = {
  [COMMANDS.explainSelection]: {
    title: 'Explain Selection',
    icon: '$(question)',
    palette: 'editorIsOpen',
    menus: [{ menu: EDITOR_SUBMENU, group: '1_ask@1' }],
    keybindings: [{ key: 'ctrl+alt+e', mac: 'cmd+alt+e', when: 'editorTextFocus && editorHasSelection' }],
  },
  [COMMANDS.fixThis]: {
    title: 'Fix This',
    icon: '$(wrench)',
    palette: IN_TEXT_EDITOR,
    menus: [{ menu: EDITOR_SUBMENU, when: '!activeEditorIsReadonly', group: '1_ask@2' }],
    keybindings: [{ key: 'ctrl+alt+f', mac: 'cmd+alt+f', when: 'editorTextFocus && !editorReadonly' }],
  },
  [COMMANDS.writeTests]: {
    title: 'Write Tests for Selection',
    icon: '$(beaker)',
    palette: IN_TEXT_EDITOR,
    menus: [{ menu: EDITOR_SUBMENU, when: '!activeEditorIsReadonly', group: '1_ask@3' }],
  },
  [COMMANDS.refactorSelection]: {
    title: 'Refactor Selection…',
    icon: '$(edit)',
    palette: IN_TEXT_EDITOR,
    menus: [{ menu: EDITOR_SUBMENU, when: 'editorHasSelection && !activeEditorIsReadonly', group: '1_ask@4' }],
  },
  [COMMANDS.askAboutFile]: {
    title: 'Ask About This File…',
    icon: '$(comment-discussion)',
    palette: 'editorIsOpen',
    menus: [
      { menu: EDITOR_SUBMENU, group: '2_file@1' },
      { menu: 'explorer/context', when: 'resourceScheme == file && !explorerResourceIsFolder', group: '7_threadwork@1' },
    ],
  },
  [COMMANDS.addToKnowledgeBase]: {
    title: 'Add to Knowledge Base',
    icon: '$(library)',
    palette: A_FOLDER_IS_OPEN,
    menus: [
      { menu: EDITOR_SUBMENU, when: 'resourceScheme == file', group: '2_file@2' },
      { menu: 'explorer/context', when: 'resourceScheme == file', group: '7_threadwork@2' },
      { menu: 'editor/title/context', when: 'resourceScheme == file', group: '7_threadwork@1' },
    ],
  },
  [COMMANDS.openChat]: {
    title: 'Open Chat',
    icon: '$(comment-discussion)',
    palette: true,
    keybindings: [{ key: 'ctrl+alt+w', mac: 'cmd+alt+w', when: '!terminalFocus' }],
  },
  [COMMANDS.selectModel]: { title: 'Select Model…', icon: '$(server-environment)', palette: true },
  [COMMANDS.selectAssistant]: { title: 'Select Assistant…', icon: '$(person)', palette: true },
  [COMMANDS.manageAssistants]: { title: 'Manage Assistants…', icon: '$(gear)', palette: true },
  [COMMANDS.exportThread]: { title: 'Export Thread…', icon: '$(export)', palette: true },
  [COMMANDS.importThreads]: { title: 'Import Threads…', icon: '$(cloud-download)', palette: true },
  [COMMANDS.startServer]: { title: 'Start Local API Server', icon: '$(radio-tower)', palette: `!${CONTEXT_KEYS.serverRunning}` },
  [COMMANDS.stopServer]: { title: 'Stop Local API Server', icon: '$(debug-stop)', palette: CONTEXT_KEYS.serverRunning },
  [COMMANDS.showLogs]: { title: 'Show Logs', icon: '$(output)', palette: true },
  [COMMANDS.getStarted]: { title: 'Get Started', icon: '$(rocket)', palette: true },
};

/** The editor context menu gets one "Threadwork" entry that opens this submenu. */
export const SUBMENU_CONTRIBUTION = { id: EDITOR_SUBMENU, label: 'Threadwork' } as const;
export const SUBMENU_PLACEMENT = { submenu: EDITOR_SUBMENU, group: '1_threadwork@1' } as const;

/** The walkthrough's id as VS Code knows it: `<publisher>.<name>#<walkthrough id>`. */
export const WALKTHROUGH_ID = 'gettingStarted';
export const EXTENSION_ID = 'threadwork.threadwork';

export interface CommandContribution {
  command: CommandId;
  title: string;
  category: string;
  icon?: string;
}

export function commandContributions(): CommandContribution[] {
  return Object.entries(COMMAND_TABLE).map(([command, declaration]) => ({
    command: command as CommandId,
    title: declaration.title,
    category: CATEGORY,
    ...(declaration.icon ? { icon: declaration.icon } : {}),
  }));
}

export interface MenuEntry {
  command?: string;
  submenu?: string;
  when?: string;
  group?: string;
}

/** Menu entries by menu id, the palette's included (only where it needs a `when`). */
export function menuContributions(): Record<MenuId, MenuEntry[]> {
  const menus: Record<MenuId, MenuEntry[]> = { commandPalette: [], 'editor/context': [{ ...SUBMENU_PLACEMENT }], 'explorer/context': [], 'editor/title/context': [], [EDITOR_SUBMENU]: [] };
  for (const [command, declaration] of Object.entries(COMMAND_TABLE)) {
    if (declaration.palette !== true) menus.commandPalette.push({ command, when: declaration.palette === false ? 'false' : declaration.palette });
    for (const placement of declaration.menus ?? []) {
      menus[placement.menu].push({ command, ...(placement.when ? { when: placement.when } : {}), group: placement.group });
    }
  }
  return menus;
}

export function keybindingContributions(): Array<{ command: CommandId; key: string; mac: string; when: string }> {
  return Object.entries(COMMAND_TABLE).flatMap(([command, declaration]) => (declaration.keybindings ?? []).map((binding) => ({ command: command as CommandId, ...binding })));
}
