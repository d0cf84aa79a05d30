import { createHash } from 'node:crypto';
import { beforeEach, describe, expect, it } from 'vitest';
import { appendApproved } from '../../../core/pipeline/append-approved';
import {
  AGENCY_STAGE,
  collectSignature,
  CUSTODIAN_STAGE,
} from '../../../core/pipeline/collect-signature';
import type { WorkBudget } from '../../../core/ports/evidence-objects';
import {
  continueDeposit,
  registerDeposit,
  type RegisterOutcome,
} from '../../../core/pipeline/register-deposit';
import { DEFAULT_DIGEST_TUNING } from '../../../functions/shared/budgeted-digest';
import {
  agencyDeps,
  appendDeps,
  BUCKET,
  createPipeline,
  custodianDeps,
  noticeFor,
  registerDeps,
  type Pipeline,
} from './fixtures';

const SIZE = 10_000;
/** 1000-byte parts, 3000 bytes per invocation: a 10 000-byte object takes 4 invocations. */
const SLICES = {
  ...DEFAULT_DIGEST_TUNING,
  partBytes: 1000,
  concurrency: 2,
  maxBytesPerInvocation: 3000,
};

const bytesOf = (size: number, seed: number) =>
  Uint8Array.from({ length: size }, (_, i) => (i * 31 + seed) % 251);
const sha256Hex = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

let p: Pipeline;
let bytes: Uint8Array;
beforeEach(async () => {
  p = await createPipeline();
  p.objects.tuning = SLICES;
  bytes = bytesOf(SIZE, 7);
});

const uploadLarge = () =>
  p.objects.put(BUCKET, 'cases/disk-image.e01', bytes, { 'case-id': 'C-1' });

/** Delivers the hasher's continuations one at a time until none is left (bounded). */
async function drainHasher(): Promise<RegisterOutcome[]> {
  const outcomes: RegisterOutcome[] = [];
  for (let i = 0; i < 50 && p.queues.hasherContinuations.sent.length > 0; i++) {
    const depositId = p.queues.hasherContinuations.sent.shift()!;
    outcomes.push(await continueDeposit(depositId, registerDeps(p)));
  }
  return outcomes;
}

describe('resumable hashing', () => {
  describe('when an object is larger than one invocation may hash', () => {
    it('saves a checkpoint, sends one continuation to its own queue and nothing to the agency', async () => {
      const outcome = await registerDeposit(noticeFor(uploadLarge()), registerDeps(p));

      expect(outcome).toMatchObject({ kind: 'hashing', offset: 3000 });
      // The draft and checkpoint are the agency's own state; the shared mailbox holds nothing yet.
      expect(await p.deposits.get(outcome.depositId)).toBeNull();
      const own = await p.parties.agency.get(outcome.depositId);
      expect(own).toMatchObject({ facts: null, checkpoint: { offset: 3000 } });
      expect(own?.draft).toMatchObject({ size: SIZE, caseMetadata: { 'case-id': 'C-1' } });
      expect(p.queues.hasherContinuations.sent).toEqual([outcome.depositId]);
      expect(p.queues.agency.sent).toEqual([]);
    });

    it('finishes over several invocations with the SHA-256 of the whole object, each byte read once', async () => {
      const { depositId } = await registerDeposit(noticeFor(uploadLarge()), registerDeps(p));
      const outcomes = await drainHasher();

      expect(outcomes.map((o) => o.kind)).toEqual(['hashing', 'hashing', 'registered']);
      expect(p.objects.digestCalls).toEqual([
        { from: 0, to: 3000 },
        { from: 3000, to: 6000 },
        { from: 6000, to: 9000 },
        { from: 9000, to: 'done' },
      ]);
      const state = p.deposits.fields(depositId);
      expect(state?.status).toBe('PENDING_AGENCY_SIGNATURE');
      expect(state?.deposit).toMatchObject({ sha256: sha256Hex(bytes), size: SIZE });
      expect(p.queues.agency.sent).toEqual([depositId]);
    });
  });

  describe('when a continuation is delivered twice at once', () => {
    it('advances the checkpoint once and keeps a single chain of continuations', async () => {
      const { depositId } = await registerDeposit(noticeFor(uploadLarge()), registerDeps(p));
      p.queues.hasherContinuations.sent.length = 0;

      const [a, b] = await Promise.all([
        continueDeposit(depositId, registerDeps(p)),
        continueDeposit(depositId, registerDeps(p)),
      ]);

      expect([a, b]).toEqual([
        { kind: 'hashing', depositId, offset: 6000 },
        { kind: 'hashing', depositId, offset: 6000 },
      ]);
      expect(p.queues.hasherContinuations.sent).toEqual([depositId]);
      await drainHasher();
      expect(p.deposits.fields(depositId)?.deposit?.sha256).toBe(sha256Hex(bytes));
      expect(p.deposits.all()).toHaveLength(1);
    });
  });

  describe('when the notice is redelivered while the object is being hashed', () => {
    it('continues from the checkpoint instead of starting a second digest', async () => {
      const notice = noticeFor(uploadLarge());
      const { depositId } = await registerDeposit(notice, registerDeps(p));

      const again = await registerDeposit(notice, registerDeps(p));

      expect(again).toEqual({ kind: 'hashing', depositId, offset: 6000 });
      expect(p.objects.digestCalls[1]).toEqual({ from: 3000, to: 6000 });
    });
  });

  describe('when an invocation crashes before it saves its slice', () => {
    it('resumes from the last saved checkpoint on redelivery and still gets the right digest', async () => {
      const { depositId } = await registerDeposit(noticeFor(uploadLarge()), registerDeps(p));
      const save = p.parties.agency.saveHashProgress.bind(p.parties.agency);
      p.parties.agency.saveHashProgress = () => Promise.reject(new Error('Lambda timed out'));
      await expect(continueDeposit(depositId, registerDeps(p))).rejects.toThrow('Lambda timed out');
      p.parties.agency.saveHashProgress = save;

      await drainHasher(); // the continuation was never deleted: SQS redelivers it

      expect(p.objects.digestCalls.slice(1, 3)).toEqual([
        { from: 3000, to: 6000 },
        { from: 3000, to: 6000 },
      ]);
      expect(p.deposits.fields(depositId)?.deposit?.sha256).toBe(sha256Hex(bytes));
    });
  });

  describe('when the version is deleted between two slices', () => {
    it('writes a failure record with OBJECT_NOT_FOUND and sends nothing on', async () => {
      const uploaded = uploadLarge();
      const { depositId } = await registerDeposit(noticeFor(uploaded), registerDeps(p));
      p.objects.deleteVersion(uploaded);

      expect(await drainHasher()).toEqual([
        { kind: 'failed', depositId, code: 'OBJECT_NOT_FOUND' },
      ]);
      expect((await p.deposits.get(depositId))?.status).toBe('FAILED');
      expect(p.queues.agency.sent).toEqual([]);
    });
  });

  describe('when the time budget runs out', () => {
    const budgetOf = (...remaining: number[]): WorkBudget => ({
      remainingMs: () => remaining.shift() ?? 0,
    });

    it('gives up a fast path that did not finish and continues with an exportable state from byte 0', async () => {
      p.objects.tuning = { ...SLICES, maxBytesPerInvocation: Number.POSITIVE_INFINITY };
      const outcome = await registerDeposit(
        noticeFor(uploadLarge()),
        registerDeps(p),
        budgetOf(60_000, 0),
      );

      expect(outcome).toMatchObject({ kind: 'hashing', offset: 0 });
      await drainHasher();
      expect(p.deposits.fields(outcome.depositId)?.deposit?.sha256).toBe(sha256Hex(bytes));
    });

    it('still hashes one part per invocation, so that every slice makes progress', async () => {
      const uploaded = uploadLarge();
      const { depositId } = await registerDeposit(noticeFor(uploaded), registerDeps(p));
      const outcome = await continueDeposit(depositId, registerDeps(p), budgetOf(0));
      expect(outcome).toEqual({ kind: 'hashing', depositId, offset: 4000 });
    });
  });

  describe('when a deposit is still being hashed', () => {
    it('is not ready for the agency or the appender', async () => {
      const { depositId } = await registerDeposit(noticeFor(uploadLarge()), registerDeps(p));
      await expect(collectSignature(depositId, AGENCY_STAGE, agencyDeps(p))).rejects.toMatchObject({
        code: 'DEPOSIT_NOT_READY',
      });
      // Nothing is in the mailbox yet, so the appender does not know it either.
      expect((await appendApproved([depositId], appendDeps(p))).notReady).toEqual([depositId]);
    });
  });

  describe('when the custodian re-hashes a large object', () => {
    async function pendingCustodian(): Promise<string> {
      const { depositId } = await registerDeposit(noticeFor(uploadLarge()), registerDeps(p));
      await drainHasher();
      await collectSignature(depositId, AGENCY_STAGE, agencyDeps(p));
      return depositId;
    }

    /** Delivers the custodian's continuations until none is left (bounded). */
    async function drainCustodian(): Promise<string[]> {
      const outcomes: string[] = [];
      for (let i = 0; i < 50 && p.queues.custodianContinuations.sent.length > 0; i++) {
        const depositId = p.queues.custodianContinuations.sent.shift()!;
        outcomes.push(await collectSignature(depositId, CUSTODIAN_STAGE, custodianDeps(p)));
      }
      return outcomes;
    }

    it('re-hashes in slices of its own, then signs once', async () => {
      const depositId = await pendingCustodian();
      expect(await collectSignature(depositId, CUSTODIAN_STAGE, custodianDeps(p))).toBe('hashing');
      expect((await p.parties.custodian.get(depositId))?.checkpoint?.offset).toBe(3000);

      expect(await drainCustodian()).toEqual(['hashing', 'hashing', 'signed']);
      expect((await p.deposits.get(depositId))?.status).toBe('PENDING_APPEND');
      expect(p.queues.appender.sent).toEqual([depositId]);
    });

    it('fails the deposit with DIGEST_MISMATCH when bytes changed between the two digests', async () => {
      const depositId = await pendingCustodian();
      const state = p.deposits.fields(depositId);
      p.objects.corrupt(state!.deposit!, bytesOf(SIZE, 8));

      await collectSignature(depositId, CUSTODIAN_STAGE, custodianDeps(p));
      expect(await drainCustodian()).toEqual(['hashing', 'hashing', 'failed']);
      expect(p.deposits.fields(depositId)?.failure?.code).toBe('DIGEST_MISMATCH');
      expect(p.queues.appender.sent).toEqual([]);
    });
  });
});
