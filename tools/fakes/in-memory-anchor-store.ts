/**
 * The anchors table and the anchor bucket's checkpoint copies in memory, with the conditions of
 * DynamoAnchorStore and S3WormStore (functions/shared): a checkpoint is published only if the
 * latest is still the one the run started from, and a WORM key is written once (the same bytes
 * again succeed, other bytes are CHECKPOINT_INCONSISTENT).
 */
import type { AnchorState, AnchorStore, WormStore } from '../../core/anchor/ports';
import { bytesEqual } from '../../core/encoding';
import { LedgerError } from '../../core/errors';

export class InMemoryAnchorStore implements AnchorStore {
  /** Every anchor published, oldest first. */
  readonly published: AnchorState[] = [];

  latest(): Promise<AnchorState | null> {
    const last = this.published.at(-1);
    return Promise.resolve(last ? structuredClone(last) : null);
  }

  list(fromSize: number, toSize: number): Promise<AnchorState[]> {
    return Promise.resolve(
      this.published
        .filter((a) => a.treeSize >= fromSize && a.treeSize <= toSize)
        .map((a) => structuredClone(a)),
    );
  }

  publish(previous: AnchorState | null, next: AnchorState): Promise<'published' | 'conflict'> {
    const latest = this.published.at(-1) ?? null;
    if ((previous?.treeSize ?? null) !== (latest?.treeSize ?? null))
      return Promise.resolve('conflict');
    this.published.push(structuredClone(next));
    return Promise.resolve('published');
  }
}

export class InMemoryWormStore implements WormStore {
  readonly objects = new Map<string, Uint8Array>();

  exists(key: string): Promise<boolean> {
    return Promise.resolve(this.objects.has(key));
  }

  get(key: string): Promise<Uint8Array | null> {
    return Promise.resolve(this.objects.get(key)?.slice() ?? null);
  }

  list(prefix: string, startAfter = ''): Promise<string[]> {
    return Promise.resolve(
      [...this.objects.keys()].filter((k) => k.startsWith(prefix) && k > startAfter).sort(),
    );
  }

  deleteMarkers(): Promise<string[]> {
    return Promise.resolve([]);
  }

  put(key: string, body: Uint8Array): Promise<void> {
    const stored = this.objects.get(key);
    if (stored && !bytesEqual(stored, body)) {
      return Promise.reject(
        new LedgerError('CHECKPOINT_INCONSISTENT', `WORM object ${key} holds other bytes`, { key }),
      );
    }
    if (!stored) this.objects.set(key, body.slice());
    return Promise.resolve();
  }
}
