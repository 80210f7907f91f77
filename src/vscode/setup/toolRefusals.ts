/**
 * A model that was never probed (or changed its mind) may refuse tool calls in the middle of a
 * conversation. When a run fails that way, the endpoint is marked as refusing tools, so the next
 * runs go without them, and the user is told why and that Retry now works. No `vscode` import.
 */
import type { ModelBackend } from '../../engine/ports/modelBackend.ts';
import type { Run } from '../../engine/types/run.ts';
import type { ProviderPort } from '../chatPorts.ts';
import type { CapabilityStore } from './capabilityStore.ts';

/** How servers word it: "does not support tools", "tools are not supported", "tool use is not supported", "tool_choice … not supported". */
export const TOOL_REFUSAL = /(does not|doesn't|do not) support (tools|tool[ _]calls|function[ _]calling|functions)|(tools?|tool[ _]use|tool[ _]calls?|tool_choice|function[ _]calling)\b[^.]{0,40}\b(is|are)? ?not supported/i;

export function isToolRefusal(run: Pick<Run, 'status' | 'last_error' | 'tools'>): boolean {
  return run.status === 'failed' && run.tools.length > 0 && TOOL_REFUSAL.test(run.last_error?.message ?? '');
}

export interface ToolRefusalDependencies {
  provider: ProviderPort;
  capabilities: Pick<CapabilityStore, 'markToolsRefused'>;
  log: { warn(message: string): void };
  /** Shows the user a warning. */
  tell(message: string): void;
}

export function watchToolRefusals(deps: ToolRefusalDependencies): (run: Run) => void {
  return (run) => {
    if (!isToolRefusal(run)) return;
    const { baseUrl, model } = deps.provider.status();
    void deps.capabilities.markToolsRefused(baseUrl, model, run.last_error?.message ?? 'tools refused');
    deps.log.warn(`${model} at ${baseUrl} refused tool calls; later runs go without tools.`);
    deps.tell(`${model} does not take tool calls, so Threadwork turned the workspace tools off for it: it can chat, but not read or change files itself. Press Retry in the chat to ask again.`);
  };
}

/**
 * The backend runs use, minus tools while the endpoint refuses them: every run then gets a plain
 * chat turn (whatever tools its assistant declares, file_search included), so a model without tool
 * calling still answers instead of failing on the first request.
 */
export function withoutToolsWhenRefused(backend: ModelBackend | null, toolsAllowed: () => boolean): ModelBackend | null {
  if (!backend) return null;
  return {
    stream: (request, signal) => (toolsAllowed() || request.tools.length === 0 ? backend.stream(request, signal) : backend.stream({ ...request, tools: [], toolChoice: 'none' }, signal)),
  };
}
