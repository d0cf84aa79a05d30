/**
 * AuditStateStore over the auditor's own table (definitions/auditor.ts AUDITOR_STATE_TABLE):
 * one item, `pk = verified`, holding the sealed state as the auditor sealed it (its canonical
 * JSON and MAC) and its size. Only the auditor's role is granted writes on the table; the
 * MAC, not the grant, is what makes a state written by anyone else worthless. Writes are
 * conditional on the stored size, so two concurrent auditors never move the state backwards.
 */
import { GetCommand, PutCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import {
  MAX_STORED_MAC_CHARS,
  MAX_STORED_STATE_CHARS,
  storedAuditStateOf,
  type AuditStateStore,
  type RefusedState,
  type StoredAuditState,
} from '../../core/audit/audit-state';
import { awsCall } from './aws-errors';
import { unlessConditionFails } from './conditional-write';

/** The state's item in the auditor's table. */
export const AUDIT_STATE_KEY = { pk: 'verified' } as const;

/**
 * True of exactly the items storedAuditStateOf refuses as malformed (a treeSize that is a
 * number but not an integer aside, which `treeSize <= :size` then decides), so that a job
 * told to replace an unreadable item overwrites that and never a readable, larger state.
 */
const UNREADABLE_ITEM =
  'NOT attribute_type(treeSize, :number) OR NOT attribute_type(#state, :string) OR ' +
  'NOT attribute_type(mac, :string) OR treeSize < :zero OR treeSize > :maxSafe OR ' +
  'size(#state) > :maxState OR size(mac) > :maxMac';

/** The condition of a save, and its values: forward only, unless replacing a refused state. */
function saveCondition(size: number, replacing: RefusedState | null) {
  const forward = 'attribute_not_exists(pk) OR treeSize <= :size';
  if (replacing === null) return { ConditionExpression: forward, values: { ':size': size } };
  if ('mac' in replacing)
    return {
      ConditionExpression: `${forward} OR mac = :replacing`,
      values: { ':size': size, ':replacing': replacing.mac },
    };
  return {
    // The type checks first: moto fails a comparison of a string with a number instead of
    // taking it as false, and evaluates OR from the left.
    ConditionExpression: `attribute_not_exists(pk) OR ${UNREADABLE_ITEM} OR treeSize <= :size`,
    names: { '#state': 'state' },
    values: {
      ':size': size,
      ':number': 'N',
      ':string': 'S',
      ':zero': 0,
      ':maxSafe': Number.MAX_SAFE_INTEGER,
      ':maxState': MAX_STORED_STATE_CHARS,
      ':maxMac': MAX_STORED_MAC_CHARS,
    },
  };
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
    return Item ? storedAuditStateOf(Item, { table: this.tableName }) : null;
  }

  async save(next: StoredAuditState, replacing: RefusedState | null): Promise<'saved' | 'stale'> {
    const { ConditionExpression, names, values } = saveCondition(next.treeSize, replacing);
    const saved = await unlessConditionFails(
      () =>
        this.documents.send(
          new PutCommand({
            TableName: this.tableName,
            Item: { ...AUDIT_STATE_KEY, ...next },
            ConditionExpression,
            ...(names ? { ExpressionAttributeNames: names } : {}),
            ExpressionAttributeValues: values,
          }),
        ),
      { table: this.tableName, ...AUDIT_STATE_KEY, treeSize: next.treeSize },
    );
    return saved ? 'saved' : 'stale';
  }
}
