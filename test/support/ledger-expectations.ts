import { createHash } from 'node:crypto';
import { GetQueueAttributesCommand } from '@aws-sdk/client-sqs';
import { expect } from 'vitest';
import { verifyLedgerRecords } from '../../core/ledger-verification';
import type { LedgerRecord } from '../../core/types';
import type { LocalDeployment } from '../../tools/local-runtime/local-deployment';

export const sha256Hex = (bytes: Uint8Array | string): string =>
  createHash('sha256').update(bytes).digest('hex');

/** Reads the whole ledger and checks it is one verified chain of `length` records, seq 0..length-1. */
export async function expectVerifiedLedger(
  deployment: LocalDeployment,
  length: number,
): Promise<LedgerRecord[]> {
  const records = await deployment.ledgerRecords();
  expect(records.map((r) => r.seq)).toEqual(Array.from({ length }, (_, i) => i));
  const verification = await verifyLedgerRecords(records, deployment.trusted, {
    allFailures: true,
  });
  expect(verification.failures).toEqual([]);
  expect(await deployment.ledger.head()).toEqual(verification.head);
  return records;
}

/** Messages parked in the pipeline's dead-letter queues. */
export async function deadLetters(deployment: LocalDeployment): Promise<number> {
  const counts = await Promise.all(
    Object.values(deployment.resources.queues).map(async (q) => {
      const { Attributes } = await deployment.clients.sqs.send(
        new GetQueueAttributesCommand({
          QueueUrl: q.deadLetterUrl,
          AttributeNames: ['ApproximateNumberOfMessages'],
        }),
      );
      return Number(Attributes?.ApproximateNumberOfMessages ?? 0);
    }),
  );
  return counts.reduce((a, b) => a + b, 0);
}
