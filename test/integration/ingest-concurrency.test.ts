import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LedgerRecord } from '../../core/types';
import type { LocalDeployment } from '../../tools/local-runtime/local-deployment';
import { backend, createDeployment, skipBackend } from '../support/deployment-fixture';
import { deadLetters, expectVerifiedLedger, sha256Hex } from '../support/ledger-expectations';

const UPLOADS = 50;

describe.skipIf(skipBackend)(`concurrent uploads on ${backend.name}`, () => {
  let deployment: LocalDeployment;
  const uploaded = new Map<string, string>(); // versionId → body
  let records: LedgerRecord[];

  beforeAll(async () => {
    // Several workers per stage, as Lambda would scale out, so appenders really race.
    deployment = await createDeployment('burst', {
      workers: { hasher: 4, agencySigner: 3, custodianSigner: 3, appender: 3 },
    });
    await Promise.all(
      Array.from({ length: UPLOADS }, async (_, i) => {
        const body = `evidence item ${i} of a burst`;
        // Some keys repeat, so one key gets several versions in the same burst.
        uploaded.set(await deployment.upload(`burst/item-${i % 40}.txt`, body), body);
      }),
    );
    await deployment.pipeline.runUntilIdle(180_000);
    records = await deployment.ledgerRecords();
  });
  afterAll(() => deployment?.close());

  describe(`when ${UPLOADS} objects are uploaded at once`, () => {
    it(`appends one gapless, verified chain of ${UPLOADS} records`, async () => {
      await expectVerifiedLedger(deployment, UPLOADS);
    });

    it('records every uploaded version exactly once, with its own digest', () => {
      const versions = records.map((r) => r.deposit.versionId);
      expect(new Set(versions).size).toBe(UPLOADS);
      expect(new Set(versions)).toEqual(new Set(uploaded.keys()));
      for (const record of records)
        expect(record.deposit.sha256).toBe(sha256Hex(uploaded.get(record.deposit.versionId) ?? ''));
    });

    it('leaves nothing in any dead-letter queue', async () => {
      expect(await deadLetters(deployment)).toBe(0);
    });
  });
});
