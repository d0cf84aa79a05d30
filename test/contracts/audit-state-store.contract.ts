/**
 * The auditor's state store's contract (core/audit/audit-state.ts AuditStateStore), run against
 * InMemoryAuditStateStore and DynamoAuditStateStore: one sealed state, which never moves
 * backwards unless the caller replaces the very state it refused.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import type { AuditStateStore, StoredAuditState } from '../../core/audit/audit-state';

/** A stored state of `treeSize`; the store keeps the text and MAC as given, never reads them. */
export const storedStateAt = (treeSize: number, mac = `mac-${treeSize}`): StoredAuditState => ({
  treeSize,
  state: JSON.stringify({ treeSize }),
  mac,
});

/** A store, and a way to put an item of any shape in its storage (as another writer could). */
export interface AuditStateSubject {
  readonly store: AuditStateStore;
  readonly writeRaw: (item: Readonly<Record<string, unknown>>) => Promise<void>;
}

/** Items that are not the shape the auditor writes, each refused by load. */
const UNREADABLE_ITEMS: Record<string, Readonly<Record<string, unknown>>> = {
  'no treeSize': { state: '{}', mac: 'bWFj' },
  'a text treeSize': { treeSize: '9', state: '{}', mac: 'bWFj' },
  'a negative treeSize': { treeSize: -1, state: '{}', mac: 'bWFj' },
  'no mac': { treeSize: 3, state: '{}' },
  'a numeric state': { treeSize: 3, state: 7, mac: 'bWFj' },
  'an oversized mac': { treeSize: 3, state: '{}', mac: 'm'.repeat(129) },
};

export function describeAuditStateStoreContract(
  name: string,
  makeSubject: () => Promise<AuditStateSubject>,
): void {
  describe(`the audit state store contract on ${name}`, () => {
    let store: AuditStateStore;
    let writeRaw: AuditStateSubject['writeRaw'];
    beforeEach(async () => {
      ({ store, writeRaw } = await makeSubject());
    });

    it('holds no state at first', async () => {
      expect(await store.load()).toBeNull();
    });

    it('saves a first state and gives it back as stored', async () => {
      expect(await store.save(storedStateAt(4), null)).toBe('saved');
      expect(await store.load()).toEqual(storedStateAt(4));
    });

    it('moves forward, or stays at the same size, but never back', async () => {
      await store.save(storedStateAt(4), null);
      expect(await store.save(storedStateAt(9), null)).toBe('saved');
      expect(await store.save(storedStateAt(9, 'resealed'), null)).toBe('saved');
      expect(await store.save(storedStateAt(5), null)).toBe('stale');
      expect(await store.load()).toEqual(storedStateAt(9, 'resealed'));
    });

    it('lets a caller replace the state it refused, whatever its size, and only that one', async () => {
      await store.save(storedStateAt(90, 'forged'), null);
      expect(await store.save(storedStateAt(5), { mac: 'another' })).toBe('stale');
      expect(await store.save(storedStateAt(5), { unreadable: true })).toBe('stale');
      expect(await store.save(storedStateAt(5), { mac: 'forged' })).toBe('saved');
      expect(await store.load()).toEqual(storedStateAt(5));
    });

    describe.each(Object.entries(UNREADABLE_ITEMS))('holding an item with %s', (_, item) => {
      beforeEach(() => writeRaw(item));

      it('refuses it on load (AUDIT_STATE_FORGED, malformed)', async () => {
        await expect(store.load()).rejects.toFailWithCode('AUDIT_STATE_FORGED', {
          reason: 'malformed',
        });
      });

      it('lets a caller that refused an unreadable item replace it', async () => {
        expect(await store.save(storedStateAt(0), { unreadable: true })).toBe('saved');
        expect(await store.load()).toEqual(storedStateAt(0));
      });
    });
  });
}
