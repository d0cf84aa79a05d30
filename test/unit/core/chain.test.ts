import { describe, expect, it } from 'vitest';
import { buildRecords, verifyChain } from '../../../core/chain';
import { recordBody, sealRecord } from '../../../core/record';
import { GENESIS_HEAD, GENESIS_PREV_HASH, type LedgerRecord } from '../../../core/types';
import { placeholderSignatures, sampleChain, sampleDeposit, SEQUENCED_AT } from './fixtures';

const chain = sampleChain(10);
const at = (seq: number): LedgerRecord => chain[seq]!;
const without = (seq: number) => chain.filter((r) => r.seq !== seq);
const firstFailure = (records: readonly LedgerRecord[]) => {
  const { failures } = verifyChain(records);
  return failures.length === 0 ? 'ok' : { code: failures[0]!.code, seq: failures[0]!.seq };
};
/** The record with `change` applied to its body and the hash recomputed: a well-formed forgery. */
const resealed = (record: LedgerRecord, change: Partial<LedgerRecord>) =>
  sealRecord({ ...recordBody(record), ...change });

describe('buildRecords', () => {
  it('numbers records from the head, links each to the previous hash and returns the new head', () => {
    const { records, head } = buildRecords(
      GENESIS_HEAD,
      [
        { deposit: sampleDeposit('a'), signatures: placeholderSignatures() },
        { deposit: sampleDeposit('b'), signatures: placeholderSignatures() },
      ],
      SEQUENCED_AT,
    );
    expect(records.map((r) => r.seq)).toEqual([0, 1]);
    expect(records[0]!.prevHash).toBe(GENESIS_PREV_HASH);
    expect(records[1]!.prevHash).toBe(records[0]!.recordHash);
    expect(head).toEqual({ nextSeq: 2, lastHash: records[1]!.recordHash });
  });

  it('stamps sequencedAt as ISO 8601 UTC with milliseconds', () => {
    const { records } = buildRecords(
      GENESIS_HEAD,
      [{ deposit: sampleDeposit(), signatures: [] }],
      new Date(Date.UTC(2024, 0, 2, 3, 4, 5)),
    );
    expect(records[0]!.sequencedAt).toBe('2024-01-02T03:04:05.000Z');
  });

  it('extends an existing head so that the result verifies from it', () => {
    const { records, head } = buildRecords(
      { nextSeq: 10, lastHash: at(9).recordHash },
      [{ deposit: sampleDeposit('new'), signatures: placeholderSignatures() }],
      SEQUENCED_AT,
    );
    expect(records[0]!.seq).toBe(10);
    expect(verifyChain([...chain, ...records])).toEqual({ ok: true, failures: [], head });
  });

  it('returns the head unchanged for an empty batch', () => {
    expect(buildRecords(GENESIS_HEAD, [], SEQUENCED_AT)).toEqual({
      records: [],
      head: GENESIS_HEAD,
    });
  });

  it('fails with CHAIN_DUPLICATE when the batch holds one deposit twice', () => {
    const twice = [sampleDeposit(), sampleDeposit()].map((deposit) => ({
      deposit,
      signatures: [],
    }));
    expect(() => buildRecords(GENESIS_HEAD, twice, SEQUENCED_AT)).toFailWithCode('CHAIN_DUPLICATE');
  });

  it('fails with INVALID_INPUT for an invalid date', () => {
    expect(() => buildRecords(GENESIS_HEAD, [], new Date(Number.NaN))).toFailWithCode(
      'INVALID_INPUT',
    );
  });
});

describe('verifyChain', () => {
  describe('when the chain is intact', () => {
    it('passes and returns the head after the last record', () => {
      expect(verifyChain(chain)).toEqual({
        ok: true,
        failures: [],
        head: { nextSeq: 10, lastHash: at(9).recordHash },
      });
    });

    it('passes an empty list, returning the start head', () => {
      expect(verifyChain([])).toEqual({ ok: true, failures: [], head: GENESIS_HEAD });
    });

    it('passes a later segment when given the head it extends', () => {
      const start = { nextSeq: 5, lastHash: at(4).recordHash };
      expect(verifyChain(chain.slice(5), { start }).ok).toBe(true);
      expect(firstFailure(chain.slice(5))).toEqual({ code: 'CHAIN_GAP', seq: 5 });
    });
  });

  describe('when a record is dropped', () => {
    it('fails with CHAIN_GAP at seq 7 (the record found where 6 was expected)', () => {
      expect(firstFailure(without(6))).toEqual({ code: 'CHAIN_GAP', seq: 7 });
    });

    it('fails with CHAIN_GAP at seq 1 when the first record is dropped', () => {
      expect(firstFailure(without(0))).toEqual({ code: 'CHAIN_GAP', seq: 1 });
    });

    it('passes when the last record is dropped: truncation needs a signed head to detect', () => {
      expect(firstFailure(without(9))).toBe('ok');
    });
  });

  describe('when a record appears twice', () => {
    it('fails with CHAIN_DUPLICATE at the repeated seq', () => {
      expect(firstFailure([...chain.slice(0, 5), at(3), ...chain.slice(5)])).toEqual({
        code: 'CHAIN_DUPLICATE',
        seq: 3,
      });
    });
  });

  describe('when one deposit is recorded twice under new seqs', () => {
    it('fails with CHAIN_DUPLICATE at the second record', () => {
      const again = resealed(at(9), {
        seq: 10,
        prevHash: at(9).recordHash,
        deposit: at(2).deposit,
      });
      expect(firstFailure([...chain, again])).toEqual({ code: 'CHAIN_DUPLICATE', seq: 10 });
    });
  });

  describe('when two records are swapped', () => {
    it('fails with CHAIN_GAP at the record that came too early', () => {
      expect(firstFailure([...chain.slice(0, 3), at(4), at(3), ...chain.slice(5)])).toEqual({
        code: 'CHAIN_GAP',
        seq: 4,
      });
    });
  });

  describe('when a forged record is inserted with a valid hash and link', () => {
    it('fails with CHAIN_DUPLICATE at the genuine record it displaces', () => {
      const forged = resealed(at(5), { deposit: sampleDeposit('forged') });
      expect(firstFailure([...chain.slice(0, 5), forged, ...chain.slice(5)])).toEqual({
        code: 'CHAIN_DUPLICATE',
        seq: 5,
      });
    });
  });

  describe('when a record body is altered', () => {
    it('fails with RECORD_HASH_MISMATCH at that record if the hash was left alone', () => {
      const altered = { ...at(4), deposit: { ...at(4).deposit, sha256: 'b'.repeat(64) } };
      expect(firstFailure(chain.map((r) => (r.seq === 4 ? altered : r)))).toEqual({
        code: 'RECORD_HASH_MISMATCH',
        seq: 4,
      });
    });

    it('fails with CHAIN_LINK_MISMATCH at the next record if the hash was recomputed', () => {
      const altered = resealed(at(4), { deposit: { ...at(4).deposit, sha256: 'b'.repeat(64) } });
      expect(firstFailure(chain.map((r) => (r.seq === 4 ? altered : r)))).toEqual({
        code: 'CHAIN_LINK_MISMATCH',
        seq: 5,
      });
    });
  });

  describe('when a record links to the wrong predecessor', () => {
    it('fails with CHAIN_LINK_MISMATCH at that record', () => {
      const relinked = resealed(at(6), { prevHash: at(4).recordHash });
      expect(firstFailure(chain.map((r) => (r.seq === 6 ? relinked : r)))).toEqual({
        code: 'CHAIN_LINK_MISMATCH',
        seq: 6,
      });
    });
  });

  describe('when asked for all failures', () => {
    const badHash = { ...at(2), recordHash: 'f'.repeat(64) };
    const records = without(6).map((r) => (r.seq === 2 ? badHash : r));

    it('reports each, in order, and resynchronises after each', () => {
      const result = verifyChain(records, { allFailures: true });
      expect(result.failures.map(({ code, seq }) => ({ code, seq }))).toEqual([
        { code: 'RECORD_HASH_MISMATCH', seq: 2 },
        { code: 'CHAIN_GAP', seq: 7 },
        { code: 'CHAIN_LINK_MISMATCH', seq: 7 },
      ]);
      expect(result.ok).toBe(false);
      expect(result.head).toEqual({ nextSeq: 10, lastHash: at(9).recordHash });
    });

    it('reports only the first by default, with the head before it', () => {
      const result = verifyChain(records);
      expect(result.failures).toHaveLength(1);
      expect(result.head).toEqual({ nextSeq: 2, lastHash: at(1).recordHash });
    });
  });
});
