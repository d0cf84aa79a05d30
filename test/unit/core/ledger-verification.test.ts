/**
 * verifyLedgerRecords checks records' approvals several at a time; what it reports must not
 * depend on that: the first failure in record order, or all of them, as one by one.
 */
import { describe, expect, it } from 'vitest';
import { buildRecords, type ApprovedDeposit } from '../../../core/chain';
import { verifyLedgerRecords, VERIFY_CONCURRENCY } from '../../../core/ledger-verification';
import { GENESIS_HEAD } from '../../../core/types';
import { nodeSignatureVerifier } from '../../../functions/shared/node-signature-verifier';
import { approve, benchDeposit, benchParties } from '../../../scripts/bench/signed-ledger';

const BAD = [VERIFY_CONCURRENCY + 8, 2 * VERIFY_CONCURRENCY + 5];

/** A ledger longer than two rounds of concurrency whose records at BAD carry another deposit's agency signature. */
async function ledgerWithBadApprovals() {
  const parties = await benchParties();
  const approved: ApprovedDeposit[] = [];
  for (let i = 0; i < 3 * VERIFY_CONCURRENCY; i++)
    approved.push(await approve(parties, benchDeposit('b', i)));
  for (const seq of BAD) {
    const [, custodian] = approved[seq]!.signatures;
    approved[seq] = { ...approved[seq]!, signatures: [approved[0]!.signatures[0]!, custodian!] };
  }
  return {
    parties,
    records: buildRecords(GENESIS_HEAD, approved, new Date(Date.UTC(2026, 0, 1))).records,
  };
}

describe.each([
  ['WebCrypto', undefined],
  ['node:crypto', nodeSignatureVerifier],
])('verifyLedgerRecords with the %s verifier', (_name, verifier) => {
  it('reports only the first record whose approval fails, at its seq', async () => {
    const { parties, records } = await ledgerWithBadApprovals();
    const trusted = { ...parties.trusted, ...(verifier ? { verifier } : {}) };
    const result = await verifyLedgerRecords(records, trusted);
    expect(result.ok).toBe(false);
    expect(result.failures.map(({ code, seq }) => ({ code, seq }))).toEqual([
      { code: 'SIGNATURE_INVALID', seq: BAD[0] },
    ]);
  });

  it('reports every failed record in seq order when asked for all failures', async () => {
    const { parties, records } = await ledgerWithBadApprovals();
    const trusted = { ...parties.trusted, ...(verifier ? { verifier } : {}) };
    const result = await verifyLedgerRecords(records, trusted, { allFailures: true });
    expect(result.failures.map(({ code, seq }) => ({ code, seq }))).toEqual(
      BAD.map((seq) => ({ code: 'SIGNATURE_INVALID', seq })),
    );
  });
});
