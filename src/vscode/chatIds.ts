/**
 * The chat panel's names that package.json must repeat (view, commands, settings), declared once
 * here without `vscode` so a unit test can check package.json against them.
 */

export const CHAT_CONTAINER_ID = 'threadwork';
export const CHAT_VIEW_ID = 'threadwork.chat';

export const CHAT_COMMANDS = {
  newThread: 'threadwork.chat.newThread',
  showHistory: 'threadwork.chat.showHistory',
  setApiKey: 'threadwork.setApiKey',
} as const;

export type ChatCommandId = (typeof CHAT_COMMANDS)[keyof typeof CHAT_COMMANDS];

export const PROVIDER_SECTION = 'threadwork.provider';
export const PROVIDER_SETTINGS = ['kind', 'baseUrl', 'model'] as const;
