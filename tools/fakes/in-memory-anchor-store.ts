/**
 * The anchors table in memory, with the transaction of DynamoAnchorStore
 * (functions/shared/dynamo-anchor-store.ts): `latest` moves only from the size it had, and a
 * checkpoint is kept once per tree size; both happen together or not at all. `list` reads the
 * checkpoints, not only the latest, as the adapter's Query does.
 */
import type { AnchorState, AnchorStore } from '../../core/anchor/ports';

export class InMemoryAnchorStore implements AnchorStore {
  private current: AnchorState | null = null;
  private readonly checkpoints = new Map<number, AnchorState>();
  /** Throws once from the next publish: a crash before the checkpoint is published. */
  crashNextPublish = false;

  /** The latest anchor, as stored (for assertions). */
  get state(): AnchorState | null {
    return this.current;
  }

  latest(): Promise<AnchorState | null> {
    return Promise.resolve(this.current && structuredClone(this.current));
  }

  list(fromSize: number, toSize: number): Promise<AnchorState[]> {
    const inRange = [...this.checkpoints.values()].filter(
      (a) => a.treeSize >= fromSize && a.treeSize <= toSize,
    );
    return Promise.resolve(
      inRange.sort((a, b) => a.treeSize - b.treeSize).map((a) => structuredClone(a)),
    );
  }

  publish(previous: AnchorState | null, next: AnchorState): Promise<'published' | 'conflict'> {
    if (this.crashNextPublish) {
      this.crashNextPublish = false;
      return Promise.reject(new Error('crashed before publishing'));
    }
    const latestMoved =
      previous === null ? this.current !== null : this.current?.treeSize !== previous.treeSize;
    if (latestMoved || this.checkpoints.has(next.treeSize)) return Promise.resolve('conflict');
    this.current = structuredClone(next);
    this.checkpoints.set(next.treeSize, structuredClone(next));
    return Promise.resolve('published');
  }
}
