import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CompleteMultipartUploadCommand,
  CreateMultipartUploadCommand,
  UploadPartCommand,
} from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LedgerRecord } from '../../core/types';
import { DEFAULT_DIGEST_TUNING } from '../../functions/shared/budgeted-digest';
import type { LocalDeployment } from '../../tools/local-runtime/local-deployment';
import { backend, createDeployment, skipBackend } from '../support/deployment-fixture';
import { deadLetters, expectVerifiedLedger } from '../support/ledger-expectations';

const MiB = 1024 * 1024;
/** S3's smallest part is 5 MiB: three of them and a remainder, 16.2 MiB in all. */
const PARTS = [5 * MiB, 5 * MiB, 5 * MiB, 1234567];
/** 1 MiB ranged GETs, at most 4 MiB per invocation: 5 invocations of the hasher, 5 of the custodian. */
const SLICES = {
  ...DEFAULT_DIGEST_TUNING,
  partBytes: MiB,
  concurrency: 2,
  maxBytesPerInvocation: 4 * MiB,
};

/** The digest of the file as coreutils computes it, not as this project does. */
function sha256sumOf(bytes: Uint8Array): string {
  const dir = mkdtempSync(join(tmpdir(), 'sha256sum-'));
  try {
    const file = join(dir, 'evidence.bin');
    writeFileSync(file, bytes);
    return execFileSync('sha256sum', [file], { encoding: 'utf8' }).split(' ')[0] ?? '';
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function multipartUpload(
  deployment: LocalDeployment,
  key: string,
  parts: readonly Uint8Array[],
): Promise<void> {
  const { s3 } = deployment.clients;
  const Bucket = deployment.resources.evidenceBucket;
  const { UploadId } = await s3.send(
    new CreateMultipartUploadCommand({ Bucket, Key: key, Metadata: { 'case-id': 'DISK-1' } }),
  );
  const uploaded = [];
  for (const [index, body] of parts.entries()) {
    const PartNumber = index + 1;
    const { ETag } = await s3.send(
      new UploadPartCommand({ Bucket, Key: key, UploadId, PartNumber, Body: body }),
    );
    uploaded.push({ ETag, PartNumber });
  }
  await s3.send(
    new CompleteMultipartUploadCommand({
      Bucket,
      Key: key,
      UploadId,
      MultipartUpload: { Parts: uploaded },
    }),
  );
}

describe.skipIf(skipBackend)(`resumable hashing on ${backend.name}`, () => {
  let deployment: LocalDeployment;
  let records: LedgerRecord[];
  const parts = PARTS.map((size) => new Uint8Array(randomBytes(size)));
  const whole = Buffer.concat(parts);

  beforeAll(async () => {
    deployment = await createDeployment('resume', { hashing: SLICES });
    await multipartUpload(deployment, 'case-77/disk-image.e01', parts);
    await deployment.pipeline.runUntilIdle(50_000);
    records = await deployment.ledgerRecords();
  }, 60_000);
  afterAll(() => deployment?.close());

  describe('when a multipart object takes several invocations to hash', () => {
    it('appends exactly one verified record', async () => {
      await expectVerifiedLedger(deployment, 1);
    });

    it('records the SHA-256 that sha256sum computes over the same bytes, and their size', () => {
      expect(records[0]?.deposit).toMatchObject({
        key: 'case-77/disk-image.e01',
        size: whole.byteLength,
        sha256: sha256sumOf(whole),
        caseMetadata: { 'case-id': 'DISK-1' },
      });
    });

    it('leaves the deposit APPENDED, re-hashed by the custodian in 5 slices, and no message behind', async () => {
      const state = await deployment.deposits.get(records[0]?.deposit.depositId ?? '');
      expect(state).toMatchObject({ status: 'APPENDED', seq: 0 });
      // The custodian's last checkpoint before its fifth and final invocation.
      const custodian = await deployment.parties.custodian.get(records[0]?.deposit.depositId ?? '');
      expect(custodian?.checkpoint?.offset).toBe(4 * SLICES.maxBytesPerInvocation);
      expect(await deadLetters(deployment)).toBe(0);
    });
  });
});
