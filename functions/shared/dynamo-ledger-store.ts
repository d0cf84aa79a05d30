/**
 * LedgerAppender over DynamoDB. An append is one transaction that advances the chain head
 * conditionally on its previous value, puts each record only if its sequence number is
 * free, marks each deposit APPENDED only if it was still PENDING_APPEND, and puts one
 * marker per deposit id in the ledger table only if none exists. So two appenders can never
 * fork the chain, skip a number, or append one deposit twice, even if a role that can write
 * the Deposits mailbox turns an APPENDED deposit back into a pending one.
 */
import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import {
  GetCommand,
  QueryCommand,
  TransactWriteCommand,
  type DynamoDBDocumentClient,
} from '@aws-sdk/lib-dynamodb';
import { canonicalJson } from '../../core/canonical-json';
import type { DepositMarker, DepositMarkers } from '../../core/audit/reconcile-ports';
import { APPEND_STEP } from '../../core/pipeline/deposit-state';
import type { AppendOutcome, LedgerAppender, LedgerReader } from '../../core/ports/ledger';
import { parseLedgerRecord } from '../../core/schemas';
import { GENESIS_HEAD, type ChainHead, type LedgerRecord } from '../../core/types';
import { awsCall, typedAwsError } from './aws-errors';
import { parseStoredJson } from './stored-json';

const HEAD_KEY = { pk: 'head', seq: 0 } as const;
const RECORD_PK = 'record';
/** One item per appended deposit id: the ledger's own memory that it holds that deposit. */
export const depositMarkerKey = (depositId: string) =>
  ({ pk: `deposit#${depositId}`, seq: 0 }) as const;

/** The ledger's tables read only: what the anchor, the auditor and the co-signers are given. */
export class DynamoLedgerReader implements LedgerReader, DepositMarkers {
  constructor(
    protected readonly documents: DynamoDBDocumentClient,
    protected readonly ledgerTable: string,
  ) {}

  async head(): Promise<ChainHead> {
    const { Item } = await awsCall('DynamoDB GetItem (ledger head)', {}, () =>
      this.documents.send(
        new GetCommand({ TableName: this.ledgerTable, Key: HEAD_KEY, ConsistentRead: true }),
      ),
    );
    if (!Item) return GENESIS_HEAD;
    return { nextSeq: Number(Item.nextSeq), lastHash: String(Item.lastHash) };
  }

  /** The ledger's marker of an appended deposit, if it holds one. */
  async find(depositId: string): Promise<DepositMarker | null> {
    const { Item } = await awsCall('DynamoDB GetItem (deposit marker)', { depositId }, () =>
      this.documents.send(
        new GetCommand({
          TableName: this.ledgerTable,
          Key: depositMarkerKey(depositId),
          ConsistentRead: true,
        }),
      ),
    );
    if (!Item) return null;
    const recordSeq = Number(Item.recordSeq);
    if (!Number.isSafeInteger(recordSeq) || recordSeq < 0) return { recordSeq: -1, recordHash: '' };
    return { recordSeq, recordHash: String(Item.recordHash) };
  }

  /**
   * Records with fromSeq <= seq < toSeq, in order. An item that does not parse throws
   * RECORD_CORRUPT with its seq (the item's key), so an audit can report it and read on
   * past it (core/audit/ledger-page.ts). A record filed under another seq parses: the
   * chain walk reports it (CHAIN_GAP, CHAIN_DUPLICATE).
   */
  async read(fromSeq: number, toSeq: number): Promise<LedgerRecord[]> {
    const records: LedgerRecord[] = [];
    if (toSeq <= fromSeq) return records;
    let startKey: Record<string, unknown> | undefined;
    do {
      const command = new QueryCommand({
        TableName: this.ledgerTable,
        KeyConditionExpression: 'pk = :pk AND seq BETWEEN :from AND :to',
        ExpressionAttributeValues: { ':pk': RECORD_PK, ':from': fromSeq, ':to': toSeq - 1 },
        ConsistentRead: true,
        ...(startKey ? { ExclusiveStartKey: startKey } : {}),
      });
      const page = await awsCall(
        'DynamoDB Query (ledger records)',
        { table: this.ledgerTable, fromSeq, toSeq },
        () => this.documents.send(command),
      );
      // Stored items are attacker-controlled as far as a verifier is concerned: parse them.
      for (const item of page.Items ?? []) records.push(this.recordOf(item));
      startKey = page.LastEvaluatedKey;
    } while (startKey);
    return records;
  }

  private recordOf(item: Record<string, unknown>): LedgerRecord {
    const seq = Number(item.seq);
    const details = { table: this.ledgerTable, seq };
    return parseStoredJson(item.recordJson, parseLedgerRecord, {
      what: `ledger record ${seq}`,
      code: 'RECORD_CORRUPT',
      details,
    });
  }
}

/** The appender's ledger: its append transaction also moves the deposits in the Deposits table. */
export class DynamoLedgerStore extends DynamoLedgerReader implements LedgerAppender {
  constructor(
    documents: DynamoDBDocumentClient,
    ledgerTable: string,
    private readonly depositsTable: string,
  ) {
    super(documents, ledgerTable);
  }

  async append(
    expected: ChainHead,
    records: readonly LedgerRecord[],
    next: ChainHead,
    at: Date,
  ): Promise<AppendOutcome> {
    const headCondition =
      expected.nextSeq === 0
        ? { ConditionExpression: 'attribute_not_exists(pk)' }
        : {
            ConditionExpression: 'nextSeq = :expectedSeq AND lastHash = :expectedHash',
            ExpressionAttributeValues: {
              ':expectedSeq': expected.nextSeq,
              ':expectedHash': expected.lastHash,
            },
          };
    const items = [
      {
        Put: {
          TableName: this.ledgerTable,
          Item: {
            ...HEAD_KEY,
            nextSeq: next.nextSeq,
            lastHash: next.lastHash,
            updatedAt: at.toISOString(),
          },
          ...headCondition,
        },
      },
      ...records.map((record) => ({
        Put: {
          TableName: this.ledgerTable,
          Item: {
            pk: RECORD_PK,
            seq: record.seq,
            recordHash: record.recordHash,
            depositId: record.deposit.depositId,
            recordJson: canonicalJson(record),
          },
          ConditionExpression: 'attribute_not_exists(pk)',
        },
      })),
      ...records.map((record) => ({
        Update: {
          TableName: this.depositsTable,
          Key: { depositId: record.deposit.depositId },
          UpdateExpression:
            'SET #status = :appended, seq = :seq, recordHash = :hash, updatedAt = :at',
          ConditionExpression: '#status = :pending',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: {
            ':appended': APPEND_STEP.to,
            ':pending': APPEND_STEP.from,
            ':seq': record.seq,
            ':hash': record.recordHash,
            ':at': at.toISOString(),
          },
        },
      })),
      ...records.map((record) => ({
        Put: {
          TableName: this.ledgerTable,
          Item: {
            ...depositMarkerKey(record.deposit.depositId),
            recordSeq: record.seq,
            recordHash: record.recordHash,
          },
          ConditionExpression: 'attribute_not_exists(pk)',
        },
      })),
    ];
    try {
      await this.documents.send(new TransactWriteCommand({ TransactItems: items }));
      return { kind: 'appended' };
    } catch (error) {
      if (!(error instanceof TransactionCanceledException))
        throw typedAwsError(error, 'DynamoDB TransactWriteItems (append)', {
          records: records.length,
        });
      return appendOutcomeOfCancellation(error.CancellationReasons ?? [], records);
    }
  }
}

/**
 * What a cancelled append transaction means, from DynamoDB's per-item cancellation reasons
 * (in TransactItems order: head, records, deposits, markers). Exported so the interleaving
 * store (tools/fakes/interleaving-ledger-store.ts) reads its reasons with this same code.
 */
export function appendOutcomeOfCancellation(
  reasons: readonly { readonly Code?: string | undefined }[],
  records: readonly LedgerRecord[],
): AppendOutcome {
  const depositReasons = reasons.slice(1 + records.length, 1 + 2 * records.length);
  const markerReasons = reasons.slice(1 + 2 * records.length);
  const taken = (i: number) =>
    depositReasons[i]?.Code === 'ConditionalCheckFailed' ||
    markerReasons[i]?.Code === 'ConditionalCheckFailed';
  const alreadyAppended = records.filter((_, i) => taken(i)).map((r) => r.deposit.depositId);
  if (alreadyAppended.length > 0) return { kind: 'already-appended', depositIds: alreadyAppended };
  // A moved head, a taken sequence number or a concurrent transaction: rebuild on a fresh head.
  return { kind: 'head-moved' };
}
