/**
 * DepositStore over DynamoDB. Every write is conditional, so a redelivered event or a
 * retried Lambda can never move a deposit backwards or sign it twice.
 */
import {
  GetCommand,
  PutCommand,
  UpdateCommand,
  type DynamoDBDocumentClient,
  type UpdateCommandInput,
} from '@aws-sdk/lib-dynamodb';
import type { DepositFailure, DepositState, DepositStatus, DepositStore, FailedObject } from '../../core/pipeline/ports';
import { parseDeposit, parsePartySignature } from '../../core/schemas';
import type { Deposit, PartySignature } from '../../core/types';
import { PARTY_ROLES } from '../../core/types';
import { canonicalJson } from '../../core/canonical-json';
import { unlessConditionFails } from './conditional-write';

const signatureAttribute = (role: string) => `signature_${role}`;

/**
 * A mailbox value that does not parse reads as absent: several roles may write the mailbox,
 * so a corrupt value is one of them misbehaving, and the stages then refuse the deposit with a
 * code (no facts, no signature) instead of failing every read of it until the DLQ.
 */
function parsedOrAbsent<T>(raw: unknown, parse: (input: unknown) => T): T | undefined {
  if (typeof raw !== 'string') return undefined;
  try {
    return parse(JSON.parse(raw));
  } catch {
    return undefined;
  }
}

/** Items are read back from storage: parse them, never trust their shape. */
function toState(item: Record<string, unknown>): DepositState {
  const signatures: Partial<Record<(typeof PARTY_ROLES)[number], PartySignature>> = {};
  for (const role of PARTY_ROLES) {
    const signature = parsedOrAbsent(item[signatureAttribute(role)], parsePartySignature);
    if (signature) signatures[role] = signature;
  }
  const status = item.status as DepositStatus;
  return {
    depositId: String(item.depositId),
    status,
    deposit: parsedOrAbsent(item.depositJson, parseDeposit) ?? null,
    signatures,
    seq: typeof item.seq === 'number' ? item.seq : null,
    failure:
      typeof item.failureCode === 'string'
        ? { code: item.failureCode, message: typeof item.failureMessage === 'string' ? item.failureMessage : '' }
        : null,
  };
}

export class DynamoDepositStore implements DepositStore {
  constructor(
    private readonly documents: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async get(depositId: string): Promise<DepositState | null> {
    const { Item } = await this.documents.send(
      new GetCommand({ TableName: this.tableName, Key: { depositId }, ConsistentRead: true }),
    );
    return Item ? toState(Item) : null;
  }

  async create(deposit: Deposit, at: Date): Promise<'created' | 'exists'> {
    // Written with the schema it is read back with: nothing unreadable ever reaches the table.
    parseDeposit(deposit);
    const created = await unlessConditionFails(() =>
      this.documents.send(
        new PutCommand({
          TableName: this.tableName,
          Item: {
            depositId: deposit.depositId,
            status: 'PENDING_AGENCY_SIGNATURE' satisfies DepositStatus,
            bucket: deposit.bucket,
            key: deposit.key,
            versionId: deposit.versionId,
            sha256: deposit.sha256,
            depositJson: canonicalJson(deposit),
            createdAt: at.toISOString(),
            updatedAt: at.toISOString(),
          },
          ConditionExpression: 'attribute_not_exists(depositId)',
        }),
      ),
    );
    return created ? 'created' : 'exists';
  }

  async addSignature(
    depositId: string,
    signature: PartySignature,
    from: DepositStatus,
    to: DepositStatus,
    at: Date,
    facts?: Deposit,
  ): Promise<'updated' | 'conflict'> {
    const updated = await this.updateUnlessConditionFails(depositId, {
      UpdateExpression: `SET #sig = :sig, #status = :to, updatedAt = :at${facts ? ', depositJson = :facts' : ''}`,
      ConditionExpression: '#status = :from AND attribute_not_exists(#sig)',
      ExpressionAttributeNames: { '#sig': signatureAttribute(signature.role), '#status': 'status' },
      ExpressionAttributeValues: {
        ':sig': canonicalJson(signature),
        ':to': to,
        ':from': from,
        ':at': at.toISOString(),
        ...(facts ? { ':facts': canonicalJson(facts) } : {}),
      },
    });
    return updated ? 'updated' : 'conflict';
  }

  async fail(target: string | FailedObject, failure: DepositFailure, at: Date): Promise<void> {
    if (typeof target === 'string') {
      // An appended deposit is final: it can never be turned into a failure afterwards.
      await unlessConditionFails(() =>
        this.documents.send(
          new UpdateCommand({
            TableName: this.tableName,
            Key: { depositId: target },
            UpdateExpression: 'SET #status = :failed, failureCode = :code, failureMessage = :message, updatedAt = :at',
            ConditionExpression: 'attribute_exists(depositId) AND #status <> :appended',
            ExpressionAttributeNames: { '#status': 'status' },
            ExpressionAttributeValues: {
              ':failed': 'FAILED',
              ':appended': 'APPENDED',
              ':code': failure.code,
              ':message': failure.message,
              ':at': at.toISOString(),
            },
          }),
        ),
      );
      return;
    }
    await unlessConditionFails(() =>
      this.documents.send(
        new PutCommand({
          TableName: this.tableName,
          Item: {
            depositId: target.depositId,
            status: 'FAILED' satisfies DepositStatus,
            bucket: target.bucket,
            key: target.key,
            versionId: target.versionId,
            eTag: target.eTag,
            failureCode: failure.code,
            failureMessage: failure.message,
            createdAt: at.toISOString(),
            updatedAt: at.toISOString(),
          },
          ConditionExpression: 'attribute_not_exists(depositId)',
        }),
      ),
    );
  }

  /** A conditional UpdateItem on one deposit; false when its condition failed. */
  private updateUnlessConditionFails(
    depositId: string,
    update: Omit<UpdateCommandInput, 'TableName' | 'Key'>,
  ): Promise<boolean> {
    return unlessConditionFails(() =>
      this.documents.send(new UpdateCommand({ TableName: this.tableName, Key: { depositId }, ...update })),
    );
  }
}
