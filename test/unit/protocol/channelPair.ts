/** Two protocol channels joined back to back, delivering asynchronously like postMessage (structured clone included). */
import { Channel, type ChannelOptions } from '../../../src/protocol/channel.ts';
import type { Envelope } from '../../../src/protocol/envelope.ts';

export interface ChannelPair {
  host: Channel;
  webview: Channel;
  /** Every message either side sent, in order. */
  log: Array<{ from: 'host' | 'webview'; message: Envelope }>;
  /** Waits until everything sent so far has been delivered. */
  settle(): Promise<void>;
}

export function channelPair(hostOptions: ChannelOptions = {}): ChannelPair {
  const listeners: Record<'host' | 'webview', ((message: unknown) => void) | null> = { host: null, webview: null };
  const log: ChannelPair['log'] = [];
  let pending = 0;
  const transport = (self: 'host' | 'webview', other: 'host' | 'webview') => ({
    send: (message: Envelope) => {
      log.push({ from: self, message });
      const copy = structuredClone(message);
      pending++;
      setImmediate(() => {
        pending--;
        listeners[other]?.(copy);
      });
    },
    onMessage: (listener: (message: unknown) => void) => {
      listeners[self] = listener;
      return () => {
        listeners[self] = null;
      };
    },
  });
  return {
    host: new Channel(transport('host', 'webview'), hostOptions),
    webview: new Channel(transport('webview', 'host')),
    log,
    settle: async () => {
      for (let round = 0; round < 50 && (pending > 0 || round < 2); round++) await new Promise((resolve) => setImmediate(resolve));
    },
  };
}
