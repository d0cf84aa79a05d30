/**
 * The one check of the facts a record states that anyone can recompute (core/record.ts),
 * and each of its callers: the chain walk (auditor and anchor, via verifyLedgerRecords), the
 * auditor's single-record check (verifyEvidence's start) and the appender.
 */
import { describe, expect, it } from 'vitest';
import { verifyChain } from '../../../core/chain';
import { depositIdFor } from '../../../core/deposit-id';
import { verifyLedgerRecords } from '../../../core/ledger-verification';
import { appendApproved } from '../../../core/pipeline/append-approved';
import { registered } from '../../../core/pipeline/deposit-state';
import {
  recomputableFactFailures,
  recordBody,
  requireRecomputableFacts,
  sealRecord,
} from '../../../core/record';
import { GENESIS_HEAD, type Deposit, type LedgerRecord } from '../../../core/types';
import {
  InMemoryDepositStore,
  InMemoryLedgerStore,
  SteppableClock,
} from '../../../tools/fakes/in-memory-pipeline';
import { createInMemorySigner, inMemoryKeyResolver } from '../../../tools/fakes/in-memory-signer';
import { signAttestation } from '../../../core/party-signatures';
import { sampleChain, sampleDeposit } from './fixtures';

const chain = sampleChain(4);
/** A deposit whose depositId names another version of the same object. */
const misnamed = (deposit: Deposit): Deposit => ({
  ...deposit,
  depositId: depositIdFor({ bucket: deposit.bucket, key: deposit.key, versionId: 'other' }),
});
const resealed = (record: LedgerRecord, change: Partial<LedgerRecord>) =>
  sealRecord({ ...recordBody(record), ...change });
const codes = (failures: readonly { code: string; seq?: number }[]) =>
  failures.map(({ code, seq }) => ({ code, seq }));

describe('recomputableFactFailures', () => {
  it('finds nothing wrong with a genuine record, with or without the record before', () => {
    expect(recomputableFactFailures(chain[0]!)).toEqual([]);
    expect(
      recomputableFactFailures(chain[2]!, { nextSeq: 2, lastHash: chain[1]!.recordHash }),
    ).toEqual([]);
    expect(recomputableFactFailures({ deposit: sampleDeposit() })).toEqual([]);
  });

  it('reports DEPOSIT_ID_MISMATCH when depositId is not H(bucket, key, versionId)', () => {
    expect(
      recomputableFactFailures({ deposit: misnamed(sampleDeposit()) }).map((f) => f.code),
    ).toEqual(['DEPOSIT_ID_MISMATCH']);
  });

  it('reports CHAIN_LINK_MISMATCH for seq 0 whose prevHash is not 64 zeros, whatever head is given', () => {
    const record = resealed(chain[0]!, { prevHash: '1'.repeat(64) });
    const claimed = { nextSeq: 0, lastHash: record.prevHash };
    expect(recomputableFactFailures(record, claimed).map((f) => f.code)).toEqual([
      'CHAIN_LINK_MISMATCH',
    ]);
  });

  it('reports CHAIN_LINK_MISMATCH when prevHash is not the hash of the record before', () => {
    const head = { nextSeq: 2, lastHash: chain[0]!.recordHash };
    expect(recomputableFactFailures(chain[2]!, head).map((f) => f.code)).toEqual([
      'CHAIN_LINK_MISMATCH',
    ]);
  });

  it('reports both when both are wrong, deposit id first', () => {
    const record = resealed(chain[0]!, {
      prevHash: '1'.repeat(64),
      deposit: misnamed(chain[0]!.deposit),
    });
    expect(recomputableFactFailures(record).map((f) => f.code)).toEqual([
      'DEPOSIT_ID_MISMATCH',
      'CHAIN_LINK_MISMATCH',
    ]);
  });

  it('throws the first as a LedgerError from requireRecomputableFacts', () => {
    expect(() => requireRecomputableFacts({ deposit: misnamed(sampleDeposit()) })).toFailWithCode(
      'DEPOSIT_ID_MISMATCH',
    );
    expect(() => requireRecomputableFacts(chain[1]!)).not.toThrow();
  });
});

describe('the chain walk (auditor and anchor)', () => {
  it('fails with DEPOSIT_ID_MISMATCH at the record whose depositId does not recompute', () => {
    const records = [
      ...chain.slice(0, 3),
      resealed(chain[3]!, { deposit: misnamed(chain[3]!.deposit) }),
    ];
    expect(codes(verifyChain(records).failures)).toEqual([{ code: 'DEPOSIT_ID_MISMATCH', seq: 3 }]);
  });

  it('fails with CHAIN_LINK_MISMATCH for a seq-0 record that links elsewhere, even from a start that agrees with it', () => {
    const record = resealed(chain[0]!, { prevHash: '2'.repeat(64) });
    const start = { nextSeq: 0, lastHash: record.prevHash };
    expect(codes(verifyChain([record], { start }).failures)).toEqual([
      { code: 'CHAIN_LINK_MISMATCH', seq: 0 },
    ]);
    expect(codes(verifyChain([record]).failures)).toEqual([
      { code: 'CHAIN_LINK_MISMATCH', seq: 0 },
    ]);
  });

  it("reports it through verifyLedgerRecords, as the auditor's single-record check starts from the record's own prevHash", async () => {
    const [agency, custodian] = await Promise.all([
      createInMemorySigner('agency'),
      createInMemorySigner('custodian'),
    ]);
    const deposit = misnamed(sampleDeposit('cases/facts/one.bin'));
    const signatures = [
      await signAttestation(agency, deposit),
      await signAttestation(custodian, deposit),
    ];
    const record = sealRecord({
      ...recordBody(chain[0]!),
      prevHash: '3'.repeat(64),
      deposit,
      signatures,
    });
    const trusted = {
      keyIds: { agency: agency.keyId, custodian: custodian.keyId },
      keys: inMemoryKeyResolver([agency, custodian]),
    };
    const verification = await verifyLedgerRecords([record], trusted, {
      start: { nextSeq: record.seq, lastHash: record.prevHash },
      allFailures: true,
    });
    expect(codes(verification.failures)).toEqual([
      { code: 'DEPOSIT_ID_MISMATCH', seq: 0 },
      { code: 'CHAIN_LINK_MISMATCH', seq: 0 },
    ]);
  });
});

describe('the appender', () => {
  it('fails a deposit both parties approved whose depositId does not recompute, and never appends it', async () => {
    const [agency, custodian] = await Promise.all([
      createInMemorySigner('agency'),
      createInMemorySigner('custodian'),
    ]);
    const deposit = misnamed(sampleDeposit('cases/facts/appender.bin'));
    const deposits = new InMemoryDepositStore();
    await deposits.create(registered(deposit), new Date());
    const signatures = {
      agency: await signAttestation(agency, deposit),
      custodian: await signAttestation(custodian, deposit),
    };
    // The item as a party with write access to it could leave it: approved, signed by both.
    deposits.tamper(deposit.depositId, (item) => {
      item.status = 'PENDING_APPEND';
      item.signatures = signatures;
    });
    const ledger = new InMemoryLedgerStore(deposits);
    const trusted = {
      keyIds: { agency: agency.keyId, custodian: custodian.keyId },
      keys: inMemoryKeyResolver([agency, custodian]),
    };

    const report = await appendApproved([deposit.depositId], {
      deposits,
      ledger,
      trusted,
      clock: new SteppableClock(),
    });

    expect(report).toEqual({
      appended: [],
      settled: [deposit.depositId],
      notReady: [],
      unreadable: [],
    });
    expect(await deposits.get(deposit.depositId)).toMatchObject({
      status: 'FAILED',
      failure: { code: 'DEPOSIT_ID_MISMATCH' },
    });
    expect(await ledger.head()).toEqual(GENESIS_HEAD);
  });
});
