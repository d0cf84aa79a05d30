/**
 * (c) Records appended per second: the appender's group commit (appendApproved: reads each
 * deposit, verifies both signatures, one conditional TransactWriteItems per 49 records)
 * against a plain unconditional PutItem per record, same emulator, same concurrency.
 */
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { canonicalJson } from '../../core/canonical-json';
import { appendApproved } from '../../core/pipeline/append-approved';
import {
  registered,
  withAgencySignature,
  withCustodianSignature,
} from '../../core/pipeline/deposit-state';
import { systemClock } from '../../core/ports/clock';
import type { LocalDeployment } from '../../tools/local-runtime/local-deployment';
import { approve, benchDeposit, type BenchParties } from './signed-ledger';

export interface GroupCommit {
  readonly records: number;
  readonly concurrency: number;
  readonly groupCommitPerSecond: number;
  readonly putItemPerSecond: number;
  readonly ratio: number;
}

/** Deposits in PENDING_APPEND with both signatures, written as the signers would write them. */
async function pendingAppend(
  deployment: LocalDeployment,
  parties: BenchParties,
  count: number,
): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < count; i += 49) {
    const batch = Array.from({ length: Math.min(49, count - i) }, (_, j) =>
      benchDeposit(deployment.resources.evidenceBucket, i + j),
    );
    await Promise.all(
      batch.map(async (deposit) => {
        const { signatures } = await approve(parties, deposit);
        const at = new Date();
        const pending = registered(deposit);
        await deployment.deposits.create(pending, at);
        const agencySigned = withAgencySignature(pending, deposit, signatures[0]!);
        await deployment.deposits.addSignature({ from: pending, to: agencySigned }, at);
        await deployment.deposits.addSignature(
          { from: agencySigned, to: withCustodianSignature(agencySigned, signatures[1]!) },
          at,
        );
        ids.push(deposit.depositId);
      }),
    );
  }
  return ids;
}

/** Runs `work` on `items` split into chunks, `concurrency` workers at a time; returns seconds. */
async function timed<T>(
  items: readonly T[],
  chunk: number,
  concurrency: number,
  work: (part: T[]) => Promise<void>,
): Promise<number> {
  const parts: T[][] = [];
  for (let i = 0; i < items.length; i += chunk) parts.push(items.slice(i, i + chunk));
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      for (let part = parts.shift(); part; part = parts.shift()) await work(part);
    }),
  );
  return (performance.now() - started) / 1000;
}

export async function measureGroupCommit(
  deployment: LocalDeployment,
  parties: BenchParties,
  records: number,
  concurrency: number,
): Promise<GroupCommit> {
  const ids = await pendingAppend(deployment, parties, records);
  const deps = {
    deposits: deployment.deposits,
    ledger: deployment.ledger,
    trusted: parties.trusted,
    clock: systemClock,
  };
  const outcome = { appended: 0, settled: 0, notReady: 0 };
  const groupSeconds = await timed(ids, 49, concurrency, async (batch) => {
    const report = await appendApproved(batch, deps);
    outcome.appended += report.appended.length;
    outcome.settled += report.settled.length;
    outcome.notReady += report.notReady.length;
  });
  const appended = (await deployment.ledger.head()).nextSeq;
  if (appended !== records)
    throw new Error(`group commit appended ${appended} of ${records}: ${JSON.stringify(outcome)}`);
  const stored = await deployment.ledger.read(0, records);
  const putSeconds = await timed(stored, 1, concurrency, async ([record]) => {
    await deployment.clients.documents.send(
      new PutCommand({
        TableName: deployment.resources.ledgerTable,
        Item: {
          pk: 'bench-put',
          seq: record!.seq,
          recordHash: record!.recordHash,
          depositId: record!.deposit.depositId,
          recordJson: canonicalJson(record),
        },
      }),
    );
  });
  const groupCommitPerSecond = records / groupSeconds;
  const putItemPerSecond = records / putSeconds;
  return {
    records,
    concurrency,
    groupCommitPerSecond,
    putItemPerSecond,
    ratio: groupCommitPerSecond / putItemPerSecond,
  };
}
