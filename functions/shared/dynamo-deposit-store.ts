/**
 * DepositStore over DynamoDB. Every write is conditional, so a redelivered event or a
 * retried Lambda can never move a deposit backwards or sign it twice.
 */
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import {
  GetCommand,
  PutCommand,
  UpdateCommand,
  type DynamoDBDocumentClient,
  type UpdateCommandInput,
} from '@aws-sdk/lib-dynamodb';
import type {
  DepositFailure,
  DepositState,
  DepositStatus,
  DepositStore,
  FailedObject,
  HashCheckpoint,
  HashingParty,
} from '../../core/pipeline/ports';
import { hashCheckpointSchema, parseDeposit, parseDepositDraft, parsePartySignature, parseWith } from '../../core/schemas';
import type { Deposit, DepositDraft, PartySignature } from '../../core/types';
import { PARTY_ROLES } from '../../core/types';
import { canonicalJson } from '../../core/canonical-json';

const signatureAttribute = (role: string) => `signature_${role}`;
/** A party's checkpoint: the offset is its own attribute, so that writes can be conditional on it. */
const offsetAttribute = (party: HashingParty) => `hashOffset_${party}`;
const stateAttribute = (party: HashingParty) => `hashState_${party}`;
const HASHING_PARTIES: readonly HashingParty[] = ['hasher', 'custodian'];
/** The status in which each party hashes. */
const HASHING_STATUS: Readonly<Record<HashingParty, DepositStatus>> = {
  hasher: 'HASHING',
  custodian: 'PENDING_CUSTODIAN_SIGNATURE',
};

function checkpointsOf(item: Record<string, unknown>): Partial<Record<HashingParty, HashCheckpoint>> {
  const checkpoints: Partial<Record<HashingParty, HashCheckpoint>> = {};
  for (const party of HASHING_PARTIES) {
    const offset = item[offsetAttribute(party)];
    if (offset === undefined) continue;
    const raw = { offset, state: item[stateAttribute(party)] };
    checkpoints[party] = parseWith(hashCheckpointSchema, raw, `${party} hash checkpoint`);
  }
  return checkpoints;
}

async function unlessConditionFails(write: () => Promise<unknown>): Promise<boolean> {
  try {
    await write();
    return true;
  } catch (error) {
    if (error instanceof ConditionalCheckFailedException) return false;
    throw error;
  }
}

/** Items are read back from storage: parse them, never trust their shape. */
function toState(item: Record<string, unknown>): DepositState {
  const signatures: Partial<Record<(typeof PARTY_ROLES)[number], PartySignature>> = {};
  for (const role of PARTY_ROLES) {
    const raw = item[signatureAttribute(role)];
    if (typeof raw === 'string') signatures[role] = parsePartySignature(JSON.parse(raw));
  }
  const { depositJson, draftJson } = item;
  return {
    depositId: String(item.depositId),
    status: item.status as DepositStatus,
    deposit: typeof depositJson === 'string' ? parseDeposit(JSON.parse(depositJson)) : null,
    draft: typeof draftJson === 'string' ? parseDepositDraft(JSON.parse(draftJson)) : null,
    checkpoints: checkpointsOf(item),
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

  /** Replaces a HASHING item whole, so its draft and checkpoint go with it. */
  async create(deposit: Deposit, at: Date): Promise<'created' | 'exists'> {
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
          ConditionExpression: 'attribute_not_exists(depositId) OR #status = :hashing',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: { ':hashing': 'HASHING' satisfies DepositStatus },
        }),
      ),
    );
    return created ? 'created' : 'exists';
  }

  async startHashing(draft: DepositDraft, checkpoint: HashCheckpoint, at: Date): Promise<'saved' | 'conflict'> {
    const saved = await unlessConditionFails(() =>
      this.documents.send(
        new PutCommand({
          TableName: this.tableName,
          Item: {
            depositId: draft.depositId,
            status: 'HASHING' satisfies DepositStatus,
            bucket: draft.bucket,
            key: draft.key,
            versionId: draft.versionId,
            draftJson: canonicalJson(draft),
            [offsetAttribute('hasher')]: checkpoint.offset,
            [stateAttribute('hasher')]: checkpoint.state,
            createdAt: at.toISOString(),
            updatedAt: at.toISOString(),
          },
          ConditionExpression: 'attribute_not_exists(depositId)',
        }),
      ),
    );
    return saved ? 'saved' : 'conflict';
  }

  async saveHashProgress(
    depositId: string,
    party: HashingParty,
    from: HashCheckpoint | null,
    to: HashCheckpoint,
    at: Date,
  ): Promise<'saved' | 'conflict'> {
    const saved = await this.updateUnlessConditionFails(depositId, {
      UpdateExpression: 'SET #offset = :to, #state = :state, updatedAt = :at',
      ConditionExpression: `#status = :status AND ${from ? '#offset = :from' : 'attribute_not_exists(#offset)'}`,
      ExpressionAttributeNames: { '#status': 'status', '#offset': offsetAttribute(party), '#state': stateAttribute(party) },
      ExpressionAttributeValues: {
        ':status': HASHING_STATUS[party],
        ':to': to.offset,
        ':state': to.state,
        ':at': at.toISOString(),
        ...(from ? { ':from': from.offset } : {}),
      },
    });
    return saved ? 'saved' : 'conflict';
  }

  async addSignature(
    depositId: string,
    signature: PartySignature,
    from: DepositStatus,
    to: DepositStatus,
    at: Date,
  ): Promise<'updated' | 'conflict'> {
    const updated = await this.updateUnlessConditionFails(depositId, {
      UpdateExpression: 'SET #sig = :sig, #status = :to, updatedAt = :at',
      ConditionExpression: '#status = :from AND attribute_not_exists(#sig)',
      ExpressionAttributeNames: { '#sig': signatureAttribute(signature.role), '#status': 'status' },
      ExpressionAttributeValues: {
        ':sig': canonicalJson(signature),
        ':to': to,
        ':from': from,
        ':at': at.toISOString(),
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
