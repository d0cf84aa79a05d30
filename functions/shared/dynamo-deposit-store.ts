/**
 * DepositWriter over DynamoDB. Every write is conditional, so a redelivered event or a
 * retried Lambda can never move a deposit backwards or sign it twice.
 */
import {
  GetCommand,
  PutCommand,
  UpdateCommand,
  type DynamoDBDocumentClient,
  type UpdateCommandInput,
} from '@aws-sdk/lib-dynamodb';
import {
  addedSignature,
  corruptDeposit,
  depositStateFrom,
  type DepositState,
  type DepositStatus,
  type FailedDeposit,
  type FailedObject,
  type FailedObjectRef,
  type PendingAgencySignature,
  type SignatureStep,
} from '../../core/pipeline/deposit-state';
import type { DepositWriter } from '../../core/ports/deposits';
import { parseDeposit, parsePartySignature } from '../../core/schemas';
import { PARTY_ROLES, type PartyRole, type PartySignature } from '../../core/types';
import { canonicalJson } from '../../core/canonical-json';
import { awsCall } from './aws-errors';
import { unlessConditionFails } from './conditional-write';

const signatureAttribute = (role: string) => `signature_${role}`;

/**
 * One attribute, parsed with its schema. Several roles may write the mailbox, so a value that
 * does not parse is one of them misbehaving: a storage-integrity error naming the deposit and
 * the attribute, never a field read as absent.
 */
function parsedAttribute<T>(
  item: Record<string, unknown>,
  name: string,
  parse: (input: unknown) => T,
): T | null {
  const raw = item[name];
  if (raw === undefined) return null;
  try {
    if (typeof raw !== 'string') throw new TypeError('not a string');
    return parse(JSON.parse(raw));
  } catch (cause) {
    throw corruptDeposit(String(item.depositId), `has an unreadable ${name}`, {
      attribute: name,
      cause: String(cause),
    });
  }
}

function stringAttribute(item: Record<string, unknown>, name: string): string | null {
  const raw = item[name];
  if (raw === undefined || raw === null) return null;
  if (typeof raw !== 'string')
    throw corruptDeposit(String(item.depositId), `has a ${name} that is not a string`, {
      attribute: name,
    });
  return raw;
}

function numberAttribute(item: Record<string, unknown>, name: string): number | null {
  const raw = item[name];
  if (raw === undefined || raw === null) return null;
  if (typeof raw !== 'number')
    throw corruptDeposit(String(item.depositId), `has a ${name} that is not a number`, {
      attribute: name,
    });
  return raw;
}

/** The failure record's object, when the item names one (failure records have no facts). */
function objectOf(item: Record<string, unknown>): FailedObjectRef | null {
  const bucket = stringAttribute(item, 'bucket');
  const key = stringAttribute(item, 'key');
  if (bucket === null || key === null) return null;
  return {
    bucket,
    key,
    versionId: stringAttribute(item, 'versionId'),
    eTag: stringAttribute(item, 'eTag'),
  };
}

/** Items are read back from storage: parse each attribute, then check they fit the status. */
function toState(item: Record<string, unknown>): DepositState {
  const signatures: Partial<Record<PartyRole, PartySignature>> = {};
  for (const role of PARTY_ROLES) {
    const signature = parsedAttribute(item, signatureAttribute(role), parsePartySignature);
    if (signature) signatures[role] = signature;
  }
  const failureCode = stringAttribute(item, 'failureCode');
  return depositStateFrom({
    depositId: String(item.depositId),
    status: String(item.status),
    deposit: parsedAttribute(item, 'depositJson', parseDeposit),
    signatures,
    seq: numberAttribute(item, 'seq'),
    recordHash: stringAttribute(item, 'recordHash'),
    failure:
      failureCode === null
        ? null
        : { code: failureCode, message: stringAttribute(item, 'failureMessage') ?? '' },
    object: objectOf(item),
  });
}

export class DynamoDepositStore implements DepositWriter {
  constructor(
    private readonly documents: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async get(depositId: string): Promise<DepositState | null> {
    const { Item } = await awsCall('DynamoDB GetItem (deposit)', { depositId }, () =>
      this.documents.send(
        new GetCommand({ TableName: this.tableName, Key: { depositId }, ConsistentRead: true }),
      ),
    );
    return Item ? toState(Item) : null;
  }

  async create(state: PendingAgencySignature, at: Date): Promise<'created' | 'exists'> {
    const { deposit } = state;
    // Written with the schema it is read back with: nothing unreadable ever reaches the table.
    parseDeposit(deposit);
    const created = await unlessConditionFails(() =>
      this.documents.send(
        new PutCommand({
          TableName: this.tableName,
          Item: {
            depositId: deposit.depositId,
            status: state.status,
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

  async addSignature(step: SignatureStep, at: Date): Promise<'updated' | 'conflict'> {
    const signature = addedSignature(step);
    // The agency puts the facts it signed beside its signature; the custodian adds only its own.
    const facts = step.to.status === 'PENDING_CUSTODIAN_SIGNATURE' ? step.to.deposit : null;
    const updated = await this.updateUnlessConditionFails(step.from.depositId, {
      UpdateExpression: `SET #sig = :sig, #status = :to, updatedAt = :at${facts ? ', depositJson = :facts' : ''}`,
      ConditionExpression: '#status = :from AND attribute_not_exists(#sig)',
      ExpressionAttributeNames: { '#sig': signatureAttribute(signature.role), '#status': 'status' },
      ExpressionAttributeValues: {
        ':sig': canonicalJson(signature),
        ':to': step.to.status,
        ':from': step.from.status,
        ':at': at.toISOString(),
        ...(facts ? { ':facts': canonicalJson(facts) } : {}),
      },
    });
    return updated ? 'updated' : 'conflict';
  }

  async fail(state: FailedDeposit | FailedObject, at: Date): Promise<void> {
    const { failure } = state;
    if ('deposit' in state) {
      // An appended deposit is final: it can never be turned into a failure afterwards.
      await this.updateUnlessConditionFails(state.depositId, {
        UpdateExpression:
          'SET #status = :failed, failureCode = :code, failureMessage = :message, updatedAt = :at',
        ConditionExpression: 'attribute_exists(depositId) AND #status <> :appended',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: {
          ':failed': state.status,
          ':appended': 'APPENDED' satisfies DepositStatus,
          ':code': failure.code,
          ':message': failure.message,
          ':at': at.toISOString(),
        },
      });
      return;
    }
    await unlessConditionFails(() =>
      this.documents.send(
        new PutCommand({
          TableName: this.tableName,
          Item: {
            depositId: state.depositId,
            status: state.status,
            bucket: state.object.bucket,
            key: state.object.key,
            versionId: state.object.versionId,
            eTag: state.object.eTag,
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
      this.documents.send(
        new UpdateCommand({ TableName: this.tableName, Key: { depositId }, ...update }),
      ),
    );
  }
}
