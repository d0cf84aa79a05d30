/**
 * verifyEvidence proves inclusion from the tiled log: it reads the one record it checks from
 * the ledger and no other, and a ledger record that is not the leaf the signed tree holds at
 * its seq (a rewritten ledger) fails the inclusion check with ROOT_MISMATCH.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { AuditTrust } from '../../../core/audit/audit-trust';
import { verifyEvidence, type VerifyEvidenceDeps } from '../../../core/audit/verify-evidence';
import { bytesEqual, bytesToHex } from '../../../core/encoding';
import { sha256 } from '../../../core/hashing';
import type { EvidenceObjects } from '../../../core/ports/evidence-objects';
import type { LedgerReader } from '../../../core/ports/ledger';
import { sealRecord } from '../../../core/record';
import type { LedgerRecord } from '../../../core/types';
import type { TestLedger } from '../bundle/fixtures';
import type { MemoryTileLog } from './tiled-log-fixture';
import { anchorsOf, appendedDeposits, tiledTestLedger } from './tiled-log-fixture';

const SIZE = 300;
let ledger: TestLedger;
let trust: AuditTrust;
let log: MemoryTileLog;

beforeAll(async () => {
  ({ ledger, trust, log } = await tiledTestLedger(SIZE));
}, 60_000);

/** A ledger that answers only single-record reads, and counts them. */
function singleRecordLedger(records: readonly LedgerRecord[]): LedgerReader & { reads: number } {
  const reader = {
    reads: 0,
    head: () => Promise.reject(new Error('not needed')),
    read(from: number, to: number) {
      reader.reads++;
      if (to - from !== 1) return Promise.reject(new Error(`read [${from}, ${to})`));
      return Promise.resolve(records.slice(from, to));
    },
  };
  return reader;
}

/** The evidence objects, each hashing to what its record says. */
const intactObjects = (): EvidenceObjects => ({
  versionsMatching: () => Promise.resolve([]),
  head: () => Promise.resolve(null),
  digest: ({ ref }) => {
    const i = ledger.records.findIndex((r) => r.deposit.key === ref.key);
    const bytes = ledger.evidence[i]!;
    return Promise.resolve({
      kind: 'done',
      digest: { sha256: bytesToHex(sha256(bytes)), size: bytes.length },
    });
  },
});

async function depsWith(records: readonly LedgerRecord[]) {
  const ledgerReader = singleRecordLedger(records);
  const deps: VerifyEvidenceDeps = {
    ledger: ledgerReader,
    log,
    anchors: await anchorsOf(ledger.leafHashes, [SIZE], ledger.signers),
    trust,
    objects: intactObjects(),
    deposits: appendedDeposits(records),
    continuations: {
      seal: (message) => Promise.resolve(sha256(message)),
      verify: (message, mac) => Promise.resolve(bytesEqual(sha256(message), mac)),
    },
  };
  return { deps, ledgerReader };
}

describe('verifyEvidence', () => {
  it('is valid with the inclusion proof from tiles, reading one ledger record', async () => {
    const { deps, ledgerReader } = await depsWith(ledger.records);
    const record = ledger.records[270]!;
    const { result: report, reads } = await log.countReads(() =>
      verifyEvidence(deps, { depositId: record.deposit.depositId }),
    );
    expect(report.verdict).toBe('valid');
    expect(report.inclusion?.leafHash).toBe(bytesToHex(ledger.leafHashes[270]!));
    expect(ledgerReader.reads).toBe(1);
    expect(reads.length).toBeLessThanOrEqual(2 * 2 + 2);
  });

  describe('when the ledger record at seq 270 was rewritten after the checkpoint', () => {
    it('fails the inclusion check with ROOT_MISMATCH at seq 270', async () => {
      const records = [...ledger.records];
      const original = records[270]!;
      records[270] = sealRecord({
        ...original,
        deposit: { ...original.deposit, caseMetadata: { 'case-id': 'rewritten' } },
      });
      const { deps } = await depsWith(records);
      const report = await verifyEvidence(deps, { depositId: original.deposit.depositId });
      expect(report.verdict).toBe('invalid');
      expect(report.failures.filter((f) => f.check === 'inclusion')).toMatchObject([
        { code: 'ROOT_MISMATCH', seq: 270 },
      ]);
    });
  });
});
