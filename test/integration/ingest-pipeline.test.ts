import { beforeAll, describe, expect, it } from 'vitest';
import { depositIdFor } from '../../core/deposit-id';
import type { LocalDeployment } from '../../tools/local-runtime/local-deployment';
import { backend, skipBackend } from '../support/deployment-fixture';
import { deploymentOfItsOwn } from '../support/own-deployment';
import { expectVerifiedLedger, sha256Hex } from '../support/ledger-expectations';

// Each group of tests has its own deployment: the first counts from seq 0 whatever ran before.
describe.skipIf(skipBackend)(`ingest pipeline on ${backend.name}`, () => {
  describe('when one object is uploaded', () => {
    const body = 'Exhibit 14: statement of witness W-07, recorded 2026-11-20.';
    const ownDeployment = deploymentOfItsOwn('ingest-one');
    let deployment: LocalDeployment;
    let versionId: string;
    beforeAll(async () => {
      deployment = ownDeployment();
      versionId = await deployment.upload('case-9/w07.txt', body, {
        'case-id': 'CASE-9',
        Exhibit: '14',
      });
      await deployment.pipeline.runUntilIdle(60_000);
    });

    it('appends one record approved by both parties, at seq 0', async () => {
      const [record] = await expectVerifiedLedger(deployment, 1);
      expect(record?.signatures.map((s) => [s.role, s.keyId])).toEqual([
        ['agency', deployment.resources.keys.agency],
        ['custodian', deployment.resources.keys.custodian],
      ]);
    });

    it('records the exact version, its size and its SHA-256', async () => {
      const [record] = await deployment.ledgerRecords();
      expect(record?.deposit).toMatchObject({
        bucket: deployment.resources.evidenceBucket,
        key: 'case-9/w07.txt',
        versionId,
        size: Buffer.byteLength(body),
        sha256: sha256Hex(body),
        depositId: depositIdFor({
          bucket: deployment.resources.evidenceBucket,
          key: 'case-9/w07.txt',
          versionId,
        }),
        caseMetadata: { 'case-id': 'CASE-9', exhibit: '14' },
      });
    });

    it('marks the deposit APPENDED with its sequence number', async () => {
      const [record] = await deployment.ledgerRecords();
      const state = await deployment.deposits.get(record?.deposit.depositId ?? '');
      expect(state).toMatchObject({ status: 'APPENDED', seq: 0 });
    });
  });

  describe('when a zero-byte object is uploaded', () => {
    const ownDeployment = deploymentOfItsOwn('ingest-empty');
    it('records size 0 and the SHA-256 of the empty string', async () => {
      const deployment = ownDeployment();
      const versionId = await deployment.upload('case-9/empty.bin', new Uint8Array(0));
      await deployment.pipeline.runUntilIdle(60_000);
      const records = await deployment.ledgerRecords();
      const record = records.find((r) => r.deposit.versionId === versionId);
      expect(record?.deposit.size).toBe(0);
      expect(record?.deposit.sha256).toBe(
        'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
      );
    });
  });

  describe('when keys hold spaces, "+", "/" and non-ASCII characters', () => {
    const keys = [
      'case 9/photo 1.jpg',
      'case-9/a+b=c.txt',
      'case-9/dir/sub dir/ünïcødé 証拠 #1.txt',
      'case-9/100%+plus space.bin',
    ];
    const ownDeployment = deploymentOfItsOwn('ingest-keys');

    it('records each key exactly as uploaded', async () => {
      const deployment = ownDeployment();
      const versions = new Map<string, string>();
      for (const key of keys) versions.set(await deployment.upload(key, `content of ${key}`), key);
      await deployment.pipeline.runUntilIdle(60_000);
      const records = await deployment.ledgerRecords();
      for (const [versionId, key] of versions) {
        const record = records.find((r) => r.deposit.versionId === versionId);
        expect(record?.deposit.key).toBe(key);
        expect(record?.deposit.sha256).toBe(sha256Hex(`content of ${key}`));
      }
      await expectVerifiedLedger(deployment, records.length);
    });
  });
});
