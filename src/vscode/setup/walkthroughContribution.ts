/**
 * The "Get started with Threadwork" walkthrough: from install to a first answer, then the editor
 * actions, the user's saved threads and the local API server. Each step's button runs one of our
 * commands and is ticked off by it. scripts/contribute-commands.ts writes this into package.json;
 * the step texts shown beside the steps are media/walkthrough/*.md. No `vscode` import.
 */
import { COMMANDS, CONTEXT_KEYS, WALKTHROUGH_ID } from '../commands/commandTable.ts';

export interface WalkthroughStep {
  id: string;
  title: string;
  description: string;
  media: { markdown: string };
  completionEvents: string[];
}

export interface WalkthroughContribution {
  id: string;
  title: string;
  description: string;
  steps: WalkthroughStep[];
}

export const WALKTHROUGH: WalkthroughContribution = {
  id: WALKTHROUGH_ID,
  title: 'Get started with Threadwork',
  description: 'Connect a model, get a first answer, and use the assistant on your code.',
  steps: [
    {
      id: 'connectModel',
      title: 'Connect a model',
      description: `Threadwork runs on a model you choose: OpenAI with your key, any OpenAI-compatible server, a server on this machine (Ollama, LM Studio, llama.cpp, vLLM — found for you), or VS Code's own language models.\n[Choose a Model](command:${COMMANDS.selectModel})`,
      media: { markdown: 'media/walkthrough/connectModel.md' },
      completionEvents: [`onContext:${CONTEXT_KEYS.providerConfigured}`],
    },
    {
      id: 'firstAnswer',
      title: 'Ask a first question',
      description: `Open the chat panel and ask anything; the answer streams in, and the conversation is kept on this machine.\n[Open Chat](command:${COMMANDS.openChat})`,
      media: { markdown: 'media/walkthrough/firstAnswer.md' },
      completionEvents: [`onCommand:${COMMANDS.openChat}`],
    },
    {
      id: 'editorActions',
      title: 'Ask about your code',
      description: `Select code, right-click and choose **Threadwork ▸ Explain Selection** (or Fix This, Write Tests, Refactor). Problems get an "Ask Threadwork to fix" quick fix.\n[Open a File](command:workbench.action.quickOpen)`,
      media: { markdown: 'media/walkthrough/editorActions.md' },
      completionEvents: [`onCommand:${COMMANDS.explainSelection}`, `onCommand:${COMMANDS.fixThis}`],
    },
    {
      id: 'bringThreads',
      title: 'Bring your saved threads',
      description: `Import threads you saved from the Assistants API (its message lists, as JSON) or exported from Threadwork; export any thread to Markdown or JSON.\n[Import Threads](command:${COMMANDS.importThreads})`,
      media: { markdown: 'media/walkthrough/bringThreads.md' },
      completionEvents: [`onCommand:${COMMANDS.importThreads}`, `onCommand:${COMMANDS.exportThread}`],
    },
    {
      id: 'localServer',
      title: 'Keep an Assistants API app working',
      description: `Run the Assistants API v2 on 127.0.0.1 from this window; point your app's \`baseURL\` at it.\n[Start Local API Server](command:${COMMANDS.startServer})`,
      media: { markdown: 'media/walkthrough/localServer.md' },
      completionEvents: [`onCommand:${COMMANDS.startServer}`],
    },
  ],
};
