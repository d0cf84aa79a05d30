import { DeleteObjectCommand } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditTrust } from '../../core/audit/audit-trust';
import { trustedKeysFile } from '../../core/audit/export-bundle';
import { parseTrustedKeys, verifyBundle } from '../../core/bundle';
import { signCheckpoint } from '../../core/checkpoint/signed-checkpoint';
import { hexToBytes } from '../../core/encoding';
import { sealRecord, recordBody } from '../../core/record';
import { parseLedgerRecord } from '../../core/schemas';
import { KmsSigner } from '../../functions/shared/kms-signer';
import { partyNoteKeyName } from '../../core/checkpoint/note-key';
import type { LocalDeployment } from '../../tools/local-runtime/local-deployment';
import { startLocalTsa, type LocalTsa } from '../../tools/tsa/local-tsa';
import { backend, createDeployment, skipBackend } from '../support/deployment-fixture';
import {
  editCheckpoint,
  editItem,
  editRecordJson,
  storedRecordJson,
  type Restore,
} from '../support/ledger-tampering';

type Failure = { check: string; code: string; seq?: number; treeSize?: number };
type Report = {
  verdict: string;
  failures: Failure[];
  firstFailure: Failure | null;
  cursor?: string | null;
};

describe.skipIf(skipBackend)(`auditor on ${backend.name}`, () => {
  let deployment: LocalDeployment;
  let tsa: LocalTsa;
  const depositIds: string[] = [];
  const verifyLedger = async (extra: Record<string, unknown> = {}) =>
    (await deployment.auditor({
      action: 'verifyLedger',
      full: true,
      ...extra,
    })) as unknown as Report;

  /** Applies a tampering, runs verifyLedger, undoes it, and returns the report. */
  async function auditWith(tamper: () => Promise<Restore>): Promise<Report> {
    const restore = await tamper();
    try {
      return await verifyLedger();
    } finally {
      await restore();
    }
  }

  beforeAll(async () => {
    tsa = await startLocalTsa();
    deployment = await createDeployment('auditor', {
      tsaUrl: tsa.url,
      tsaCertificatePem: tsa.certificatePem,
    });
    for (let i = 0; i < 3; i++) await deployment.upload(`audit/exhibit-${i}.txt`, `exhibit ${i}`);
    await deployment.pipeline.runUntilIdle(60_000);
    await deployment.anchor();
    for (let i = 3; i < 6; i++) await deployment.upload(`audit/exhibit-${i}.txt`, `exhibit ${i}`);
    await deployment.pipeline.runUntilIdle(60_000);
    await deployment.anchor();
    depositIds.push(...(await deployment.ledgerRecords()).map((r) => r.deposit.depositId));
  });
  afterAll(async () => {
    deployment?.close();
    await tsa?.stop();
  });

  describe('on an untouched ledger', () => {
    it('verifyLedger finds every record, checkpoint, WORM copy and timestamp valid', async () => {
      const report = await deployment.auditor({ action: 'verifyLedger' });
      expect(report).toMatchObject({
        verdict: 'valid',
        recordsChecked: 6,
        checkpointsChecked: 2,
        cursor: null,
        failures: [],
      });
    });

    it('verifyLedger continues across invocations with a cursor', async () => {
      let report = await verifyLedger({ maxRecords: 2 });
      let invocations = 1;
      while (report.cursor) {
        expect(report.verdict).toBe('incomplete');
        report = await verifyLedger({ cursor: report.cursor, maxRecords: 2 });
        invocations++;
      }
      expect(invocations).toBe(3);
      expect(report.verdict).toBe('valid');
    });

    it('verifyEvidence re-hashes the object and proves its inclusion in the latest checkpoint', async () => {
      const report = await deployment.auditor({
        action: 'verifyEvidence',
        depositId: depositIds[4],
      });
      expect(report).toMatchObject({ verdict: 'valid', inclusion: { seq: 4, treeSize: 6 } });
    });

    it('proveConsistency proves checkpoint 3 is a prefix of checkpoint 6', async () => {
      expect(
        await deployment.auditor({ action: 'proveConsistency', fromSize: 3, toSize: 6 }),
      ).toMatchObject({ verdict: 'valid', fromSize: 3, toSize: 6 });
    });

    it('exportBundle gives a bundle the offline verifier accepts with the trusted keys', async () => {
      const response = await deployment.auditor({
        action: 'exportBundle',
        depositIds: [depositIds[0], depositIds[5]],
      });
      const trust = await auditTrust(deployment.origin, deployment.trusted);
      const trusted = parseTrustedKeys(await trustedKeysFile(trust, tsa.certificatePem));
      const report = await verifyBundle(response.bundle, trusted, { requireTimestamp: true });
      expect(report.firstFailure ?? null).toBeNull();
      expect(report.ok).toBe(true);
    });

    it('answers a malformed request with INVALID_INPUT', async () => {
      expect(
        await deployment.auditor({ action: 'verifyLedger', full: true, fromSeq: -1 }),
      ).toMatchObject({
        verdict: 'error',
        error: { code: 'INVALID_INPUT' },
      });
    });
  });

  describe('tamper suite: direct edits of DynamoDB items and S3 objects', () => {
    /** The report is invalid and the first failure it names is this one. */
    const expectFirst = (report: Report, failure: Partial<Failure>) => {
      expect(report.verdict).toBe('invalid');
      expect(report.firstFailure).toMatchObject(failure);
      expect(report.failures[0]).toEqual(report.firstFailure);
    };
    /** The report is invalid and names this failure among others (not necessarily first). */
    const expectAlsoReported = (report: Report, failure: Partial<Failure>) => {
      expect(report.verdict).toBe('invalid');
      expect(report.failures).toContainEqual(expect.objectContaining(failure));
    };

    it('a changed digest fails RECORD_HASH_MISMATCH at that record', async () => {
      const report = await auditWith(() =>
        editRecordJson(deployment, 2, (r) => ({
          ...r,
          deposit: { ...(r.deposit as object), sha256: 'f'.repeat(64) },
        })),
      );
      expectFirst(report, { check: 'record', code: 'RECORD_HASH_MISMATCH', seq: 2 });
    });

    it('changed case metadata fails RECORD_HASH_MISMATCH', async () => {
      const report = await auditWith(() =>
        editRecordJson(deployment, 1, (r) => ({
          ...r,
          deposit: { ...(r.deposit as object), caseMetadata: { exhibit: 'forged' } },
        })),
      );
      expectFirst(report, { check: 'record', code: 'RECORD_HASH_MISMATCH', seq: 1 });
    });

    it('a dropped record fails CHAIN_GAP after it', async () => {
      const report = await auditWith(() =>
        editItem(
          deployment,
          deployment.resources.ledgerTable,
          { pk: 'record', seq: 2 },
          () => null,
        ),
      );
      // The deposit whose record is gone is found first (evidence before chain), then the gap.
      expectFirst(report, { check: 'evidence-record', code: 'RECORD_MISSING', seq: 2 });
      expectAlsoReported(report, { code: 'CHAIN_GAP', seq: 3 });
    });

    it('a record that does not parse fails RECORD_CORRUPT at its seq, and the audit checks the records after it', async () => {
      const report = await auditWith(() =>
        editItem(
          deployment,
          deployment.resources.ledgerTable,
          { pk: 'record', seq: 2 },
          (item) => ({ ...item, recordJson: '{"seq":2,"cut' }),
        ),
      );
      expectFirst(report, { check: 'evidence-record', code: 'RECORD_CORRUPT', seq: 2 });
      expectAlsoReported(report, { check: 'record', code: 'RECORD_CORRUPT', seq: 2 });
      expectAlsoReported(report, { check: 'record', code: 'CHAIN_LINK_MISMATCH', seq: 3 });
      expect(report).toMatchObject({ recordsChecked: 6 });
    });

    it('a duplicated record fails CHAIN_DUPLICATE', async () => {
      const copy = await storedRecordJson(deployment, 1);
      const report = await auditWith(() => editRecordJson(deployment, 2, () => copy));
      expectFirst(report, { check: 'evidence-record', code: 'RECORD_MISSING', seq: 2 });
      expectAlsoReported(report, { check: 'record', code: 'CHAIN_DUPLICATE' });
    });

    it('two records swapped fail the chain', async () => {
      const [one, two] = [
        await storedRecordJson(deployment, 1),
        await storedRecordJson(deployment, 2),
      ];
      const restoreOne = await editRecordJson(deployment, 1, () => two);
      const report = await auditWith(() => editRecordJson(deployment, 2, () => one)).finally(
        restoreOne,
      );
      expect(report.verdict).toBe('invalid');
      // The ledger's markers say where each deposit was appended: both seqs now hold another's.
      expect(report.firstFailure).toMatchObject({
        check: 'evidence-record',
        code: 'RECORD_MISSING',
      });
      const chain = report.failures.find((f) => f.check === 'record');
      expect(chain?.code).toMatch(/^CHAIN_/);
      expect([1, 2]).toContain(chain?.seq);
    });

    it('an inserted, re-linked record with borrowed signatures fails SIGNATURE_INVALID and the checkpoint root', async () => {
      const original = parseLedgerRecord(await storedRecordJson(deployment, 2));
      const donor = parseLedgerRecord(await storedRecordJson(deployment, 0));
      const forged = sealRecord({
        ...recordBody(original),
        deposit: { ...original.deposit, sha256: 'a'.repeat(64) },
        signatures: donor.signatures,
      });
      const report = await auditWith(() => editRecordJson(deployment, 2, () => ({ ...forged })));
      expectFirst(report, { code: 'SIGNATURE_INVALID', seq: 2 });
      expectAlsoReported(report, { check: 'checkpoint-root', code: 'ROOT_MISMATCH', treeSize: 3 });
    });

    it('a signature replaced by a valid signature over other data fails SIGNATURE_INVALID', async () => {
      const target = parseLedgerRecord(await storedRecordJson(deployment, 3));
      const donor = parseLedgerRecord(await storedRecordJson(deployment, 4));
      const forged = sealRecord({
        ...recordBody(target),
        signatures: [donor.signatures[0]!, target.signatures[1]!],
      });
      const report = await auditWith(() => editRecordJson(deployment, 3, () => ({ ...forged })));
      expectFirst(report, { check: 'record', code: 'SIGNATURE_INVALID', seq: 3 });
    });

    it('a rewritten checkpoint fails its signatures and its WORM copy', async () => {
      const report = await auditWith(() =>
        editCheckpoint(deployment, 3, (a) => ({
          ...a,
          checkpointNote: String(a.checkpointNote).replace('\n3\n', '\n2\n'),
        })),
      );
      expectFirst(report, {
        check: 'checkpoint-signature',
        code: 'CHECKPOINT_SIGNATURE_INVALID',
        treeSize: 3,
      });
      expectAlsoReported(report, {
        check: 'checkpoint-worm-copy',
        code: 'CHECKPOINT_INCONSISTENT',
        treeSize: 3,
      });
    });

    it('a forked tree, re-signed with the real keys, fails the rebuilt root and the WORM copy', async () => {
      const forkedRoot = 'b'.repeat(64);
      const signers = await Promise.all(
        (['agency', 'custodian'] as const).map(async (role) => ({
          keyName: partyNoteKeyName(deployment.origin, role),
          publicKeySpki: await deployment.trusted.keys.publicKey(deployment.resources.keys[role]),
          signer: new KmsSigner(deployment.clients.kms, role, deployment.resources.keys[role]),
        })),
      );
      const note = await signCheckpoint(
        {
          origin: deployment.origin,
          treeSize: 6,
          rootHash: hexToBytes(forkedRoot),
          extensions: [],
        },
        signers,
      );
      const report = await auditWith(() =>
        editCheckpoint(deployment, 6, (a) => ({
          ...a,
          rootHash: forkedRoot,
          checkpointNote: note,
          timestampToken: null,
        })),
      );
      expectFirst(report, { check: 'checkpoint-consistency', code: 'ROOT_MISMATCH', treeSize: 6 });
      expectAlsoReported(report, { check: 'checkpoint-root', code: 'ROOT_MISMATCH', treeSize: 6 });
      expectAlsoReported(report, { check: 'checkpoint-worm-copy', treeSize: 6 });
    });

    it('a timestamp token taken from another checkpoint fails the timestamp check', async () => {
      const other = (await deployment.anchors.list(3, 3))[0];
      const report = await auditWith(() =>
        editCheckpoint(deployment, 6, (a) => ({ ...a, timestampToken: other?.timestampToken })),
      );
      const failure = report.failures.find((f) => f.check === 'checkpoint-timestamp');
      expect(failure?.treeSize).toBe(6);
      expect(failure?.code).toMatch(/^TIMESTAMP_/);
    });

    it('a checkpoint deleted from the anchors table is caught by its WORM copy', async () => {
      const report = await auditWith(() =>
        editItem(
          deployment,
          deployment.resources.anchorsTable,
          { pk: 'checkpoint', treeSize: 6 },
          () => null,
        ),
      );
      expectFirst(report, {
        check: 'checkpoint-worm-copy',
        code: 'CHECKPOINT_INCONSISTENT',
        treeSize: 6,
      });
    });

    it('a checkpoint whose stored root differs from its signed note fails verifyEvidence with CHECKPOINT_MALFORMED', async () => {
      const restore = await editCheckpoint(deployment, 6, (anchor) => ({
        ...anchor,
        rootHash: 'd'.repeat(64),
      }));
      try {
        const report = (await deployment.auditor({
          action: 'verifyEvidence',
          depositId: depositIds[1],
        })) as unknown as Report;
        expectFirst(report, { check: 'inclusion', code: 'CHECKPOINT_MALFORMED', seq: 1 });
      } finally {
        await restore();
      }
    });

    it('a truncated ledger (last record and head rolled back) fails against the latest checkpoint', async () => {
      const restoreRecord = await editItem(
        deployment,
        deployment.resources.ledgerTable,
        { pk: 'record', seq: 5 },
        () => null,
      );
      const report = await auditWith(() =>
        editItem(deployment, deployment.resources.ledgerTable, { pk: 'head', seq: 0 }, (head) => ({
          ...head,
          nextSeq: 5,
        })),
      ).finally(restoreRecord);
      expectFirst(report, { check: 'evidence-record', code: 'RECORD_MISSING', seq: 5 });
      expectAlsoReported(report, { check: 'ledger-root', code: 'CHAIN_GAP', treeSize: 6 });
    });

    it('the evidence object replaced under its key fails verifyEvidence with OBJECT_NOT_FOUND', async () => {
      // The deleted version cannot be put back: this test replaces an object of a ledger of its own.
      const own = await createDeployment('auditor-replaced', {
        tsaUrl: tsa.url,
        tsaCertificatePem: tsa.certificatePem,
      });
      try {
        await own.upload('audit/exhibit-0.txt', 'exhibit 0');
        await own.pipeline.runUntilIdle(60_000);
        await own.anchor();
        const record = parseLedgerRecord(await storedRecordJson(own, 0));
        const { bucket, key, versionId } = record.deposit;
        await own.clients.s3.send(
          new DeleteObjectCommand({
            Bucket: bucket,
            Key: key,
            VersionId: versionId,
            BypassGovernanceRetention: true,
          }),
        );
        await own.upload(key, 'exhibit 0, altered');
        const report = (await own.auditor({
          action: 'verifyEvidence',
          object: { bucket, key, versionId },
        })) as unknown as Report;
        expectFirst(report, { check: 'evidence-object', code: 'OBJECT_NOT_FOUND', seq: 0 });
      } finally {
        own.close();
      }
    });

    it('after every edit was undone, the ledger verifies again', async () => {
      expect((await verifyLedger()).verdict).toBe('valid');
    });
  });
});
