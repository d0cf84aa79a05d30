/**
 * A co-signer's state store's contract (core/witness/ports.ts), run against
 * InMemoryCosignerStore and DynamoCosignerStore: the state advances only from exactly the
 * state the co-signer started from; a state that does not parse is never written.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import type { CosignerState, CosignerStateStore } from '../../core/witness/ports';
import { hex64 } from './fixtures';

export function cosignerStateAt(treeSize: number, note: string | null = null): CosignerState {
  return {
    treeSize,
    rootHash: hex64(treeSize),
    compactRange: { size: treeSize, hashes: [hex64(treeSize + 1)] },
    lastRecordHash: hex64(treeSize + 2),
    cosignedNote: note,
    updatedAt: '2026-11-30T06:00:00.000Z',
  };
}

export function describeCosignerStoreContract(
  name: string,
  makeSubject: () => Promise<CosignerStateStore>,
): void {
  describe(`the co-signer state store contract on ${name}`, () => {
    let store: CosignerStateStore;
    beforeEach(async () => {
      store = await makeSubject();
    });

    it('holds no state at first', async () => {
      expect(await store.load()).toBeNull();
    });

    it('saves the first state once: a second first state is a conflict', async () => {
      expect(await store.advance(null, cosignerStateAt(4))).toBe('saved');
      expect(await store.advance(null, cosignerStateAt(8))).toBe('conflict');
      expect(await store.load()).toEqual(cosignerStateAt(4));
    });

    it('advances only from exactly the stored state', async () => {
      const first = cosignerStateAt(4);
      const second = cosignerStateAt(8, 'note at 8');
      await store.advance(null, first);
      expect(await store.advance(first, second)).toBe('saved');
      expect(await store.advance(first, cosignerStateAt(9))).toBe('conflict');
      // Same size, another note: not the stored state either.
      expect(await store.advance({ ...second, cosignedNote: 'other' }, cosignerStateAt(9))).toBe(
        'conflict',
      );
      expect(await store.load()).toEqual(second);
    });

    it('refuses a state that does not parse with INVALID_INPUT, and keeps the stored one', async () => {
      await store.advance(null, cosignerStateAt(4));
      await expect(
        store.advance(cosignerStateAt(4), { ...cosignerStateAt(8), rootHash: 'nope' }),
      ).rejects.toMatchObject({ code: 'INVALID_INPUT' });
      expect(await store.load()).toEqual(cosignerStateAt(4));
    });
  });
}
