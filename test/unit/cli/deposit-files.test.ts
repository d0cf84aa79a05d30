/**
 * What `evidence deposit` concludes from the upload and the auditor's answers, on in-memory
 * ports: retries, a deposit the pipeline FAILED, a ledger SHA-256 that differs from the
 * file's, and a wait that times out. (The real adapters run in test/integration/deposit-command.)
 */
import { createHash } from 'node:crypto';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { depositFiles, type DepositOptions } from '../../../cli/deposit/deposit-files';
import type {
  AuditorClient,
  DepositClock,
  DepositEvent,
  EvidenceUploader,
} from '../../../cli/deposit/ports';
import { EXIT } from '../../../cli/exit-codes';

let dir: string;
const BYTES = 'exhibit bytes';
const SHA256 = createHash('sha256').update(BYTES).digest('hex');

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'deposit-files-'));
  await writeFile(join(dir, 'a.txt'), BYTES);
});
afterAll(() => rm(dir, { recursive: true, force: true }));

/** A clock whose sleep only moves time on. */
function fakeClock(): DepositClock {
  let now = 0;
  return { now: () => now, sleep: (ms) => Promise.resolve(void (now += ms)) };
}

function uploaderFailing(times: number): EvidenceUploader & { calls: number } {
  return {
    calls: 0,
    upload(request) {
      this.calls += 1;
      if (this.calls <= times) return Promise.reject(new Error('socket hang up'));
      return Promise.resolve({ versionId: 'v1', multipart: false, sentSha256: request.sha256 });
    },
  };
}

const answering = (...answers: unknown[]): AuditorClient => ({
  exportBundle: () => Promise.resolve(answers.length > 1 ? answers.shift() : answers[0]),
});

async function run(
  uploader: EvidenceUploader,
  auditor: AuditorClient,
  options: Partial<DepositOptions> = {},
) {
  const events: DepositEvent[] = [];
  const item = {
    path: join(dir, 'a.txt'),
    bucket: 'evidence-bucket',
    key: 'case/a.txt',
    metadata: {},
  };
  const receiptsDir = join(dir, `receipts-${Math.random()}`);
  const result = await depositFiles(
    [item],
    { uploader, auditor, clock: fakeClock(), reporter: { event: (e) => events.push(e) } },
    {
      partSize: 5 * 1024 * 1024,
      concurrency: 1,
      attempts: 3,
      wait: { timeoutMs: 60_000, pollMs: 5000, receiptsDir },
      ...options,
    },
  );
  return { ...result, events, receiptsDir };
}

const notReady = (status: string | null, failure: unknown = null) => ({
  verdict: 'error',
  error: { code: 'DEPOSIT_NOT_READY', message: 'not in the ledger', details: { status, failure } },
});

describe('evidence deposit', () => {
  it('uploads the whole file again after a failed attempt, and reports the retry', async () => {
    const uploader = uploaderFailing(2);
    const result = await run(uploader, answering(), { wait: false });
    expect(uploader.calls).toBe(3);
    expect(
      result.events.filter((e) => e.type === 'retry').map((e) => e.type === 'retry' && e.attempt),
    ).toEqual([1, 2]);
    expect(result.rows[0]).toMatchObject({
      outcome: 'uploaded',
      versionId: 'v1',
      localSha256: SHA256,
    });
    expect(result.exitCode).toBe(EXIT.OK);
  });

  it('fails with DEPOSIT_FAILED after the last attempt', async () => {
    const result = await run(uploaderFailing(3), answering(), { wait: false });
    expect(result.rows[0]).toMatchObject({
      outcome: 'failed',
      message: 'upload failed: socket hang up',
    });
    expect(result.exitCode).toBe(EXIT.DEPOSIT_FAILED);
  });

  it('stops waiting with DEPOSIT_FAILED when the pipeline failed the deposit, naming its code', async () => {
    const auditor = answering(
      notReady('PENDING_AGENCY_SIGNATURE'),
      notReady('FAILED', { code: 'INVALID_INPUT', message: 'metadata' }),
    );
    const result = await run(uploaderFailing(0), auditor);
    expect(result.rows[0]?.message).toBe(
      'the ledger refused the deposit (INVALID_INPUT: metadata)',
    );
    expect(result.exitCode).toBe(EXIT.DEPOSIT_FAILED);
  });

  it('gives up with WAIT_TIMEOUT while no checkpoint covers the record', async () => {
    const auditor = answering({
      verdict: 'error',
      error: { code: 'TREE_SIZE_INVALID', message: 'not anchored', details: { seq: 4 } },
    });
    const result = await run(uploaderFailing(0), auditor);
    expect(result.events.filter((e) => e.type === 'waiting')).toEqual([
      {
        type: 'waiting',
        file: join(dir, 'a.txt'),
        stage: 'anchor',
        detail: 'recorded at seq 4, awaiting a checkpoint',
      },
    ]);
    expect(result.rows[0]).toMatchObject({
      outcome: 'timeout',
      message: 'gave up waiting for a checkpoint (recorded at seq 4, awaiting a checkpoint)',
    });
    expect(result.exitCode).toBe(EXIT.WAIT_TIMEOUT);
  });

  it('refuses the receipt with DEPOSIT_MISMATCH when the uploaded bytes differ from the hashed file', async () => {
    const uploader: EvidenceUploader = {
      upload: () =>
        Promise.resolve({ versionId: 'v1', multipart: true, sentSha256: '0'.repeat(64) }),
    };
    const result = await run(uploader, answering());
    expect(result.rows[0]?.message).toContain('the file changed while it was uploaded');
    expect(result.exitCode).toBe(EXIT.DEPOSIT_MISMATCH);
    await expect(readdir(result.receiptsDir)).rejects.toThrow();
  });
});
