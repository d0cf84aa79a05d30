/**
 * Racing appenders on a store whose transactions really interleave (InterleavingLedgerStore):
 * many real appenders (the appendApproved use case, as the appender Lambda runs it) take the
 * same approved deposits, delivered at least once and in random batches, and append them at
 * the same time. Over every seed the chain must come out linear: no seq written twice (no
 * fork), no seq skipped, each deposit exactly once and marked APPENDED at its record. The same
 * race on the store with its conflict detection switched off must fork, or the test could not
 * fail. A seed replays exactly: the interleaving is drawn from it and nothing else is
 * asynchronous (signatures are checked synchronously here).
 */
import { verify } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { isLedgerError } from '../../../core/errors';
import { verifyLedgerRecords } from '../../../core/ledger-verification';
import type { TrustedParties } from '../../../core/party-signatures';
import { appendApproved } from '../../../core/pipeline/append-approved';
import type { PendingAppend } from '../../../core/pipeline/deposit-state';
import type { SignatureVerifier } from '../../../core/ports/signature-verifier';
import { nodeVerifyKey } from '../../../functions/shared/node-signature-verifier';
import { InMemoryDepositStore, SteppableClock } from '../../../tools/fakes/in-memory-pipeline';
import { InterleavingLedgerStore } from '../../../tools/fakes/interleaving-ledger-store';
import { seededRandom, seededTurns, type SeededRandom } from '../../../tools/fakes/seeded-random';
import { approvedDeposit } from '../../contracts/fixtures';
import { approvedDeposits, createPipeline } from '../pipeline/fixtures';

const SEEDS = Array.from({ length: 60 }, (_, i) => i + 1);
const DEPOSITS = 48;
const APPENDERS = 6;
/** SQS hands the appender up to 10 messages at a time. */
const MAX_BATCH = 10;
/** Redeliveries of one batch before the race is declared stuck. */
const MAX_DELIVERIES = 30;
const MAX_BACKOFF_TURNS = 8;

/** OpenSSL's verify, called synchronously: no thread-pool completion order to vary a replay. */
const synchronousVerifier: SignatureVerifier = {
  verify: (spki, message, signature) =>
    Promise.resolve(
      verify('sha256', message, { key: nodeVerifyKey(spki), dsaEncoding: 'der' }, signature),
    ),
};

let pool: PendingAppend[];
let trusted: TrustedParties;

beforeAll(async () => {
  const p = await createPipeline();
  const ids = await approvedDeposits(p, DEPOSITS, 'cases/race');
  pool = [];
  for (const id of ids) {
    const state = await p.deposits.get(id);
    if (state?.status !== 'PENDING_APPEND') throw new Error(`deposit ${id} is not approved`);
    pool.push(state);
  }
  trusted = { ...p.trusted, verifier: synchronousVerifier };
});

/** A deposit store holding the approved pool, written as the signers would. */
async function approvedStore(): Promise<InMemoryDepositStore> {
  const deposits = new InMemoryDepositStore();
  for (const { deposit, signatures } of pool) await approvedDeposit(deposits, deposit, signatures);
  return deposits;
}

/** Each appender's batches: every deposit goes to one appender, a third of them to a second too. */
function deliveries(random: SeededRandom): string[][][] {
  const inbox: string[][] = Array.from({ length: APPENDERS }, () => []);
  for (const { depositId } of pool) {
    const first = random(APPENDERS);
    inbox[first]!.push(depositId);
    if (random(3) === 0) inbox[(first + 1 + random(APPENDERS - 1)) % APPENDERS]!.push(depositId);
  }
  return inbox.map((ids) => {
    const shuffled = [...ids].sort(() => random(3) - 1);
    const batches: string[][] = [];
    while (shuffled.length > 0) batches.push(shuffled.splice(0, 1 + random(MAX_BATCH)));
    return batches;
  });
}

interface Race {
  readonly ledger: InterleavingLedgerStore;
  readonly deposits: InMemoryDepositStore;
  readonly stuck: boolean;
}

/** One appender: each batch until it is settled, redelivered after APPEND_CONFLICT as SQS would. */
async function appender(
  batches: string[][],
  deps: Parameters<typeof appendApproved>[1],
  maxDeliveries: number,
) {
  for (const batch of batches) {
    let pending = batch;
    for (let delivery = 0; pending.length > 0; delivery++) {
      if (delivery === maxDeliveries) return false;
      try {
        pending = (await appendApproved(pending, deps)).notReady;
      } catch (error) {
        if (!isLedgerError(error, 'APPEND_CONFLICT')) throw error;
      }
    }
  }
  return true;
}

async function race(seed: number, detectConflicts = true): Promise<Race> {
  const random = seededRandom(seed);
  const deposits = await approvedStore();
  const ledger = new InterleavingLedgerStore(deposits, { seed, detectConflicts });
  const deps = {
    deposits,
    ledger,
    trusted,
    clock: new SteppableClock(),
    backoff: (attempt: number) => seededTurns(random, 1 + Math.min(attempt, MAX_BACKOFF_TURNS)),
  };
  // A forked store can leave the head behind a written seq, where no append ever succeeds again.
  const maxDeliveries = detectConflicts ? MAX_DELIVERIES : 2;
  const settled = await Promise.all(
    deliveries(random).map((batches) => appender(batches, deps, maxDeliveries)),
  );
  return { ledger, deposits, stuck: settled.includes(false) };
}

/** Everything wrong with a race's outcome, as readable findings (none for a linear chain). */
async function violations({ ledger, deposits, stuck }: Race): Promise<string[]> {
  const found: string[] = stuck ? ['an appender never settled its batch'] : [];
  const writes = new Map<number, number>();
  for (const { seq } of ledger.recordWrites) writes.set(seq, (writes.get(seq) ?? 0) + 1);
  for (const [seq, count] of writes)
    if (count > 1) found.push(`fork: seq ${seq} written ${count} times`);
  const records = await ledger.all();
  records.forEach((r, i) => r.seq !== i && found.push(`gap: record ${i} has seq ${r.seq}`));
  if (records.length !== DEPOSITS) found.push(`${records.length} records for ${DEPOSITS} deposits`);
  const ids = records.map((r) => r.deposit.depositId);
  if (new Set(ids).size !== ids.length) found.push('a deposit is in the chain twice');
  const { failures } = await verifyLedgerRecords(records, trusted);
  found.push(...failures.map((f) => `verification: ${f.code} at seq ${f.seq}`));
  for (const { depositId } of pool) {
    const state = await deposits.get(depositId);
    const record = records.find((r) => r.deposit.depositId === depositId);
    if (
      state?.status !== 'APPENDED' ||
      !record ||
      state.seq !== record.seq ||
      state.recordHash !== record.recordHash
    )
      found.push(`deposit ${depositId.slice(0, 8)} is not APPENDED at its record`);
  }
  return found;
}

describe('appenders racing on interleaved transactions', () => {
  it(
    `never fork, skip or append twice, over seeds ${SEEDS[0]}..${SEEDS.at(-1)}`,
    { timeout: 120_000 },
    async () => {
      let conflicts = 0;
      let seedsWithConflicts = 0;
      for (const seed of SEEDS) {
        const outcome = await race(seed);
        expect({ seed, violations: await violations(outcome) }).toEqual({ seed, violations: [] });
        conflicts += outcome.ledger.cancelled.conflict;
        if (outcome.ledger.cancelled.conflict > 0) seedsWithConflicts += 1;
      }
      // The race is real: transactions met each other's locks in (nearly) every seed.
      expect(seedsWithConflicts).toBeGreaterThan(SEEDS.length * 0.9);
      expect(conflicts).toBeGreaterThan(SEEDS.length);
    },
  );

  it('replays a seed exactly', async () => {
    const [first, second] = [await race(17), await race(17)];
    expect(second.ledger.recordWrites).toEqual(first.ledger.recordWrites);
    expect(second.ledger.cancelled).toEqual(first.ledger.cancelled);
  });

  describe('when the store does not detect conflicting transactions', () => {
    it('forks the chain: the race test can fail', { timeout: 120_000 }, async () => {
      const forked: number[] = [];
      for (const seed of SEEDS) {
        const found = await violations(await race(seed, false));
        if (found.some((v) => v.startsWith('fork'))) forked.push(seed);
      }
      expect(forked.length).toBeGreaterThan(SEEDS.length / 2);
    });
  });
});
