/**
 * A ModelBackend over VS Code's Language Model API (`vscode.lm`): runs use a model another
 * extension provides (a Copilot subscription, for instance), with no key and no base URL.
 * `threadwork.provider.model` holds the model's id (or its family). The API reports no token
 * usage, so runs on it show tokens as "not reported" rather than a guess.
 */
import * as vscode from 'vscode';
import type { ModelBackend, ModelEvent, ModelRequest } from '../../engine/ports/modelBackend.ts';
import { ModelError } from '../../engine/ports/modelBackend.ts';
import { mapRequest, mapResponseStream, type LanguageModelPartFactory } from './languageModelMapping.ts';

const factory: LanguageModelPartFactory<vscode.LanguageModelChatMessage> = {
  user: (parts) => vscode.LanguageModelChatMessage.User(parts.map((part) => ('text' in part
    ? new vscode.LanguageModelTextPart(part.text)
    : new vscode.LanguageModelToolResultPart(part.toolResult.callId, [new vscode.LanguageModelTextPart(part.toolResult.text)])))),
  assistant: (parts) => vscode.LanguageModelChatMessage.Assistant(parts.map((part) => ('text' in part
    ? new vscode.LanguageModelTextPart(part.text)
    : new vscode.LanguageModelToolCallPart(part.toolCall.callId, part.toolCall.name, part.toolCall.input)))),
};

/** The models VS Code offers right now, by id. */
export async function availableLanguageModels(): Promise<vscode.LanguageModelChat[]> {
  try {
    return await vscode.lm.selectChatModels();
  } catch {
    return [];
  }
}

export class LanguageModelBackend implements ModelBackend {
  private readonly modelId: string;

  constructor(modelId: string) {
    this.modelId = modelId;
  }

  async *stream(request: ModelRequest, signal: AbortSignal): AsyncIterable<ModelEvent> {
    const model = await this.model();
    const mapped = mapRequest(request, factory);
    const cancellation = new vscode.CancellationTokenSource();
    const onAbort = (): void => cancellation.cancel();
    signal.addEventListener('abort', onAbort, { once: true });
    try {
      const response = await model.sendRequest(mapped.messages, {
        justification: 'Threadwork answers your question in its chat panel with this model.',
        ...(mapped.tools.length > 0 ? { tools: mapped.tools, toolMode: mapped.toolMode === 'required' ? vscode.LanguageModelChatToolMode.Required : vscode.LanguageModelChatToolMode.Auto } : {}),
      }, cancellation.token);
      yield* mapResponseStream(response.stream);
    } catch (error) {
      if (signal.aborted) {
        const aborted = new Error('The model request was cancelled.', { cause: error });
        aborted.name = 'AbortError';
        throw aborted;
      }
      throw toModelError(error, this.modelId);
    } finally {
      signal.removeEventListener('abort', onAbort);
      cancellation.dispose();
    }
  }

  private async model(): Promise<vscode.LanguageModelChat> {
    const byId = await vscode.lm.selectChatModels({ id: this.modelId });
    const model = byId[0] ?? (await vscode.lm.selectChatModels({ family: this.modelId }))[0];
    if (!model) throw new ModelError('server_error', `VS Code offers no language model "${this.modelId}" right now. Run "Threadwork: Select Model" to pick one that is installed.`);
    return model;
  }
}

function toModelError(error: unknown, modelId: string): ModelError {
  if (error instanceof ModelError) return error;
  const message = error instanceof Error ? error.message : String(error);
  if (error instanceof vscode.LanguageModelError) {
    if (error.code === vscode.LanguageModelError.Blocked.name) return new ModelError('rate_limit_exceeded', `VS Code's language model "${modelId}" is blocked for now (quota or rate limit): ${message}`);
    if (error.code === vscode.LanguageModelError.NoPermissions.name) return new ModelError('server_error', `Threadwork may not use the language model "${modelId}": ${message} Allow it when VS Code asks, or pick another model with "Threadwork: Select Model".`);
    if (error.code === vscode.LanguageModelError.NotFound.name) return new ModelError('server_error', `The language model "${modelId}" is gone: ${message} Pick another with "Threadwork: Select Model".`);
  }
  return new ModelError('server_error', `VS Code's language model "${modelId}" failed: ${message}`);
}
