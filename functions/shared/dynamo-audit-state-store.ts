/**
 * AuditStateStore over the auditor's own table (definitions/auditor.ts AUDITOR_STATE_TABLE):
 * one item, `pk = verified`, holding the sealed state as the auditor sealed it (its canonical
 * JSON and MAC) and its size. Only the auditor's role is granted writes on the table; the
 * MAC, not the grant, is what makes a state written by anyone else worthless. Writes are
 * conditional on the stored size, so two concurrent auditors never move the state backwards.
 */
import { GetCommand, PutCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { AuditStateStore, StoredAuditState } from '../../core/audit/audit-state';
import { LedgerError } from '../../core/errors';
import { awsCall } from './aws-errors';
import { unlessConditionFails } from './conditional-write';

/** The state's item in the auditor's table. */
export const AUDIT_STATE_KEY = { pk: 'verified' } as const;

/** Bounds on what is read back (attacker-controlled): a state is a few KiB at most. */
const MAX_STATE_CHARS = 16 * 1024;
const MAX_MAC_CHARS = 128;

function storedStateOf(item: Record<string, unknown>, table: string): StoredAuditState {
  const { treeSize, state, mac } = item;
  if (
    typeof treeSize !== 'number' ||
    !Number.isSafeInteger(treeSize) ||
    treeSize < 0 ||
    typeof state !== 'string' ||
    state.length > MAX_STATE_CHARS ||
    typeof mac !== 'string' ||
    mac.length > MAX_MAC_CHARS
  ) {
    // Not even the shape the auditor writes: someone else wrote it.
    throw new LedgerError(
      'AUDIT_STATE_FORGED',
      'the stored audit state is not one this auditor writes',
      {
        reason: 'malformed',
        table,
      },
    );
  }
  return { treeSize, state, mac };
}

export class DynamoAuditStateStore implements AuditStateStore {
  constructor(
    private readonly documents: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async load(): Promise<StoredAuditState | null> {
    const command = new GetCommand({
      TableName: this.tableName,
      Key: AUDIT_STATE_KEY,
      ConsistentRead: true,
    });
    const { Item } = await awsCall(
      'DynamoDB GetItem (audit state)',
      { table: this.tableName },
      () => this.documents.send(command),
    );
    return Item ? storedStateOf(Item, this.tableName) : null;
  }

  async save(next: StoredAuditState, replacing: string | null): Promise<'saved' | 'stale'> {
    const saved = await unlessConditionFails(
      () =>
        this.documents.send(
          new PutCommand({
            TableName: this.tableName,
            Item: { ...AUDIT_STATE_KEY, ...next },
            ConditionExpression:
              replacing === null
                ? 'attribute_not_exists(pk) OR treeSize <= :size'
                : 'attribute_not_exists(pk) OR treeSize <= :size OR mac = :replacing',
            ExpressionAttributeValues: {
              ':size': next.treeSize,
              ...(replacing === null ? {} : { ':replacing': replacing }),
            },
          }),
        ),
      { table: this.tableName, ...AUDIT_STATE_KEY, treeSize: next.treeSize },
    );
    return saved ? 'saved' : 'stale';
  }
}
