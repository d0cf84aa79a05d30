import fc from 'fast-check';
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { LedgerError } from '../../../core/errors';
import { verifyLedgerRecords } from '../../../core/ledger-verification';
import { appendApproved, MAX_DEPOSITS_PER_APPEND } from '../../../core/pipeline/append-approved';
import {
  AGENCY_STAGE,
  collectSignature,
  CUSTODIAN_STAGE,
} from '../../../core/pipeline/collect-signature';
import {
  registered,
  withAgencySignature,
  withCustodianSignature,
  type PendingAppend,
} from '../../../core/pipeline/deposit-state';
import type { LedgerAppender } from '../../../core/ports/ledger';
import { GENESIS_HEAD } from '../../../core/types';
import { InMemoryDepositStore, InMemoryLedgerStore } from '../../../tools/fakes/in-memory-pipeline';
import { createInMemorySigner } from '../../../tools/fakes/in-memory-signer';
import {
  agencyDeps,
  appendDeps,
  approvedDeposits,
  createPipeline,
  custodianDeps,
  upload,
  type Pipeline,
} from './fixtures';

let p: Pipeline;
beforeEach(async () => {
  p = await createPipeline();
});

/** Checks the whole ledger (chain and approvals) and returns its deposit ids in seq order. */
async function verifiedLedger(
  pipeline: Pick<Pipeline, 'trusted'> & { ledger: LedgerAppender },
): Promise<string[]> {
  const records = await pipeline.ledger.read(0, Number.MAX_SAFE_INTEGER);
  const verification = await verifyLedgerRecords(records, pipeline.trusted);
  expect(verification.failures).toEqual([]);
  return records.map((r) => r.deposit.depositId);
}

describe('appendApproved', () => {
  describe('when approved deposits are appended', () => {
    it('builds a gapless chain that verifies, and marks each deposit APPENDED at its seq', async () => {
      const ids = await approvedDeposits(p, 5);
      const report = await appendApproved(ids, appendDeps(p));

      expect(report.appended.map((a) => a.seq)).toEqual([0, 1, 2, 3, 4]);
      expect(new Set(await verifiedLedger(p))).toEqual(new Set(ids));
      for (const { depositId, seq } of report.appended) {
        expect(await p.deposits.get(depositId)).toMatchObject({ status: 'APPENDED', seq });
      }
    });

    it('extends the chain from its head on a later call', async () => {
      const [first, second] = [
        await approvedDeposits(p, 3, 'a'),
        await approvedDeposits(p, 2, 'b'),
      ];
      await appendApproved(first, appendDeps(p));
      const report = await appendApproved(second, appendDeps(p));

      expect(report.appended.map((a) => a.seq)).toEqual([3, 4]);
      expect(await verifiedLedger(p)).toHaveLength(5);
    });

    it('settles deposits that are already appended instead of appending them again', async () => {
      const ids = await approvedDeposits(p, 3);
      await appendApproved(ids, appendDeps(p));
      const again = await appendApproved(ids, appendDeps(p));

      expect(again).toEqual({ appended: [], settled: ids, notReady: [], unreadable: [] });
      expect(await verifiedLedger(p)).toHaveLength(3);
    });
  });

  describe('when 80 approved deposits arrive in one call', () => {
    it('commits them in 3 transactions of at most 33 deposits', async () => {
      const ids = await approvedDeposits(p, 80);
      const report = await appendApproved(ids, appendDeps(p));

      expect(p.ledger.appendCalls).toBe(3);
      expect(MAX_DEPOSITS_PER_APPEND).toBe(33);
      expect(report.appended).toHaveLength(80);
      expect(await verifiedLedger(p)).toHaveLength(80);
    });
  });

  describe('when a deposit is not approved yet', () => {
    it('reports it in notReady and appends the others', async () => {
      const [ready] = await approvedDeposits(p, 1);
      const agencyOnly = await upload(p, 'cases/2026-0001/agency-only.bin', 'agency only');
      await collectSignature(agencyOnly, AGENCY_STAGE, agencyDeps(p));
      const unsigned = await upload(p, 'cases/2026-0001/unsigned.bin', 'unsigned');
      const unknown = 'e'.repeat(64);

      const report = await appendApproved([ready!, agencyOnly, unsigned, unknown], appendDeps(p));

      expect(report.notReady).toEqual([agencyOnly, unsigned, unknown]);
      expect(report.appended).toEqual([{ depositId: ready, seq: 0 }]);
      expect((await p.deposits.get(agencyOnly))?.status).toBe('PENDING_CUSTODIAN_SIGNATURE');
    });
  });

  describe('when a custodian signature does not hold', () => {
    it('fails a deposit whose signature is made with a key other than the trusted one with SIGNATURE_INVALID and never appends it', async () => {
      const [good] = await approvedDeposits(p, 1);
      const bad = await upload(p, 'cases/2026-0001/bad.bin', 'bad');
      await collectSignature(bad, AGENCY_STAGE, agencyDeps(p));
      const impostor = await createInMemorySigner('custodian', p.custodian.keyId);
      await collectSignature(bad, CUSTODIAN_STAGE, { ...custodianDeps(p), signer: impostor });

      const report = await appendApproved([bad, good!], appendDeps(p));

      expect(report.settled).toEqual([bad]);
      expect(await p.deposits.get(bad)).toMatchObject({
        status: 'FAILED',
        failure: { code: 'SIGNATURE_INVALID' },
      });
      expect(await verifiedLedger(p)).toEqual([good]);
    });

    it('keeps waiting (not ready, retried) on a signature that names a key not trusted for its role, and never appends it', async () => {
      const [good] = await approvedDeposits(p, 1);
      const bad = await upload(p, 'cases/2026-0001/bad.bin', 'bad');
      await collectSignature(bad, AGENCY_STAGE, agencyDeps(p));
      const impostor = await createInMemorySigner(
        'custodian',
        'arn:aws:kms:eu-west-1:000000000000:key/rogue',
      );
      await collectSignature(bad, CUSTODIAN_STAGE, { ...custodianDeps(p), signer: impostor });

      const report = await appendApproved([bad, good!], appendDeps(p));

      expect(report.notReady).toEqual([bad]);
      expect(await p.deposits.get(bad)).toMatchObject({ status: 'PENDING_APPEND' });
      expect(await verifiedLedger(p)).toEqual([good]);
    });
  });

  describe('when the chain head keeps moving', () => {
    it('gives up with APPEND_CONFLICT after maxAttempts, backing off between attempts', async () => {
      const ids = await approvedDeposits(p, 2);
      let nextSeq = 0;
      const restless: LedgerAppender = {
        head: () => Promise.resolve({ nextSeq: nextSeq++, lastHash: GENESIS_HEAD.lastHash }),
        append: () => Promise.resolve({ kind: 'head-moved' }),
        read: () => Promise.resolve([]),
      };
      const backoffs: number[] = [];
      const deps = appendDeps(p, {
        ledger: restless,
        maxAttempts: 4,
        backoff: (attempt) => Promise.resolve(void backoffs.push(attempt)),
      });

      await expect(appendApproved(ids, deps)).toFailWithCode('APPEND_CONFLICT');
      expect(backoffs).toEqual([0, 1, 2, 3]);
      for (const id of ids) expect((await p.deposits.get(id))?.status).toBe('PENDING_APPEND');
    });
  });
});

describe('when several appenders race on one ledger', () => {
  const POOL_SIZE = 24;
  const APPEND_LATENCY_MS = 2;
  let pool: PendingAppend[];
  let trusted: Pipeline['trusted'];
  const ids = () => pool.map((s) => s.depositId);

  beforeAll(async () => {
    const source = await createPipeline();
    trusted = source.trusted;
    const ids = await approvedDeposits(source, POOL_SIZE);
    pool = [];
    for (const id of ids) {
      const state = await source.deposits.get(id);
      if (state?.status !== 'PENDING_APPEND') throw new Error(`deposit ${id} is not approved`);
      pool.push(state);
    }
  });

  /** A fresh ledger whose deposit store holds the approved pool, written as the signers would. */
  async function freshLedger() {
    const deposits = new InMemoryDepositStore();
    const at = new Date(0);
    for (const { deposit, signatures } of pool) {
      const pending = registered(deposit);
      await deposits.create(pending, at);
      const agencySigned = withAgencySignature(pending, deposit, signatures.agency);
      await deposits.addSignature({ from: pending, to: agencySigned }, at);
      await deposits.addSignature(
        { from: agencySigned, to: withCustodianSignature(agencySigned, signatures.custodian) },
        at,
      );
    }
    return { deposits, ledger: new InMemoryLedgerStore(deposits, APPEND_LATENCY_MS), trusted };
  }

  /** Runs one appendApproved per id set, all at once; returns the union of the sets. */
  async function race(sets: readonly (readonly string[])[]) {
    const world = await freshLedger();
    const deps = { ...world, clock: p.clock, backoff: () => Promise.resolve() };
    const reports = await Promise.all(sets.map((ids) => appendApproved(ids, deps)));
    return { world, reports, union: new Set(sets.flat()) };
  }

  /** One linear verified chain holding every requested deposit exactly once. */
  async function expectOneChain({ world, reports, union }: Awaited<ReturnType<typeof race>>) {
    const chain = await verifiedLedger(world);
    expect(chain).toHaveLength(union.size);
    expect(new Set(chain)).toEqual(union);
    const appendedByRacers = reports.flatMap((r) => r.appended.map((a) => a.depositId));
    expect(appendedByRacers.sort()).toEqual([...union].sort());
  }

  it('appends overlapping id sets as one linear chain, every deposit exactly once', async () => {
    const all = ids();
    const outcome = await race([all, all.slice(0, 16), all.slice(8), [...all].reverse()]);
    await expectOneChain(outcome);
    // The race really happened: some appenders lost the head and had to rebuild.
    expect(outcome.world.ledger.appendCalls).toBeGreaterThan(outcome.world.ledger.commits);
  });

  /** Each deposit goes to one of `racers` appenders, or to none. */
  const partitions = fc.integer({ min: 2, max: 4 }).chain((racers) =>
    fc
      .array(fc.integer({ min: -1, max: racers - 1 }), {
        minLength: POOL_SIZE,
        maxLength: POOL_SIZE,
      })
      .map((owners) =>
        Array.from({ length: racers }, (_, r) => ids().filter((_id, i) => owners[i] === r)),
      ),
  );

  it('holds for any overlapping sets of deposits handed to two to four appenders', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.shuffledSubarray(ids(), { minLength: 1 }), { minLength: 2, maxLength: 4 }),
        async (sets) => expectOneChain(await race(sets)),
      ),
      { numRuns: 30 },
    );
  });

  it('holds for any partition of the deposits among two to four appenders', async () => {
    await fc.assert(
      fc.asyncProperty(partitions, async (sets) => expectOneChain(await race(sets))),
      { numRuns: 30 },
    );
  });
});

describe('when one deposit item of a batch does not parse', () => {
  it('fails that deposit only and appends the others', async () => {
    const p = await createPipeline();
    const ids = await approvedDeposits(p, 3);
    const broken = ids[1]!;
    const get = p.deposits.get.bind(p.deposits);
    p.deposits.get = (id) =>
      id === broken
        ? Promise.reject(new LedgerError('STORAGE_ITEM_CORRUPT', 'invalid deposit'))
        : get(id);

    const report = await appendApproved(ids, appendDeps(p));

    expect(report.unreadable).toEqual([{ depositId: broken, code: 'STORAGE_ITEM_CORRUPT' }]);
    expect(report.appended.map((a) => a.depositId).sort()).toEqual([ids[0], ids[2]].sort());
  });
});
