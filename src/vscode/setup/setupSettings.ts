/**
 * The settings of setup, editor actions, usage and the local server, each declared once: key, JSON
 * schema, default and the description the Settings UI shows. scripts/contribute-commands.ts writes
 * them into package.json; setupConfiguration.ts reads them typed; a unit test checks package.json
 * agrees. No `vscode` import.
 */
import { DEFAULT_PRICES } from '../usage/runCost.ts';

export const SETUP_SECTION_ID = 'threadwork.setup';
export const SETUP_SECTION_TITLE = 'Setup, editor actions and usage';

export interface LocalServerEntry {
  name: string;
  baseUrl: string;
}

/** Where local model servers listen out of the box. */
export const DEFAULT_LOCAL_SERVERS: readonly LocalServerEntry[] = [
  { name: 'Ollama', baseUrl: 'http://127.0.0.1:11434/v1' },
  { name: 'LM Studio', baseUrl: 'http://127.0.0.1:1234/v1' },
  { name: 'llama.cpp', baseUrl: 'http://127.0.0.1:8080/v1' },
  { name: 'vLLM', baseUrl: 'http://127.0.0.1:8000/v1' },
];

export interface SetupSettingValues {
  'threadwork.provider.localServers': LocalServerEntry[];
  'threadwork.provider.contextWindows': Record<string, number>;
  'threadwork.usage.prices': Record<string, { input: number; output: number }>;
  'threadwork.editorActions.conversation': 'newThread' | 'currentThread';
  'threadwork.editorActions.maxFileCharacters': number;
  'threadwork.server.port': number;
  'threadwork.statusBar.enabled': boolean;
}

export type SetupSettingKey = keyof SetupSettingValues;

export interface SettingSchema<T> {
  type: 'boolean' | 'string' | 'integer' | 'array' | 'object';
  default: T;
  markdownDescription: string;
  order: number;
  enum?: string[];
  enumDescriptions?: string[];
  minimum?: number;
  maximum?: number;
  items?: Record<string, unknown>;
  additionalProperties?: Record<string, unknown> | boolean;
  scope?: 'application' | 'machine' | 'window' | 'resource';
}

export const SETUP_SETTINGS: { readonly [K in SetupSettingKey]: SettingSchema<SetupSettingValues[K]> } = {
  'threadwork.provider.localServers': {
    type: 'array',
    default: DEFAULT_LOCAL_SERVERS.map((entry) => ({ ...entry })),
    order: 10,
    scope: 'machine',
    items: {
      type: 'object',
      required: ['name', 'baseUrl'],
      properties: { name: { type: 'string' }, baseUrl: { type: 'string', pattern: '^https?://' } },
    },
    markdownDescription: 'Where **Threadwork: Select Model** looks for model servers on this machine. Each entry is a name and an OpenAI-compatible base URL ending in `/v1`; a server counts as found when `GET <baseUrl>/models` answers, and its models are offered for choice. The defaults are the usual ports of Ollama (11434), LM Studio (1234), llama.cpp (8080) and vLLM (8000); add an entry for a server elsewhere, e.g. a remote Ollama.',
  },
  'threadwork.provider.contextWindows': {
    type: 'object',
    default: {},
    order: 11,
    additionalProperties: { type: 'integer', minimum: 1024 },
    markdownDescription: 'Context window, in tokens, by model name, e.g. `{ "llama3.1:8b": 131072 }`. Threadwork reads windows from the server where it reports them (vLLM, llama.cpp, LM Studio) and knows OpenAI\'s models; set one here when neither is right. Long threads are shortened from the middle to fit.',
  },
  'threadwork.usage.prices': {
    type: 'object',
    default: Object.fromEntries(Object.entries(DEFAULT_PRICES).map(([model, price]) => [model, { ...price }])),
    order: 20,
    additionalProperties: {
      type: 'object',
      required: ['input', 'output'],
      properties: { input: { type: 'number', minimum: 0 }, output: { type: 'number', minimum: 0 } },
    },
    markdownDescription: 'Prices in US dollars per **million** tokens, by model name: `{ "gpt-4.1-mini": { "input": 0.4, "output": 1.6 } }`. A run\'s cost is the token counts its provider reported times these prices (dated model names such as `gpt-4.1-mini-2025-04-14` use their family\'s entry). Models without an entry show tokens only. Edit this to match your contract or add your provider\'s models.',
  },
  'threadwork.editorActions.conversation': {
    type: 'string',
    enum: ['newThread', 'currentThread'],
    enumDescriptions: [
      'Each editor action (Explain Selection, Fix This, …) starts its own conversation.',
      'Editor actions continue the conversation open in the chat panel (a new one when none is open).',
    ],
    default: 'newThread',
    order: 30,
    markdownDescription: 'Where **Explain Selection**, **Fix This**, **Write Tests for Selection**, **Refactor Selection** and **Ask About This File** put their question.',
  },
  'threadwork.editorActions.maxFileCharacters': {
    type: 'integer',
    default: 24000,
    minimum: 1000,
    maximum: 400000,
    order: 31,
    markdownDescription: 'The most characters of a file **Ask About This File** puts into the question. A longer file is cut at this length and the assistant is told so (it can still read the rest with its `read_file` tool).',
  },
  'threadwork.server.port': {
    type: 'integer',
    default: 8765,
    minimum: 0,
    maximum: 65535,
    order: 40,
    scope: 'machine',
    markdownDescription: 'Port of the local Assistants API server that **Threadwork: Start Local API Server** runs on `127.0.0.1` (`0` picks a free one). Clients use `http://127.0.0.1:<port>/v1` as the base URL and the token the command shows.',
  },
  'threadwork.statusBar.enabled': {
    type: 'boolean',
    default: true,
    order: 50,
    markdownDescription: 'Show Threadwork in the status bar: the assistant and model, the knowledge base, a running answer, and the size of what the next answer will send. Clicking it opens the chat panel.',
  },
};

/** The `contributes.configuration` section these settings form. */
export function setupConfigurationSection(): { id: string; title: string; properties: Record<string, Record<string, unknown>> } {
  return { id: SETUP_SECTION_ID, title: SETUP_SECTION_TITLE, properties: JSON.parse(JSON.stringify(SETUP_SETTINGS)) as Record<string, Record<string, unknown>> };
}
