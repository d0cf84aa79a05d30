/**
 * The anchors table in memory, with the transaction of DynamoAnchorStore
 * (functions/shared/dynamo-anchor-store.ts): `latest` moves only from the size it had, and a
 * checkpoint is kept once per tree size; both happen together or not at all. `list` reads the
 * published checkpoints, not only the latest, as the adapter's Query does.
 */
import type { AnchorState, AnchorStore } from '../../core/anchor/ports';

export class InMemoryAnchorStore implements AnchorStore {
  /**
   * Every anchor published, oldest first; the last is the latest. A test may replace one, as
   * a principal with write access to the table could.
   */
  readonly published: AnchorState[] = [];
  /** Throws once from the next publish: a crash before the checkpoint is published. */
  crashNextPublish = false;

  /** The latest anchor, as stored (for assertions). */
  get state(): AnchorState | null {
    return this.published.at(-1) ?? null;
  }

  latest(): Promise<AnchorState | null> {
    const latest = this.state;
    return Promise.resolve(latest && structuredClone(latest));
  }

  list(fromSize: number, toSize: number): Promise<AnchorState[]> {
    const inRange = this.published.filter((a) => a.treeSize >= fromSize && a.treeSize <= toSize);
    return Promise.resolve(
      inRange.sort((a, b) => a.treeSize - b.treeSize).map((a) => structuredClone(a)),
    );
  }

  publish(previous: AnchorState | null, next: AnchorState): Promise<'published' | 'conflict'> {
    if (this.crashNextPublish) {
      this.crashNextPublish = false;
      return Promise.reject(new Error('crashed before publishing'));
    }
    const latest = this.state;
    const latestMoved =
      previous === null ? latest !== null : latest?.treeSize !== previous.treeSize;
    const sizeTaken = this.published.some((a) => a.treeSize === next.treeSize);
    if (latestMoved || sizeTaken) return Promise.resolve('conflict');
    this.published.push(structuredClone(next));
    return Promise.resolve('published');
  }
}
