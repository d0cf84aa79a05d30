/**
 * Records bundles verified independently (in the worker pool, several at a time) report what
 * verifying the growth's records one after another reports: on random growths from a random
 * verified size (rarely a multiple of 256) across several bundles, honest or with one forged
 * record (a broken link or an unapproved record) at a random seq, the report and the state
 * equal those of the calling thread, and both equal verifyLedgerRecords over all new records
 * from the verified head (its first failure's code and seq, or its head).
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RecordsVerifyPool } from '../../../cli/monitor/records-verify-pool';
import { parseTrustedKeys } from '../../../core/bundle';
import { verifyLedgerRecords } from '../../../core/ledger-verification';
import { monitorLog, monitorTrust, type LogSource } from '../../../core/monitor';
import { nodeSignatureVerifier } from '../../../functions/shared/node-signature-verifier';
import { createInMemorySigner, type InMemorySigner } from '../../../tools/fakes/in-memory-signer';
import {
  createTiledLog,
  growTiledLog,
  tiledLogSigners,
  tiledLogTrustedKeys,
  type TiledLog,
} from '../../../tools/fakes/tiled-log';

let signers: InMemorySigner[];
let impostor: InMemorySigner;
let pool: RecordsVerifyPool;

beforeAll(async () => {
  signers = await tiledLogSigners();
  impostor = await createInMemorySigner('agency', signers[0]!.keyId);
  const keys = parseTrustedKeys(tiledLogTrustedKeys(await createTiledLog(0, { signers })));
  pool = new RecordsVerifyPool(keys, 2);
});

afterAll(async () => {
  await pool.close();
});

const sourceOf = (log: TiledLog): LogSource => ({
  get: (path) => Promise.resolve(log.files.get(path)?.slice() ?? null),
});

type Forgery = 'none' | 'link' | 'approval';

/** A log of `oldSize` records grown by `growth`, one forged at `oldSize + at` unless 'none'. */
async function grow(log: TiledLog, growth: number, forgery: Forgery, at: number): Promise<void> {
  if (forgery === 'none') return growTiledLog(log, growth);
  await growTiledLog(log, at);
  if (forgery === 'link') {
    // A hash no record has (record 0's own would be the true link when it is the one before).
    await growTiledLog(log, growth - at, signers, { linkTo: 'ab'.repeat(32) });
  } else {
    await growTiledLog(log, 1, [impostor, signers[1]!]);
    await growTiledLog(log, growth - at - 1);
  }
}

describe('records bundles verified in parallel', () => {
  it('report what the records verified in order report', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 600 }),
        fc.integer({ min: 1, max: 700 }),
        fc.constantFrom<Forgery>('none', 'link', 'approval'),
        fc.double({ min: 0, max: 1, noNaN: true, maxExcluded: true }),
        async (oldSize, growth, forgery, where) => {
          const log = await createTiledLog(oldSize, { signers });
          const keys = parseTrustedKeys(tiledLogTrustedKeys(log));
          const inThread = monitorTrust(keys, nodeSignatureVerifier);
          const { state } = await monitorLog(sourceOf(log), inThread);
          await grow(log, growth, forgery, Math.floor(where * growth));

          const sequential = await monitorLog(sourceOf(log), inThread, state);
          const parallel = await monitorLog(
            sourceOf(log),
            monitorTrust(keys, nodeSignatureVerifier, undefined, pool),
            state,
          );
          expect(parallel).toEqual(sequential);

          const start = { nextSeq: oldSize, lastHash: state.lastRecordHash };
          const expected = await verifyLedgerRecords(
            log.records.slice(oldSize),
            inThread.approvers,
            {
              start,
            },
          );
          const failure = expected.failures[0];
          if (failure === undefined) {
            expect(parallel.report.ok).toBe(true);
            expect(parallel.state.lastRecordHash).toBe(expected.head.lastHash);
          } else {
            expect(parallel.report).toMatchObject({
              ok: false,
              code: failure.code,
              message: `record ${failure.seq}: ${failure.message}`,
              details: { seq: failure.seq },
            });
          }
          expect(failure === undefined).toBe(forgery === 'none');
        },
      ),
      { numRuns: 10 },
    );
  });
});
