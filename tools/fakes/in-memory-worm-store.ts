/**
 * The anchor's WORM store in memory (functions/shared/s3-worm-store.ts): keys listed in
 * order, nothing ever deleted, so no delete markers. `objects` is public: a test plays
 * whoever else can write (or, where S3 would let them, hide) a copy.
 */
import type { WormStore } from '../../core/anchor/ports';

export function inMemoryWormStore(
  seed: Readonly<Record<string, Uint8Array>> = {},
): WormStore & { readonly objects: Map<string, Uint8Array> } {
  const objects = new Map<string, Uint8Array>(Object.entries(seed));
  return {
    objects,
    exists: (key) => Promise.resolve(objects.has(key)),
    put: (key, body) => Promise.resolve(void objects.set(key, body)),
    get: (key) => Promise.resolve(objects.get(key) ?? null),
    list: (prefix, after = '') =>
      Promise.resolve([...objects.keys()].filter((k) => k.startsWith(prefix) && k > after).sort()),
    deleteMarkers: () => Promise.resolve([]),
  };
}
