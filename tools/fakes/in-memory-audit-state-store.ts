/**
 * The auditor's state store in memory, with the conditional write of the DynamoDB adapter
 * (functions/shared/dynamo-audit-state-store.ts): a state is written unless a larger one is
 * stored, or when it replaces the very item the caller refused. `item` is public: a test
 * plays whoever else can write the table.
 */
import type { AuditStateStore, StoredAuditState } from '../../core/audit/audit-state';

export class InMemoryAuditStateStore implements AuditStateStore {
  item: StoredAuditState | null = null;
  writes = 0;

  load(): Promise<StoredAuditState | null> {
    return Promise.resolve(this.item && { ...this.item });
  }

  save(next: StoredAuditState, replacing: string | null): Promise<'saved' | 'stale'> {
    const stored = this.item;
    if (stored && stored.treeSize > next.treeSize && stored.mac !== replacing)
      return Promise.resolve('stale');
    this.item = { ...next };
    this.writes += 1;
    return Promise.resolve('saved');
  }
}
