/**
 * One DescriptorIndex per embedder, loaded from the store on first use and kept in sync with
 * the store's descriptor changes (this instance's writes and, via BroadcastChannel, other tabs').
 */
import type { DescriptorChange, FaceStore } from './port.ts';
import { DescriptorIndex, type DescriptorIndexOptions } from './vector-index.ts';

export class DescriptorIndexRegistry {
  private readonly indexes = new Map<string, Promise<DescriptorIndex>>();
  /** Pending change application; `get` waits for it so a search sees every committed write. */
  private syncing: Promise<void> = Promise.resolve();
  private readonly unsubscribe: () => void;

  constructor(
    private readonly store: FaceStore,
    private readonly options: Omit<DescriptorIndexOptions, 'initialCapacity'> = {},
  ) {
    this.unsubscribe = store.onDescriptorChange((change) => {
      this.syncing = this.syncing.then(() => this.apply(change)).catch(() => {
        // A failed incremental update leaves the index unreliable: reload it on next use.
        this.indexes.clear();
      });
    });
  }

  /**
   * The index of `embedder`'s descriptors, loading it on first use. `dimension` is the query's;
   * stored descriptors of another length mean the embedder id lies, and are refused.
   */
  async get(embedder: string, dimension: number): Promise<DescriptorIndex> {
    await this.syncing;
    let index = this.indexes.get(embedder);
    if (!index) {
      index = this.load(embedder, dimension);
      this.indexes.set(embedder, index);
      index.catch(() => this.indexes.delete(embedder));
    }
    const loaded = await index;
    if (loaded.dimension !== dimension) {
      throw new RangeError(`Embedder ${embedder} has ${loaded.dimension}-d descriptors, query has ${dimension}`);
    }
    return loaded;
  }

  /** Indexes already in memory (loaded or loading). */
  loadedEmbedders(): string[] {
    return [...this.indexes.keys()];
  }

  close(): void {
    this.unsubscribe();
    this.indexes.clear();
  }

  private async load(embedder: string, dimension: number): Promise<DescriptorIndex> {
    if (this.store.loadDescriptorBlocks) {
      const blocks = await this.store.loadDescriptorBlocks(embedder);
      const rows = blocks.reduce((n, b) => n + b.imageIds.length, 0);
      const index = new DescriptorIndex(blocks.find((b) => b.imageIds.length > 0)?.dimension ?? dimension, {
        ...this.options,
        initialCapacity: Math.max(1024, rows),
      });
      for (const block of blocks) index.addMany(block.imageIds, block.personIds, block.vectors);
      return index;
    }
    const records = await this.store.loadDescriptors(embedder);
    const index = new DescriptorIndex(records[0]?.vector.length ?? dimension, {
      ...this.options,
      initialCapacity: Math.max(1024, records.length),
    });
    for (const record of records) index.add(record.imageId, record.personId, record.vector);
    return index;
  }

  private async apply(change: DescriptorChange): Promise<void> {
    for (const { embedder, imageId } of change.removed) {
      const index = this.indexes.get(embedder);
      if (index) (await index).remove(imageId);
    }
    const addedByEmbedder = new Map<string, string[]>();
    for (const { embedder, imageId } of change.added) {
      if (!this.indexes.has(embedder)) continue; // loaded with everything when first used
      addedByEmbedder.set(embedder, [...(addedByEmbedder.get(embedder) ?? []), imageId]);
    }
    for (const [embedder, imageIds] of addedByEmbedder) {
      const index = await this.indexes.get(embedder)!;
      for (const record of await this.store.getDescriptors(embedder, imageIds)) {
        index.add(record.imageId, record.personId, record.vector);
      }
    }
  }
}
