/**
 * CosignerStateStore over the party's own table: one item (`pk = cosigner`) holding the last
 * checkpoint the party co-signed, written only by the party's co-signer role (its IAM write is
 * limited to this partition key and these attributes). Advancing is conditional on the
 * stored state being exactly the one the co-signer started from.
 */
import { GetCommand, PutCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { canonicalJson } from '../../core/canonical-json';
import { parseCosignerState } from '../../core/witness/cosigner-state-schema';
import type { CosignerState, CosignerStateStore } from '../../core/witness/ports';
import { awsCall } from './aws-errors';
import { unlessConditionFails } from './conditional-write';
import { parseStoredJson } from './stored-json';

/** The co-signer's item in its party's table. */
export const COSIGNER_KEY = { pk: 'cosigner' } as const;

export class DynamoCosignerStore implements CosignerStateStore {
  constructor(
    private readonly documents: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async load(): Promise<CosignerState | null> {
    const command = new GetCommand({
      TableName: this.tableName,
      Key: COSIGNER_KEY,
      ConsistentRead: true,
    });
    const { Item } = await awsCall(
      'DynamoDB GetItem (co-signer state)',
      { table: this.tableName },
      () => this.documents.send(command),
    );
    // Storage is parsed, never trusted: a corrupt state is COSIGN_STATE_INVALID, not a crash later.
    const details = { table: this.tableName, ...COSIGNER_KEY };
    return Item
      ? parseStoredJson(Item.stateJson, parseCosignerState, {
          what: 'co-signer state',
          code: 'COSIGN_STATE_INVALID',
          details,
        })
      : null;
  }

  async advance(from: CosignerState | null, to: CosignerState): Promise<'saved' | 'conflict'> {
    parseCosignerState(to);
    const saved = await unlessConditionFails(
      () =>
        this.documents.send(
          new PutCommand({
            TableName: this.tableName,
            Item: {
              ...COSIGNER_KEY,
              stateJson: canonicalJson(to),
              treeSize: to.treeSize,
              updatedAt: to.updatedAt,
            },
            ...(from === null
              ? { ConditionExpression: 'attribute_not_exists(pk)' }
              : {
                  ConditionExpression: 'stateJson = :from',
                  ExpressionAttributeValues: { ':from': canonicalJson(from) },
                }),
          }),
        ),
      { table: this.tableName, ...COSIGNER_KEY, treeSize: to.treeSize },
    );
    return saved ? 'saved' : 'conflict';
  }
}
