import { DisableKeyCommand, EnableKeyCommand } from '@aws-sdk/client-kms';
import { DeleteObjectCommand } from '@aws-sdk/client-s3';
import { ScanCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fieldsOf } from '../../tools/fakes/deposit-fields';
import { depositIdFor } from '../../core/deposit-id';
import {
  registered,
  withAgencySignature,
  withCustodianSignature,
  type DepositStatus,
} from '../../core/pipeline/deposit-state';
import { signAttestation } from '../../core/party-signatures';
import type { Deposit, PartyRole } from '../../core/types';
import { createInMemorySigner } from '../../tools/fakes/in-memory-signer';
import type { LocalDeployment } from '../../tools/local-runtime/local-deployment';
import { backend, createDeployment, skipBackend } from '../support/deployment-fixture';
import { deadLetters, expectVerifiedLedger } from '../support/ledger-expectations';

const runFor = (deployment: LocalDeployment, ms: number) => {
  const until = Date.now() + ms;
  return deployment.pipeline.runUntil(() => Promise.resolve(Date.now() > until), ms + 30_000);
};

const waitingFor: Record<PartyRole, DepositStatus> = {
  agency: 'PENDING_AGENCY_SIGNATURE',
  custodian: 'PENDING_CUSTODIAN_SIGNATURE',
};

describe.skipIf(skipBackend)(`failures on ${backend.name}`, () => {
  let deployment: LocalDeployment;
  beforeAll(async () => {
    deployment = await createDeployment('failures');
  });
  afterAll(() => deployment?.close());

  describe.each(['agency', 'custodian'] as const)('when the %s key is disabled', (role) => {
    // One scenario, in order: what happens while the key is disabled, then once it is back.
    it('keeps the deposit pending and its message queued, then appends it once the key is enabled again', async () => {
      const key = `disabled-${role}/exhibit.bin`;
      const keyId = deployment.resources.keys[role];
      const before = (await deployment.ledger.head()).nextSeq;
      await deployment.clients.kms.send(new DisableKeyCommand({ KeyId: keyId }));
      let versionId: string;
      try {
        versionId = await deployment.upload(key, `signed only once the ${role} key is back`);
        // Long enough for the signer to fail and be retried at least twice (visibility 2 s).
        await runFor(deployment, 6_000);

        const state = fieldsOf(
          await deployment.deposits.get(
            depositIdFor({ bucket: deployment.resources.evidenceBucket, key, versionId }),
          ),
        );
        expect(state?.status).toBe(waitingFor[role]);
        expect(state?.signatures[role]).toBeUndefined();
        expect((await deployment.ledger.head()).nextSeq).toBe(before);
        expect(
          (await deployment.ledgerRecords()).some((r) => r.deposit.versionId === versionId),
        ).toBe(false);
        expect(await deployment.pipeline.messagesInFlight()).toBeGreaterThan(0);
        expect(await deadLetters(deployment)).toBe(0);
      } finally {
        await deployment.clients.kms.send(new EnableKeyCommand({ KeyId: keyId }));
      }

      await deployment.pipeline.runUntilIdle(60_000);
      const records = await expectVerifiedLedger(deployment, before + 1);
      expect(records.filter((r) => r.deposit.versionId === versionId)).toHaveLength(1);
    });
  });

  describe('when the object version is deleted before it is hashed', () => {
    it('writes a clear failure record and appends nothing', async () => {
      const before = (await deployment.ledger.head()).nextSeq;
      const key = 'deleted/too-soon.txt';
      const versionId = await deployment.upload(key, 'gone before hashing');
      await deployment.clients.s3.send(
        new DeleteObjectCommand({
          Bucket: deployment.resources.evidenceBucket,
          Key: key,
          VersionId: versionId,
          BypassGovernanceRetention: true,
        }),
      );
      await deployment.pipeline.runUntilIdle(60_000);
      expect((await deployment.ledger.head()).nextSeq).toBe(before);
      const failed = await findFailure(deployment, key);
      expect(failed).toMatchObject({ status: 'FAILED', failure: { code: 'OBJECT_NOT_FOUND' } });
      expect(await deadLetters(deployment)).toBe(0);
    });
  });

  describe('when a mailbox item says APPENDED but has no seq', () => {
    it('the adapter reads the states it wrote back as written, and refuses the contradiction with STORAGE_ITEM_CORRUPT naming the deposit', async () => {
      const coordinates = {
        bucket: deployment.resources.evidenceBucket,
        key: 'contradiction/never-uploaded.txt',
        versionId: 'v1',
      };
      const deposit: Deposit = {
        ...coordinates,
        depositId: depositIdFor(coordinates),
        size: 1,
        sha256: 'a'.repeat(64),
        uploadedAt: '2026-11-24T02:32:35.000Z',
        uploader: { principalId: 'AWS:AIDAEXAMPLEUPLOADER', sourceIp: '203.0.113.7' },
        caseMetadata: {},
      };
      const [agency, custodian] = await Promise.all(
        (['agency', 'custodian'] as const).map(async (role) =>
          signAttestation(await createInMemorySigner(role), deposit),
        ),
      );
      const pending = registered(deposit);
      const agencySigned = withAgencySignature(pending, deposit, agency!);
      const approved = withCustodianSignature(agencySigned, custodian!);
      const at = new Date();
      await deployment.deposits.create(pending, at);
      await deployment.deposits.addSignature({ from: pending, to: agencySigned }, at);
      await deployment.deposits.addSignature({ from: agencySigned, to: approved }, at);
      expect(await deployment.deposits.get(deposit.depositId)).toEqual(approved);

      // As a role that may write the status (the appender) could leave it: APPENDED, no seq.
      await deployment.clients.documents.send(
        new UpdateCommand({
          TableName: deployment.resources.depositsTable,
          Key: { depositId: deposit.depositId },
          UpdateExpression: 'SET #status = :appended',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: { ':appended': 'APPENDED' },
        }),
      );
      await expect(deployment.deposits.get(deposit.depositId)).rejects.toMatchObject({
        code: 'STORAGE_ITEM_CORRUPT',
        details: { depositId: deposit.depositId, field: 'seq' },
      });
    });
  });
});

/** The failure record of `key` (keyed by ETag when the event named no version, as moto's do). */
async function findFailure(deployment: LocalDeployment, key: string) {
  const { Items } = await deployment.clients.documents.send(
    new ScanCommand({
      TableName: deployment.resources.depositsTable,
      FilterExpression: '#k = :k',
      ExpressionAttributeNames: { '#k': 'key' },
      ExpressionAttributeValues: { ':k': key },
    }),
  );
  expect(Items).toHaveLength(1);
  return deployment.deposits.get(String(Items?.[0]?.depositId));
}
