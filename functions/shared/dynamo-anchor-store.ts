/**
 * AnchorStore over DynamoDB: the latest anchor is advanced with a condition on the size it
 * had, and each checkpoint item is written only if its size is new, in one transaction, so
 * racing anchor runs cannot publish two successors of one checkpoint.
 */
import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import {
  GetCommand,
  QueryCommand,
  TransactWriteCommand,
  type DynamoDBDocumentClient,
} from '@aws-sdk/lib-dynamodb';
import { parseAnchorState } from '../../core/anchor/anchor-state-schema';
import type { AnchorState, AnchorStore } from '../../core/anchor/ports';
import { canonicalJson } from '../../core/canonical-json';
import { awsCall } from './aws-errors';
import { parseStoredJson } from './stored-json';

const LATEST_KEY = { pk: 'latest', treeSize: 0 } as const;

export class DynamoAnchorStore implements AnchorStore {
  constructor(
    private readonly documents: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async latest(): Promise<AnchorState | null> {
    const command = new GetCommand({
      TableName: this.tableName,
      Key: LATEST_KEY,
      ConsistentRead: true,
    });
    const { Item } = await awsCall(
      'DynamoDB GetItem (latest anchor)',
      { table: this.tableName },
      () => this.documents.send(command),
    );
    return Item ? this.parsed(Item) : null;
  }

  private parsed(item: Record<string, unknown>): AnchorState {
    const details = { table: this.tableName, pk: item.pk, treeSize: item.treeSize };
    return parseStoredJson(item.anchorJson, parseAnchorState, {
      what: 'anchor state',
      code: 'STORAGE_ITEM_CORRUPT',
      details,
    });
  }

  async publish(
    previous: AnchorState | null,
    next: AnchorState,
  ): Promise<'published' | 'conflict'> {
    const anchorJson = canonicalJson(next);
    const latestCondition = previous
      ? {
          ConditionExpression: 'latestSize = :previousSize',
          ExpressionAttributeValues: { ':previousSize': previous.treeSize },
        }
      : { ConditionExpression: 'attribute_not_exists(pk)' };
    try {
      await awsCall(
        'DynamoDB TransactWriteItems (anchor)',
        { table: this.tableName, treeSize: next.treeSize },
        () =>
          this.documents.send(
            new TransactWriteCommand({
              TransactItems: [
                {
                  Put: {
                    TableName: this.tableName,
                    Item: { ...LATEST_KEY, latestSize: next.treeSize, anchorJson },
                    ...latestCondition,
                  },
                },
                {
                  Put: {
                    TableName: this.tableName,
                    Item: {
                      pk: 'checkpoint',
                      treeSize: next.treeSize,
                      rootHash: next.rootHash,
                      anchorJson,
                    },
                    ConditionExpression: 'attribute_not_exists(pk)',
                  },
                },
              ],
            }),
          ),
      );
      return 'published';
    } catch (error) {
      if (error instanceof TransactionCanceledException) return 'conflict';
      throw error;
    }
  }

  async list(fromSize: number, toSize: number): Promise<AnchorState[]> {
    const anchors: AnchorState[] = [];
    let startKey: Record<string, unknown> | undefined;
    do {
      const command = new QueryCommand({
        TableName: this.tableName,
        KeyConditionExpression: 'pk = :pk AND treeSize BETWEEN :from AND :to',
        ExpressionAttributeValues: { ':pk': 'checkpoint', ':from': fromSize, ':to': toSize },
        ConsistentRead: true,
        ...(startKey ? { ExclusiveStartKey: startKey } : {}),
      });
      const page = await awsCall(
        'DynamoDB Query (checkpoints)',
        { table: this.tableName, fromSize, toSize },
        () => this.documents.send(command),
      );
      for (const item of page.Items ?? []) anchors.push(this.parsed(item));
      startKey = page.LastEvaluatedKey;
    } while (startKey);
    return anchors;
  }
}
