/**
 * Descriptor changes fanned out to in-process listeners and, where BroadcastChannel exists, to
 * other tabs/workers using the same database, so every DescriptorIndex stays in sync.
 */
import type { DescriptorChange } from './port.ts';

type Listener = (change: DescriptorChange) => void;
type WireChange = Omit<DescriptorChange, 'origin'>;

export class DescriptorChangeChannel {
  private readonly listeners = new Set<Listener>();
  private readonly channel: BroadcastChannel | undefined;

  constructor(channelName: string) {
    if (typeof BroadcastChannel === 'function') {
      this.channel = new BroadcastChannel(channelName);
      // Node's BroadcastChannel keeps the process alive; a store must not.
      (this.channel as unknown as { unref?: () => void }).unref?.();
      this.channel.onmessage = (event: MessageEvent<WireChange>) => {
        this.deliver({ ...event.data, origin: 'remote' });
      };
    }
  }

  subscribe(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  publish(change: WireChange): void {
    if (change.added.length === 0 && change.removed.length === 0) return;
    this.deliver({ ...change, origin: 'local' });
    this.channel?.postMessage(change);
  }

  close(): void {
    this.listeners.clear();
    this.channel?.close();
  }

  private deliver(change: DescriptorChange): void {
    for (const listener of this.listeners) {
      try {
        listener(change);
      } catch {
        // One broken listener must not stop the others from hearing about the change.
      }
    }
  }
}
