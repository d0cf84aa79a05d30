/**
 * An audit that meets a stored record that does not parse reports it at its seq and goes on
 * checking every other record (core/audit/ledger-page.ts, core/audit/verify-ledger.ts).
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { auditTrust } from '../../../core/audit/audit-trust';
import { readLedgerPage } from '../../../core/audit/ledger-page';
import { verifyLedger, type VerifyLedgerDeps } from '../../../core/audit/verify-ledger';
import { bytesEqual } from '../../../core/encoding';
import { isLedgerError, LedgerError } from '../../../core/errors';
import { sha256 } from '../../../core/hashing';
import { appendApproved } from '../../../core/pipeline/append-approved';
import type { LedgerAppender } from '../../../core/ports/ledger';
import type { LedgerRecord } from '../../../core/types';
import { InMemoryAuditStateStore } from '../../../tools/fakes/in-memory-audit-state-store';
import { appendDeps, approvedDeposits, createPipeline, type Pipeline } from '../pipeline/fixtures';

/** The ledger as DynamoLedgerAppender reads it when the items at `corrupt` do not parse. */
function withCorruptItems(
  ledger: LedgerAppender,
  corrupt: ReadonlySet<number>,
  edit: (record: LedgerRecord) => LedgerRecord = (record) => record,
): LedgerAppender {
  return {
    head: () => ledger.head(),
    append: (...args) => ledger.append(...args),
    async read(fromSeq, toSeq) {
      const records = await ledger.read(fromSeq, toSeq);
      const bad = records.find((r) => corrupt.has(r.seq));
      if (bad)
        throw new LedgerError('RECORD_CORRUPT', `stored ledger record ${bad.seq} is corrupt`, {
          seq: bad.seq,
        });
      return records.map(edit);
    },
  };
}

let p: Pipeline;
beforeEach(async () => {
  p = await createPipeline();
  await appendApproved(await approvedDeposits(p, 6), appendDeps(p));
});

async function auditDeps(ledger: LedgerAppender): Promise<VerifyLedgerDeps> {
  return {
    ledger,
    anchors: {
      latest: () => Promise.resolve(null),
      list: () => Promise.resolve([]),
    },
    worm: {
      exists: () => Promise.resolve(false),
      get: () => Promise.resolve(null),
      list: () => Promise.resolve([]),
      deleteMarkers: () => Promise.resolve([]),
    },
    trust: await auditTrust('audit.test/ledger', p.trusted),
    timestamps: null,
    continuations: {
      seal: (message) => Promise.resolve(sha256(message)),
      verify: (message, mac) => Promise.resolve(bytesEqual(sha256(message), mac)),
    },
    parties: { load: () => Promise.resolve(null), signed: () => Promise.resolve(true) },
    reconcile: {
      evidence: { list: async function* () {} },
      markers: { find: () => Promise.resolve(null) },
      deposits: p.deposits,
    },
    state: new InMemoryAuditStateStore(),
    clock: p.clock,
  };
}

const FULL = { full: true } as const;

const recordFailures = (report: {
  failures: readonly { check: string; code: string; seq?: number }[];
}) => report.failures.filter((f) => f.check === 'record').map(({ code, seq }) => ({ code, seq }));

describe('verifyLedger', () => {
  describe('when the stored record at seq 2 does not parse', () => {
    it('fails with RECORD_CORRUPT at seq 2 and CHAIN_LINK_MISMATCH at seq 3, and checks all six records', async () => {
      const report = await verifyLedger(
        await auditDeps(withCorruptItems(p.ledger, new Set([2]))),
        FULL,
      );
      expect(report.verdict).toBe('invalid');
      expect(recordFailures(report)).toEqual([
        { code: 'RECORD_CORRUPT', seq: 2 },
        { code: 'CHAIN_LINK_MISMATCH', seq: 3 },
      ]);
      expect(report.recordsChecked).toBe(6);
    });

    it('still finds a changed record after it (RECORD_HASH_MISMATCH at seq 4)', async () => {
      const changed = (r: LedgerRecord) => (r.seq === 4 ? { ...r, recordHash: 'f'.repeat(64) } : r);
      const report = await verifyLedger(
        await auditDeps(withCorruptItems(p.ledger, new Set([2]), changed)),
        FULL,
      );
      expect(recordFailures(report)).toEqual([
        { code: 'RECORD_CORRUPT', seq: 2 },
        { code: 'CHAIN_LINK_MISMATCH', seq: 3 },
        { code: 'RECORD_HASH_MISMATCH', seq: 4 },
      ]);
    });

    it('carries the unknown link across invocations: the next one reports CHAIN_LINK_MISMATCH at seq 3', async () => {
      const deps = await auditDeps(withCorruptItems(p.ledger, new Set([2])));
      const first = await verifyLedger(deps, { ...FULL, maxRecords: 3 });
      expect(recordFailures(first)).toEqual([{ code: 'RECORD_CORRUPT', seq: 2 }]);
      const second = await verifyLedger(deps, {
        ...FULL,
        cursor: first.cursor ?? '',
        maxRecords: 3,
      });
      expect(recordFailures(second)).toEqual([{ code: 'CHAIN_LINK_MISMATCH', seq: 3 }]);
      expect(second.cursor).toBeNull();
    });
  });

  describe('when two consecutive stored records do not parse', () => {
    it('reports RECORD_CORRUPT at seq 2 and 3, and the link of seq 4', async () => {
      const report = await verifyLedger(
        await auditDeps(withCorruptItems(p.ledger, new Set([2, 3]))),
        FULL,
      );
      expect(recordFailures(report)).toEqual([
        { code: 'RECORD_CORRUPT', seq: 2 },
        { code: 'RECORD_CORRUPT', seq: 3 },
        { code: 'CHAIN_LINK_MISMATCH', seq: 4 },
      ]);
    });
  });

  describe('when the audit starts right after a corrupt record', () => {
    it('reports the link of its first record as CHAIN_LINK_MISMATCH', async () => {
      const report = await verifyLedger(await auditDeps(withCorruptItems(p.ledger, new Set([2]))), {
        ...FULL,
        fromSeq: 3,
      });
      expect(recordFailures(report)).toEqual([{ code: 'CHAIN_LINK_MISMATCH', seq: 3 }]);
    });
  });
});

describe('readLedgerPage', () => {
  it('gives a corrupt item as a marker with its seq, between the records around it', async () => {
    const slots = await readLedgerPage(withCorruptItems(p.ledger, new Set([1, 4])), 0, 6);
    expect(slots.map((s) => ('corrupt' in s ? `corrupt ${s.seq}` : s.seq))).toEqual([
      0,
      'corrupt 1',
      2,
      3,
      'corrupt 4',
      5,
    ]);
  });

  it('passes any other failure on (THROTTLED is retried, not reported as a finding)', async () => {
    const throttled: Pick<LedgerAppender, 'read'> = {
      read: () => Promise.reject(new LedgerError('THROTTLED', 'slow down')),
    };
    const error: unknown = await readLedgerPage(throttled, 0, 6).catch((e: unknown) => e);
    expect(isLedgerError(error, 'THROTTLED')).toBe(true);
  });
});
