/**
 * The auditor's continuation state (verifyLedger's cursor, verifyEvidence's continueFrom) on
 * the emulators with the production adapters: sealed under the KMS HMAC key, it resumes the
 * request it was issued for and nothing else; forged or replayed, it is refused.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalDeployment } from '../../tools/local-runtime/local-deployment';
import {
  editToken,
  LARGE_OBJECT_BYTES,
  NO_TIME_LEFT,
  withOwnMac,
} from '../support/continuation-tokens';
import { backend, createDeployment, skipBackend } from '../support/deployment-fixture';

type Answer = {
  verdict: string;
  cursor?: string | null;
  continueFrom?: string | null;
  error?: { code: string; details: { reason?: string } };
};

describe.skipIf(skipBackend)(`auditor continuations on ${backend.name}`, () => {
  let deployment: LocalDeployment;
  const depositIds: string[] = [];
  const audit = async (event: Record<string, unknown>, context?: typeof NO_TIME_LEFT) =>
    (await deployment.auditor(event, context)) as unknown as Answer;

  beforeAll(async () => {
    deployment = await createDeployment('continuations');
    await deployment.upload('continuations/large.bin', new Uint8Array(LARGE_OBJECT_BYTES).fill(7));
    for (let i = 0; i < 3; i++)
      await deployment.upload(`continuations/small-${i}.txt`, `exhibit ${i}`);
    await deployment.pipeline.runUntilIdle(60_000);
    await deployment.anchor();
    const records = await deployment.ledgerRecords();
    depositIds.push(
      ...records.sort((a, b) => b.deposit.size - a.deposit.size).map((r) => r.deposit.depositId),
    );
  });
  afterAll(() => deployment?.close());

  describe('a genuine continuation', () => {
    it('resumes verifyLedger over a range to a valid verdict', async () => {
      let answer = await audit({
        action: 'verifyLedger',
        full: true,
        fromSeq: 1,
        toSeq: 4,
        maxRecords: 1,
      });
      let invocations = 1;
      while (answer.cursor) {
        answer = await audit({
          action: 'verifyLedger',
          full: true,
          fromSeq: 1,
          toSeq: 4,
          maxRecords: 1,
          cursor: answer.cursor,
        });
        invocations++;
      }
      expect([answer.verdict, invocations]).toEqual(['valid', 3]);
    });

    it('resumes verifyEvidence of a large object to a valid verdict', async () => {
      const first = await audit(
        { action: 'verifyEvidence', depositId: depositIds[0] },
        NO_TIME_LEFT,
      );
      expect(first).toMatchObject({
        verdict: 'incomplete',
        continueFrom: expect.any(String) as string,
      });
      const second = await audit({
        action: 'verifyEvidence',
        depositId: depositIds[0],
        continueFrom: first.continueFrom,
      });
      expect(second).toMatchObject({ verdict: 'valid', continueFrom: null });
    });
  });

  describe('a forged continuation', () => {
    it('a cursor moved past every record is refused with AUDIT_CONTINUATION_FORGED', async () => {
      const { cursor } = await audit({ action: 'verifyLedger', full: true, maxRecords: 1 });
      const forged = editToken(cursor!, (envelope) => {
        envelope.state.nextSeq = 4;
      });
      expect(await audit({ action: 'verifyLedger', full: true, cursor: forged })).toMatchObject({
        verdict: 'error',
        error: { code: 'AUDIT_CONTINUATION_FORGED', details: { reason: 'mac' } },
      });
    });

    it('a hashing state of other bytes is refused with AUDIT_CONTINUATION_FORGED', async () => {
      const { continueFrom } = await audit(
        { action: 'verifyEvidence', depositId: depositIds[0] },
        NO_TIME_LEFT,
      );
      const forged = withOwnMac(continueFrom!, (envelope) => {
        envelope.state.offset = LARGE_OBJECT_BYTES;
      });
      expect(
        await audit({ action: 'verifyEvidence', depositId: depositIds[0], continueFrom: forged }),
      ).toMatchObject({ verdict: 'error', error: { code: 'AUDIT_CONTINUATION_FORGED' } });
    });
  });

  describe('a genuine continuation replayed on another request', () => {
    it('a cursor for one range is refused on another', async () => {
      const { cursor } = await audit({
        action: 'verifyLedger',
        full: true,
        fromSeq: 0,
        toSeq: 4,
        maxRecords: 1,
      });
      expect(
        await audit({ action: 'verifyLedger', full: true, fromSeq: 0, toSeq: 2, cursor }),
      ).toMatchObject({
        error: { code: 'AUDIT_CONTINUATION_FORGED', details: { reason: 'other-request' } },
      });
    });

    it('a hashing state for one deposit is refused on another', async () => {
      const { continueFrom } = await audit(
        { action: 'verifyEvidence', depositId: depositIds[0] },
        NO_TIME_LEFT,
      );
      expect(
        await audit({ action: 'verifyEvidence', depositId: depositIds[1], continueFrom }),
      ).toMatchObject({
        error: { code: 'AUDIT_CONTINUATION_FORGED', details: { reason: 'other-request' } },
      });
    });

    it('a cursor is refused as a hashing state', async () => {
      const { cursor } = await audit({ action: 'verifyLedger', full: true, maxRecords: 1 });
      expect(
        await audit({ action: 'verifyEvidence', depositId: depositIds[1], continueFrom: cursor }),
      ).toMatchObject({
        error: { code: 'AUDIT_CONTINUATION_FORGED', details: { reason: 'other-request' } },
      });
    });
  });
});
