/**
 * The kinds of model API `threadwork.provider.kind` may name, with the words the Settings UI shows.
 * `vscode-lm` is VS Code's Language Model API: models other extensions offer (a Copilot
 * subscription, for instance), reached without a key or a base URL. No `vscode` import.
 */

export const VSCODE_LM_KIND = 'vscode-lm';

export const PROVIDER_KIND_CONTRIBUTION = {
  key: 'threadwork.provider.kind',
  enum: [
    { value: 'responses', description: 'The OpenAI Responses API (`POST /responses`).' },
    { value: 'chat-completions', description: 'Any OpenAI-compatible Chat Completions server (`POST /chat/completions`): Ollama, LM Studio, vLLM, llama.cpp, OpenRouter, Azure.' },
    { value: VSCODE_LM_KIND, description: 'VS Code\'s language models (`vscode.lm`): models another extension provides, such as a Copilot subscription. No key or base URL; `threadwork.provider.model` names the model id.' },
  ],
  markdownDescription: 'Which model API Threadwork talks to. Use `chat-completions` for local and OpenAI-compatible servers, `responses` for OpenAI, `vscode-lm` for models VS Code itself offers. **Threadwork: Select Model** sets this for you.',
} as const;
