/**
 * The webview's one connection to VS Code: the only file that calls `acquireVsCodeApi()`. It wraps
 * the API's postMessage and the window's message events in a protocol Channel, and exposes the
 * webview state VS Code keeps across the panel being hidden and shown.
 */
import { Channel } from '../src/protocol/channel.ts';

interface VsCodeApi {
  postMessage(message: unknown): void;
  getState(): unknown;
  setState(state: unknown): void;
}

declare function acquireVsCodeApi(): VsCodeApi;

/** What the panel remembers across being hidden and shown (VS Code keeps it per webview). */
export interface PersistedState {
  threadId: string | null;
  draft: string;
  sentHistory: string[];
}

export interface HostClient {
  channel: Channel;
  loadState(): PersistedState;
  saveState(state: PersistedState): void;
}

export function connectToHost(onProblem: (problem: string, error?: unknown) => void): HostClient {
  const api = acquireVsCodeApi();
  const channel = new Channel(
    {
      send: (message) => api.postMessage(message),
      onMessage: (listener) => {
        const onMessage = (event: MessageEvent): void => listener(event.data);
        window.addEventListener('message', onMessage);
        return () => window.removeEventListener('message', onMessage);
      },
    },
    { onProblem },
  );
  return {
    channel,
    loadState: () => readState(api.getState()),
    saveState: (state) => api.setState(state),
  };
}

function readState(value: unknown): PersistedState {
  const state = (typeof value === 'object' && value !== null ? value : {}) as Partial<PersistedState>;
  return {
    threadId: typeof state.threadId === 'string' ? state.threadId : null,
    draft: typeof state.draft === 'string' ? state.draft : '',
    sentHistory: Array.isArray(state.sentHistory) ? state.sentHistory.filter((item): item is string => typeof item === 'string').slice(-50) : [],
  };
}
