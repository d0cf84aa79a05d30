/**
 * PartyStateStore over one party's own DynamoDB table: only that party's roles (its hasher or
 * signer, its co-signer) may write it, and in a two-account deployment it lives in the party's
 * account. Per deposit, `deposit#<id>` holds the draft and unfinished digest while hashing,
 * then the facts; `signed#<id>` the signature given (and, from the co-signer, the seq it was
 * co-signed at). Every write is conditional, and every value is parsed when read back: the
 * table is storage, and storage is not trusted blindly.
 */
import {
  GetCommand,
  PutCommand,
  UpdateCommand,
  type DynamoDBDocumentClient,
} from '@aws-sdk/lib-dynamodb';
import { canonicalJson } from '../../core/canonical-json';
import { unlessConditionFails } from './conditional-write';
import type { HashCheckpoint } from '../../core/ports/evidence-objects';
import type { PartyDepositState, PartyStateStore } from '../../core/ports/party-state';
import {
  hashCheckpointSchema,
  parseDeposit,
  parseDepositDraft,
  parsePartySignature,
  parseWith,
} from '../../core/schemas';
import type { Deposit, DepositDraft, PartySignature } from '../../core/types';

export const partyDepositKey = (depositId: string): string => `deposit#${depositId}`;
/**
 * The signature a party gave is an item of its own: the role that establishes facts (the
 * agency's hasher) may write only `deposit#` items and the role that signs only `signed#`
 * items (IAM `dynamodb:LeadingKeys`), so neither can erase or rewrite what the other wrote.
 */
export const partySignatureKey = (depositId: string): string => `signed#${depositId}`;

const parsedJson = <T>(value: unknown, parse: (input: unknown) => T): T | null =>
  typeof value === 'string' ? parse(JSON.parse(value)) : null;

function toPartyState(
  depositId: string,
  item: Record<string, unknown> | undefined,
  signed: Record<string, unknown> | undefined,
): PartyDepositState {
  if (!item)
    return {
      depositId,
      draft: null,
      checkpoint: null,
      facts: null,
      signature: parsedJson(signed?.signatureJson, parsePartySignature),
    };
  const checkpoint =
    item.hashOffset === undefined
      ? null
      : parseWith(
          hashCheckpointSchema,
          { offset: item.hashOffset, state: item.hashState },
          'hash checkpoint',
        );
  return {
    depositId,
    draft: parsedJson(item.draftJson, parseDepositDraft),
    checkpoint,
    facts: parsedJson(item.factsJson, parseDeposit),
    signature: parsedJson(signed?.signatureJson, parsePartySignature),
  };
}

export class DynamoPartyStore implements PartyStateStore {
  constructor(
    private readonly documents: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async get(depositId: string): Promise<PartyDepositState | null> {
    const read = (pk: string) =>
      this.documents.send(
        new GetCommand({ TableName: this.tableName, Key: { pk }, ConsistentRead: true }),
      );
    const [deposit, signed] = await Promise.all([
      read(partyDepositKey(depositId)),
      read(partySignatureKey(depositId)),
    ]);
    if (!deposit.Item && !signed.Item) return null;
    return toPartyState(depositId, deposit.Item, signed.Item);
  }

  async saveHashProgress(
    draft: DepositDraft,
    from: HashCheckpoint | null,
    to: HashCheckpoint,
    at: Date,
  ): Promise<'saved' | 'conflict'> {
    parseDepositDraft(draft);
    parseWith(hashCheckpointSchema, to, 'hash checkpoint');
    const pk = partyDepositKey(draft.depositId);
    const saved = await unlessConditionFails(() =>
      from === null
        ? this.documents.send(
            new PutCommand({
              TableName: this.tableName,
              Item: {
                pk,
                depositId: draft.depositId,
                draftJson: canonicalJson(draft),
                hashOffset: to.offset,
                hashState: to.state,
                createdAt: at.toISOString(),
                updatedAt: at.toISOString(),
              },
              ConditionExpression: 'attribute_not_exists(pk)',
            }),
          )
        : this.documents.send(
            new UpdateCommand({
              TableName: this.tableName,
              Key: { pk },
              UpdateExpression: 'SET hashOffset = :to, hashState = :state, updatedAt = :at',
              // The checkpoint belongs to exactly these facts, and only the one it started from moves.
              ConditionExpression:
                'hashOffset = :from AND draftJson = :draft AND attribute_not_exists(factsJson)',
              ExpressionAttributeValues: {
                ':to': to.offset,
                ':state': to.state,
                ':from': from.offset,
                ':draft': canonicalJson(draft),
                ':at': at.toISOString(),
              },
            }),
          ),
    );
    return saved ? 'saved' : 'conflict';
  }

  async recordFacts(facts: Deposit, at: Date): Promise<'saved' | 'exists'> {
    parseDeposit(facts);
    const saved = await unlessConditionFails(() =>
      this.documents.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: { pk: partyDepositKey(facts.depositId) },
          UpdateExpression:
            'SET depositId = :id, factsJson = :facts, updatedAt = :at, createdAt = if_not_exists(createdAt, :at)',
          ConditionExpression: 'attribute_not_exists(factsJson)',
          ExpressionAttributeValues: {
            ':id': facts.depositId,
            ':facts': canonicalJson(facts),
            ':at': at.toISOString(),
          },
        }),
      ),
    );
    return saved ? 'saved' : 'exists';
  }

  /**
   * The co-signer's mark on this party's signature item: the seq at which it co-signed the
   * deposit, set once; 'other-seq' if it was co-signed at another seq before.
   */
  async markCosigned(depositId: string, seq: number): Promise<'marked' | 'other-seq'> {
    const marked = await unlessConditionFails(() =>
      this.documents.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: { pk: partySignatureKey(depositId) },
          UpdateExpression: 'SET cosignedSeq = :seq',
          ConditionExpression:
            'attribute_exists(pk) AND (attribute_not_exists(cosignedSeq) OR cosignedSeq = :seq)',
          ExpressionAttributeValues: { ':seq': seq },
        }),
      ),
    );
    return marked ? 'marked' : 'other-seq';
  }

  async recordSignature(
    depositId: string,
    signature: PartySignature,
    at: Date,
  ): Promise<'saved' | 'exists'> {
    parsePartySignature(signature);
    const saved = await unlessConditionFails(() =>
      this.documents.send(
        new PutCommand({
          TableName: this.tableName,
          Item: {
            pk: partySignatureKey(depositId),
            depositId,
            signatureJson: canonicalJson(signature),
            signedAt: at.toISOString(),
          },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      ),
    );
    return saved ? 'saved' : 'exists';
  }
}
