/**
 * "Select Assistant" and "Manage Assistants": choose which assistant answers editor actions and new
 * conversations, and create, rename, re-model, edit the instructions and tools of, or delete the
 * assistants kept in the engine (the same v2 assistants an Assistants API app would create).
 */
import * as vscode from 'vscode';
import type { Engine } from '../../engine/engine.ts';
import type { Assistant } from '../../engine/types/assistant.ts';
import type { ToolDefinition } from '../../engine/types/tools.ts';
import type { ChatMemory, ProviderPort } from '../chatPorts.ts';
import { ensureAssistants, isDefaultAssistant } from '../defaultAssistant.ts';
import { withWorkspaceTools, workspaceToolDefinitions, workspaceToolNames } from '../tools/workspaceToolDefinitions.ts';
import { instructionsUri } from './instructionsFileSystem.ts';

export interface AssistantCommandDependencies {
  engine(): Engine;
  memory: ChatMemory;
  provider: ProviderPort;
}

interface AssistantPick extends vscode.QuickPickItem {
  assistant?: Assistant;
  create?: true;
}

type ToolGroup = 'workspace' | 'file_search' | 'code_interpreter';

const TOOL_GROUPS: ReadonlyArray<{ group: ToolGroup; label: string; detail: string }> = [
  { group: 'workspace', label: 'Workspace tools', detail: 'read and search files, edit with your approval, run tests and commands' },
  { group: 'file_search', label: 'File search', detail: 'search the knowledge base (files added with "Add to Knowledge Base")' },
  { group: 'code_interpreter', label: 'Code interpreter', detail: 'run Python in a sandbox' },
];

export async function selectAssistant(deps: AssistantCommandDependencies, args?: { assistantId?: string }): Promise<string | undefined> {
  const engine = deps.engine();
  const assistants = ensureAssistants(engine, deps.provider.status().model);
  const selectedId = deps.memory.get('selectedAssistantId') ?? assistants[0]?.id;
  const chosen = args?.assistantId
    ? assistants.find((assistant) => assistant.id === args.assistantId)
    : (await vscode.window.showQuickPick(assistants.map((assistant) => describe(assistant, deps, selectedId)), { title: 'Which assistant answers?', placeHolder: 'Editor actions and new conversations use it' }))?.assistant;
  if (!chosen) return undefined;
  await deps.memory.set('selectedAssistantId', chosen.id);
  return chosen.id;
}

export async function manageAssistants(deps: AssistantCommandDependencies): Promise<void> {
  const engine = deps.engine();
  const assistants = ensureAssistants(engine, deps.provider.status().model);
  const selectedId = deps.memory.get('selectedAssistantId') ?? assistants[0]?.id;
  const picked = await vscode.window.showQuickPick<AssistantPick>([
    { label: '$(add) Create Assistant…', create: true },
    { label: 'Assistants', kind: vscode.QuickPickItemKind.Separator },
    ...assistants.map((assistant) => describe(assistant, deps, selectedId)),
  ], { title: 'Manage assistants' });
  if (!picked) return;
  if (picked.create) {
    await createAssistant(deps);
    return;
  }
  if (picked.assistant) await editAssistant(deps, picked.assistant);
}

async function createAssistant(deps: AssistantCommandDependencies): Promise<void> {
  const name = await vscode.window.showInputBox({ title: 'New assistant: name', prompt: 'e.g. Reviewer, SQL helper, Release notes', ignoreFocusOut: true, validateInput: (text) => (text.trim() ? undefined : 'Give it a name.') });
  if (!name) return;
  const model = await vscode.window.showInputBox({ title: `${name}: model`, value: deps.provider.status().model, prompt: 'The model its runs use', ignoreFocusOut: true });
  if (!model) return;
  const instructions = await vscode.window.showInputBox({ title: `${name}: instructions`, prompt: 'How it should behave (you can edit longer instructions in an editor afterwards)', ignoreFocusOut: true });
  if (instructions === undefined) return;
  const groups = await pickToolGroups(['workspace']);
  if (!groups) return;
  const assistant = deps.engine().assistants.create({ name: name.trim(), model: model.trim(), instructions, tools: toolsFor(groups, []) });
  await deps.memory.set('selectedAssistantId', assistant.id);
  void vscode.window.showInformationMessage(`Created "${assistant.name}"; it now answers editor actions and new conversations.`, 'Edit Instructions').then((choice) => {
    if (choice) void openInstructions(assistant);
  });
}

async function editAssistant(deps: AssistantCommandDependencies, assistant: Assistant): Promise<void> {
  const actions = [
    { label: '$(check) Use This Assistant', action: 'select' },
    { label: '$(edit) Edit Instructions', action: 'instructions' },
    { label: '$(tools) Choose Tools', action: 'tools' },
    { label: '$(symbol-text) Rename', action: 'rename' },
    { label: '$(server-environment) Change Model', action: 'model', description: isDefaultAssistant(assistant) ? 'the built-in assistant follows threadwork.provider.model' : assistant.model },
    { label: '$(trash) Delete', action: 'delete' },
  ] as const;
  const picked = await vscode.window.showQuickPick(actions, { title: assistant.name ?? assistant.id });
  if (!picked) return;
  const engine = deps.engine();
  const run: Record<(typeof actions)[number]['action'], () => Promise<void>> = {
    select: async () => {
      await deps.memory.set('selectedAssistantId', assistant.id);
    },
    instructions: () => openInstructions(assistant),
    tools: async () => {
      const groups = await pickToolGroups(currentGroups(assistant.tools));
      if (groups) engine.assistants.update(assistant.id, { tools: toolsFor(groups, assistant.tools) });
    },
    rename: async () => {
      const name = await vscode.window.showInputBox({ title: 'Rename assistant', value: assistant.name ?? '' });
      if (name?.trim()) engine.assistants.update(assistant.id, { name: name.trim() });
    },
    model: async () => {
      const model = await vscode.window.showInputBox({ title: `${assistant.name ?? 'Assistant'}: model`, value: assistant.model });
      if (model?.trim()) engine.assistants.update(assistant.id, { model: model.trim() });
    },
    delete: async () => {
      const sure = await vscode.window.showWarningMessage(`Delete the assistant "${assistant.name ?? assistant.id}"? Its conversations stay.`, { modal: true }, 'Delete');
      if (sure !== 'Delete') return;
      engine.assistants.delete(assistant.id);
      if (deps.memory.get('selectedAssistantId') === assistant.id) await deps.memory.set('selectedAssistantId', undefined);
    },
  };
  await run[picked.action]();
}

async function openInstructions(assistant: Assistant): Promise<void> {
  const document = await vscode.workspace.openTextDocument(instructionsUri(assistant.id, assistant.name ?? 'assistant'));
  await vscode.window.showTextDocument(document);
}

async function pickToolGroups(current: readonly ToolGroup[]): Promise<ToolGroup[] | undefined> {
  const picked = await vscode.window.showQuickPick(TOOL_GROUPS.map((entry) => ({ ...entry, picked: current.includes(entry.group) })), { title: 'Tools the assistant may use', canPickMany: true });
  return picked?.map((entry) => entry.group);
}

function currentGroups(tools: readonly ToolDefinition[]): ToolGroup[] {
  const names = new Set(workspaceToolNames());
  const groups: ToolGroup[] = [];
  if (tools.some((tool) => tool.type === 'function' && names.has(tool.function.name))) groups.push('workspace');
  if (tools.some((tool) => tool.type === 'file_search')) groups.push('file_search');
  if (tools.some((tool) => tool.type === 'code_interpreter')) groups.push('code_interpreter');
  return groups;
}

/** The chosen groups, keeping the user's own function tools as they are. */
function toolsFor(groups: readonly ToolGroup[], existing: readonly ToolDefinition[]): ToolDefinition[] {
  const own = withWorkspaceTools(existing, []).filter((tool) => tool.type === 'function');
  return [
    ...own,
    ...(groups.includes('workspace') ? workspaceToolDefinitions() : []),
    ...(groups.includes('file_search') ? [{ type: 'file_search' as const }] : []),
    ...(groups.includes('code_interpreter') ? [{ type: 'code_interpreter' as const }] : []),
  ];
}

function describe(assistant: Assistant, deps: AssistantCommandDependencies, selectedId: string | undefined): AssistantPick {
  const model = isDefaultAssistant(assistant) ? deps.provider.status().model || assistant.model : assistant.model;
  const groups = currentGroups(assistant.tools);
  return {
    label: `${assistant.id === selectedId ? '$(check) ' : ''}${assistant.name ?? assistant.id}`,
    description: model,
    detail: groups.length > 0 ? `Tools: ${groups.map((group) => TOOL_GROUPS.find((entry) => entry.group === group)?.label).join(', ')}` : 'No tools',
    assistant,
  };
}
