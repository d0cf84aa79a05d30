/**
 * `evidence deposit` end to end on the emulators: the real lib-storage Upload against the
 * emulated S3 (one part, and several parts with a SHA-256 per part), the real pipeline and
 * anchor, the receipt fetched from the in-process auditor, and each receipt verified with the
 * core's verifyBundle against the evidence file.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { HeadObjectCommand } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditTrust } from '../../core/audit/audit-trust';
import { trustedKeysFile } from '../../core/audit/export-bundle';
import { parseTrustedKeys, verifyBundle } from '../../core/bundle';
import { InProcessAuditorClient } from '../../cli/deposit/auditor-clients';
import { depositFiles } from '../../cli/deposit/deposit-files';
import { planDeposits } from '../../cli/deposit/deposit-plan';
import { systemDepositClock, type DepositEvent } from '../../cli/deposit/ports';
import { LibStorageUploader } from '../../cli/deposit/s3-uploader';
import { digestFile } from '../../cli/read-inputs';
import { EXIT } from '../../cli/exit-codes';
import type { LocalDeployment } from '../../tools/local-runtime/local-deployment';
import { backend, skipBackend } from '../support/deployment-fixture';
import { deploymentOfItsOwn } from '../support/own-deployment';

const MIB = 1024 * 1024;

/** Runs the pipeline until `records` are in the ledger, then the anchor once. */
async function settle(deployment: LocalDeployment, records: number): Promise<void> {
  await deployment.pipeline.runUntil(
    async () => (await deployment.ledger.head()).nextSeq >= records,
    120_000,
  );
  await deployment.anchor();
}

// Each test has a deployment and a folder of its own: an upload of one is never in the other's ledger.
describe.skipIf(skipBackend)(`evidence deposit on ${backend.name}`, () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'evidence-deposit-'));
  });
  afterAll(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  describe('when a one-part and a multipart file are deposited', () => {
    const depositDeployment = deploymentOfItsOwn('deposit');
    it('deposits a one-part and a multipart file and writes receipts that verify against each file', async () => {
      const deployment = depositDeployment();
      const evidence = join(dir, 'case');
      await mkdir(evidence);
      await writeFile(join(evidence, 'statement.txt'), 'Witness statement W-01, case 2026-0147.\n');
      await writeFile(join(evidence, 'extraction.bin'), randomBytes(6 * MIB));
      const plan = await planDeposits([evidence], {
        bucket: deployment.resources.evidenceBucket,
        caseId: '2026-0147',
        exhibit: 'W-01',
        meta: [['submitted-by', 'DC 4471 Avon']],
        partSize: 5 * MIB,
      });
      const events: DepositEvent[] = [];
      const receiptsDir = join(dir, 'receipts');
      const [run] = await Promise.all([
        depositFiles(
          plan.items,
          {
            uploader: new LibStorageUploader(deployment.clients.s3),
            auditor: new InProcessAuditorClient(deployment.auditor),
            clock: systemDepositClock,
            reporter: { event: (event) => events.push(event) },
          },
          {
            partSize: 5 * MIB,
            concurrency: 2,
            attempts: 2,
            wait: { timeoutMs: 180_000, pollMs: 200, receiptsDir },
          },
        ),
        settle(deployment, 2),
      ]);

      expect(run.exitCode).toBe(EXIT.OK);
      const uploads = events.filter((e) => e.type === 'uploaded');
      expect(uploads.map((e) => [e.key, e.multipart])).toEqual([
        ['2026-0147/W-01/extraction.bin', true],
        ['2026-0147/W-01/statement.txt', false],
      ]);
      expect(
        events.some((e) => e.type === 'progress' && e.phase === 'upload' && e.loaded === 6 * MIB),
      ).toBe(true);
      const trusted = parseTrustedKeys(
        await trustedKeysFile(await auditTrust(deployment.origin, deployment.trusted)),
      );
      for (const row of run.rows) {
        expect(row).toMatchObject({ outcome: 'receipt', message: null });
        const local = await digestFile(row.file);
        expect(row.ledgerSha256).toBe(local.sha256);
        expect(row.localSha256).toBe(local.sha256);
        const bundle = JSON.parse(await readFile(row.receipt ?? '', 'utf8')) as unknown;
        const report = await verifyBundle(bundle, trusted, { evidence: local });
        expect(report.firstFailure).toBeNull();
        expect(report.ok).toBe(true);
        const summary = await readFile(join(receiptsDir, `${row.depositId}.summary.txt`), 'utf8');
        expect(summary).toContain(`sha256 ${local.sha256} matches the local file`);
      }
      const records = await deployment.ledgerRecords();
      expect(records.map((r) => r.deposit.caseMetadata)).toEqual([
        { 'case-id': '2026-0147', exhibit: 'W-01', 'submitted-by': 'DC 4471 Avon' },
        { 'case-id': '2026-0147', exhibit: 'W-01', 'submitted-by': 'DC 4471 Avon' },
      ]);
      // S3 kept the SHA-256 checksums the upload sent: whole-object for one part, per part otherwise.
      const heads = await Promise.all(
        uploads.map((e) =>
          deployment.clients.s3.send(
            new HeadObjectCommand({
              Bucket: e.bucket,
              Key: e.key,
              VersionId: e.versionId,
              ChecksumMode: 'ENABLED',
            }),
          ),
        ),
      );
      expect(heads[1]?.ChecksumSHA256).toBe(
        Buffer.from(uploads[1]?.sha256 ?? '', 'hex').toString('base64'),
      );
      expect(heads[0]?.ChecksumSHA256).toBeDefined();
    }, 300_000);
  });

  describe('when the file changed after its SHA-256 was taken', () => {
    const checksumDeployment = deploymentOfItsOwn('deposit-checksum');
    // Real S3 answers a mismatch with BadDigest; moto records the checksum without checking it,
    // so what can be shown here is that the SHA-256 given is the one sent, and that the bytes
    // actually read are hashed again (a file changed after hashing is reported as a mismatch).
    it('sends the given SHA-256 with a one-part upload and reports the SHA-256 of the bytes it read', async () => {
      const deployment = checksumDeployment();
      const path = join(dir, 'changed.txt');
      await writeFile(path, 'the bytes on disk');
      const hashedEarlier = join(dir, 'hashed-earlier.txt');
      await writeFile(hashedEarlier, 'the bytes when they were hashed');
      const claimed = (await digestFile(hashedEarlier)).sha256;
      const request = {
        path,
        bucket: deployment.resources.evidenceBucket,
        key: 'changed.txt',
        metadata: {},
        size: 17,
        sha256: claimed,
        partSize: 5 * MIB,
        concurrency: 1,
      };
      const result = await new LibStorageUploader(deployment.clients.s3).upload(
        request,
        () => undefined,
      );
      expect(result.sentSha256).toBe((await digestFile(path)).sha256);
      const head = await deployment.clients.s3.send(
        new HeadObjectCommand({
          Bucket: request.bucket,
          Key: request.key,
          VersionId: result.versionId,
          ChecksumMode: 'ENABLED',
        }),
      );
      expect(head.ChecksumSHA256).toBe(Buffer.from(claimed, 'hex').toString('base64'));
    });
  });
});
