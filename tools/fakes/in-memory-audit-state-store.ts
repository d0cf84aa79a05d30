/**
 * The auditor's state store in memory, with the conditional write of the DynamoDB adapter
 * (functions/shared/dynamo-audit-state-store.ts): a state is written unless a larger one is
 * stored, or when it replaces the very item the caller refused. A test plays whoever else can
 * write the table through `item`, or `writeRaw` for shapes the auditor never writes.
 */
import {
  storedAuditStateOf,
  type AuditStateStore,
  type RefusedState,
  type StoredAuditState,
} from '../../core/audit/audit-state';
import { isLedgerError } from '../../core/errors';

export class InMemoryAuditStateStore implements AuditStateStore {
  private raw: Readonly<Record<string, unknown>> | null = null;
  writes = 0;

  /** The stored item, as the auditor writes it (after writeRaw, whatever was written). */
  get item(): StoredAuditState | null {
    return this.raw as StoredAuditState | null;
  }

  set item(value: StoredAuditState | null) {
    this.raw = value && { ...value };
  }

  /** Stores an item of any shape, as anyone who can write the table could. */
  writeRaw(item: Readonly<Record<string, unknown>>): void {
    this.raw = { ...item };
  }

  /** Reads the item as the adapter reads its own: one of another shape is refused. */
  load(): Promise<StoredAuditState | null> {
    return Promise.resolve().then(() => this.read());
  }

  private read(): StoredAuditState | null {
    return this.raw && storedAuditStateOf(this.raw, { store: 'in-memory' });
  }

  save(next: StoredAuditState, replacing: RefusedState | null): Promise<'saved' | 'stale'> {
    let stored: StoredAuditState | 'unreadable' | null;
    try {
      stored = this.read();
    } catch (error) {
      if (!isLedgerError(error, 'AUDIT_STATE_FORGED')) throw error;
      stored = 'unreadable';
    }
    const refused =
      stored === 'unreadable'
        ? replacing !== null && 'unreadable' in replacing
        : replacing !== null && 'mac' in replacing && stored?.mac === replacing.mac;
    const behind = stored === 'unreadable' || (stored !== null && stored.treeSize > next.treeSize);
    if (behind && !refused) return Promise.resolve('stale');
    this.raw = { ...next };
    this.writes += 1;
    return Promise.resolve('saved');
  }
}
