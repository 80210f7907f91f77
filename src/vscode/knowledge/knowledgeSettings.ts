/**
 * The knowledge base's settings as the code uses them: per-folder index rules (with VS Code's own
 * `files.exclude`), and the embeddings backend, built only when the user named an embeddings model.
 * It talks to the chat provider's endpoint with the same key; VS Code's own models have no
 * embeddings, so with those the index stays keyword-only.
 */
import * as vscode from 'vscode';
import type { EmbeddingsBackend } from '../../engine/ports/embeddings.ts';
import { OpenAIEmbeddingsBackend } from '../../providers/embeddingsBackend.ts';
import { enabledExcludeGlobs } from './indexFilter.ts';
import type { FolderIndexOptions } from './folderIndex.ts';
import { KNOWLEDGE_SECTION, KNOWLEDGE_SETTINGS, type KnowledgeSettingKey } from './knowledgeContributions.ts';

type SettingValue<K extends KnowledgeSettingKey> = (typeof KNOWLEDGE_SETTINGS)[K]['default'] extends boolean ? boolean
  : (typeof KNOWLEDGE_SETTINGS)[K]['default'] extends number ? number
  : (typeof KNOWLEDGE_SETTINGS)[K]['default'] extends string ? string : string[];

export function knowledgeSetting<K extends KnowledgeSettingKey>(key: K, scope?: vscode.ConfigurationScope): SettingValue<K> {
  const name = key.slice(KNOWLEDGE_SECTION.length + 1);
  return vscode.workspace.getConfiguration(KNOWLEDGE_SECTION, scope).get(name, KNOWLEDGE_SETTINGS[key].default as SettingValue<K>);
}

export function maxFileBytes(): number {
  return Math.max(1, knowledgeSetting('threadwork.knowledge.maxFileSizeKB')) * 1024;
}

export function folderIndexOptions(folder: vscode.WorkspaceFolder): FolderIndexOptions {
  const filesExclude = vscode.workspace.getConfiguration('files', folder.uri).get<Record<string, unknown>>('exclude');
  const own = knowledgeSetting('threadwork.knowledge.exclude', folder.uri).filter((glob): glob is string => typeof glob === 'string' && glob.trim() !== '');
  return { exclude: [...enabledExcludeGlobs(filesExclude), ...own], maxFileBytes: maxFileBytes() };
}

export interface EmbeddingsSource {
  kind: string;
  baseUrl: string;
  apiKey(): string | undefined;
}

/**
 * Vectors from the configured embeddings model, or undefined for keyword search only. The key is
 * read at each call, so setting it later takes effect without a reload.
 */
export function configuredEmbeddings(source: EmbeddingsSource): { backend: EmbeddingsBackend; space: string } | undefined {
  const model = knowledgeSetting('threadwork.knowledge.embeddingsModel').trim();
  if (model === '' || source.kind === 'vscode-lm' || !/^https?:\/\//i.test(source.baseUrl)) return undefined;
  const dimensions = knowledgeSetting('threadwork.knowledge.embeddingsDimensions');
  let cached: { key: string | undefined; backend: OpenAIEmbeddingsBackend } | undefined;
  const backend: EmbeddingsBackend = {
    dimensions,
    embed: (texts, signal) => {
      const apiKey = source.apiKey();
      if (!cached || cached.key !== apiKey) {
        cached = { key: apiKey, backend: new OpenAIEmbeddingsBackend({ baseURL: source.baseUrl, model, dimensions, ...(apiKey ? { apiKey } : {}) }) };
      }
      return cached.backend.embed(texts, signal);
    },
  };
  // Vectors of another model or length are never compared with these.
  return { backend, space: `${source.baseUrl}#${model}#${dimensions}` };
}
