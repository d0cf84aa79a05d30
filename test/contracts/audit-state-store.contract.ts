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

export function describeAuditStateStoreContract(
  name: string,
  makeSubject: () => Promise<AuditStateStore>,
): void {
  describe(`the audit state store contract on ${name}`, () => {
    let store: AuditStateStore;
    beforeEach(async () => {
      store = await makeSubject();
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
      expect(await store.save(storedStateAt(5), 'another')).toBe('stale');
      expect(await store.save(storedStateAt(5), 'forged')).toBe('saved');
      expect(await store.load()).toEqual(storedStateAt(5));
    });
  });
}
