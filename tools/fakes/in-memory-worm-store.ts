/**
 * The WORM bucket in memory, with the answers of S3WormStore (functions/shared/s3-worm-store.ts):
 * a key is written once; a retried write of the same bytes succeeds, other bytes fail
 * CHECKPOINT_INCONSISTENT and the first stay. `hide` is a DeleteObject without a version id:
 * the key leaves the current view, and its delete marker stays findable.
 */
import type { WormStore } from '../../core/anchor/ports';
import { bytesEqual } from '../../core/encoding';
import { LedgerError } from '../../core/errors';

export class InMemoryWormStore implements WormStore {
  private readonly objects = new Map<string, Uint8Array>();
  private readonly markers = new Set<string>();
  /** Keys whose current version is a delete marker. */
  private readonly hidden = new Set<string>();

  constructor(seed: Readonly<Record<string, Uint8Array>> = {}) {
    for (const [key, body] of Object.entries(seed)) this.objects.set(key, body.slice());
  }

  exists(key: string): Promise<boolean> {
    return Promise.resolve(this.current(key) !== null);
  }

  get(key: string): Promise<Uint8Array | null> {
    return Promise.resolve(this.current(key)?.slice() ?? null);
  }

  list(prefix: string, startAfter = ''): Promise<string[]> {
    const keys = [...this.objects.keys()].filter(
      (k) => k.startsWith(prefix) && k > startAfter && this.current(k) !== null,
    );
    return Promise.resolve(keys.sort());
  }

  deleteMarkers(prefix: string): Promise<string[]> {
    return Promise.resolve([...this.markers].filter((k) => k.startsWith(prefix)).sort());
  }

  put(key: string, body: Uint8Array, _contentType: string): Promise<void> {
    const stored = this.current(key);
    if (stored !== null && !bytesEqual(stored, body)) {
      return Promise.reject(
        new LedgerError('CHECKPOINT_INCONSISTENT', `WORM copy ${key} already holds other bytes`, {
          key,
        }),
      );
    }
    // If-None-Match looks at the current view: behind a delete marker a new version is written.
    if (stored === null) {
      this.objects.set(key, body.slice());
      this.hidden.delete(key);
    }
    return Promise.resolve();
  }

  /** A DeleteObject without a version id: a delete marker hides the key from the current view. */
  hide(key: string): void {
    this.markers.add(key);
    this.hidden.add(key);
  }

  private current(key: string): Uint8Array | null {
    return this.hidden.has(key) ? null : (this.objects.get(key) ?? null);
  }
}
