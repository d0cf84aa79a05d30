/**
 * The auditor's proofs and exports come from the tiled log (issue 10, "Every proof from
 * tiles"): they equal what the full ledger gives, read at most 2 * ceil(log256 n) + 2 tiles
 * (and one records bundle per exported record), never a ledger record, and a changed records
 * bundle or tile is refused rather than passed on.
 */
import fc from 'fast-check';
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { AnchorReader } from '../../../core/anchor/ports';
import type { AuditTrust } from '../../../core/audit/audit-trust';
import { exportBundle } from '../../../core/audit/export-bundle';
import { proveConsistency, proveInclusion, type ProofDeps } from '../../../core/audit/proofs';
import { canonicalJson } from '../../../core/canonical-json';
import { bytesToHex, utf8Decode, utf8Encode } from '../../../core/encoding';
import { consistencyProof } from '../../../core/merkle/consistency';
import { inclusionProof } from '../../../core/merkle/inclusion';
import type { LedgerReader } from '../../../core/ports/ledger';
import { sealRecord } from '../../../core/record';
import { hashTilePath, recordsBundlePath } from '../../../core/tlog/tile-path';
import type { LedgerRecord } from '../../../core/types';
import type { TestLedger } from '../bundle/fixtures';
import { makeLeafHashes } from '../merkle/fixtures';
import { ceilLog256 } from '../tlog/fixtures';
import {
  anchorsOf,
  appendedDeposits,
  MemoryTileLog,
  tiledTestLedger,
  unreadableLedger,
} from './tiled-log-fixture';

const SIZE = 520; // two full level-0 tiles and a partial one; two hashes at level 1
const hex = (nodes: readonly Uint8Array[]) => nodes.map((node) => bytesToHex(node));
const tileBound = (n: number) => 2 * ceilLog256(n) + 2;
const hashTileReads = (reads: readonly string[]) =>
  reads.filter((path) => !path.startsWith('tile/records/'));

let ledger: TestLedger;
let trust: AuditTrust;
let log: MemoryTileLog;

const ledgerOf = (records: readonly LedgerRecord[]): LedgerReader => ({
  head: () => Promise.reject(new Error('not needed')),
  read: (from, to) => Promise.resolve(records.slice(from, to)),
});

beforeAll(async () => {
  ({ ledger, trust, log } = await tiledTestLedger(SIZE));
}, 60_000);

beforeEach(() => {
  unreadableLedger.reads = 0;
});

async function tileDeps(sizes: readonly number[]): Promise<ProofDeps> {
  const anchors: AnchorReader = await anchorsOf(
    ledger.leafHashes,
    [...sizes, SIZE],
    ledger.signers,
  );
  return { ledger: unreadableLedger, log, anchors, trust };
}

/** The same checkpoints, a log without tiles (a deployment from before it): the full-ledger path. */
const ledgerDeps = (deps: ProofDeps): ProofDeps => ({
  ...deps,
  ledger: ledgerOf(ledger.records),
  log: new MemoryTileLog(),
});

describe('proveInclusion from tiles', () => {
  it('equals the proof from every ledger leaf, for random (seq, n), reading no ledger record', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: SIZE }).chain((n) => fc.tuple(fc.nat(n - 1), fc.constant(n))),
        async ([seq, n]) => {
          const deps = await tileDeps([n]);
          const { result, reads } = await log.countReads(() =>
            proveInclusion(deps, { seq, treeSize: n }),
          );
          expect(result.proof).toEqual(hex(inclusionProof(ledger.leafHashes.slice(0, n), seq)));
          expect(result.leafHash).toBe(bytesToHex(ledger.leafHashes[seq]!));
          expect(result).toEqual(await proveInclusion(ledgerDeps(deps), { seq, treeSize: n }));
          expect(reads.length).toBeLessThanOrEqual(tileBound(SIZE));
        },
      ),
      { numRuns: 30 },
    );
    expect(unreadableLedger.reads).toBe(0);
  });
});

describe('proveConsistency from tiles', () => {
  it('equals the proof from every ledger leaf, for random (m, n), reading no ledger record', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc
          .integer({ min: 1, max: SIZE })
          .chain((n) => fc.tuple(fc.integer({ min: 1, max: n }), fc.constant(n))),
        async ([m, n]) => {
          const deps = await tileDeps([m, n]);
          const { result, reads } = await log.countReads(() =>
            proveConsistency(deps, { fromSize: m, toSize: n }),
          );
          expect(result.proof).toEqual(hex(consistencyProof(ledger.leafHashes.slice(0, n), m)));
          expect(result).toEqual(
            await proveConsistency(ledgerDeps(deps), { fromSize: m, toSize: n }),
          );
          expect(reads.length).toBeLessThanOrEqual(tileBound(SIZE));
        },
      ),
      { numRuns: 30 },
    );
    expect(unreadableLedger.reads).toBe(0);
  });
});

describe('in a log of 70,000 leaves (three tile levels)', () => {
  const LEAVES = makeLeafHashes(70_000);
  const big = new MemoryTileLog();
  big.writeTiles(LEAVES);

  it(`reads at most 2 * ceil(log256 n) + 2 tiles per proof`, async () => {
    const sizes = [1, 255, 256, 257, 65_535, 65_536, 65_537, 69_999, 70_000];
    const deps: ProofDeps = {
      ledger: unreadableLedger,
      log: big,
      anchors: await anchorsOf(LEAVES, sizes, ledger.signers),
      trust,
    };
    for (const n of sizes) {
      for (const seq of [0, Math.floor(n / 2), n - 1]) {
        const { result, reads } = await big.countReads(() =>
          proveInclusion(deps, { seq, treeSize: n }),
        );
        // proveInclusion verified the proof against the signed root of size n before answering.
        expect(result.treeSize).toBe(n);
        expect(reads.length).toBeLessThanOrEqual(tileBound(70_000));
      }
      for (const m of sizes.filter((size) => size <= n)) {
        const { reads } = await big.countReads(() =>
          proveConsistency(deps, { fromSize: m, toSize: n }),
        );
        expect(reads.length).toBeLessThanOrEqual(tileBound(70_000));
      }
    }
    expect(unreadableLedger.reads).toBe(0);
  }, 60_000);
});

describe('exportBundle from tiles', () => {
  const exportAt = new Date('2026-11-30T04:00:00.000Z');

  it('equals the bundle built from the full ledger, for random deposits', async () => {
    const deps = { ...(await tileDeps([])), deposits: appendedDeposits(ledger.records) };
    await fc.assert(
      fc.asyncProperty(
        fc.uniqueArray(fc.nat(SIZE - 1), { minLength: 1, maxLength: 4 }),
        async (seqs) => {
          const depositIds = seqs.map((seq) => ledger.records[seq]!.deposit.depositId);
          const fromTiles = await exportBundle(deps, { depositIds, exportedAt: exportAt });
          const fromLedger = await exportBundle(
            { ...ledgerDeps(deps), deposits: deps.deposits },
            { depositIds, exportedAt: exportAt },
          );
          expect(fromTiles).toEqual(fromLedger);
        },
      ),
      { numRuns: 15 },
    );
    expect(unreadableLedger.reads).toBe(0);
  });

  it('reads the proof tiles and one records bundle for one deposit', async () => {
    const deps = { ...(await tileDeps([])), deposits: appendedDeposits(ledger.records) };
    const depositIds = [ledger.records[300]!.deposit.depositId];
    const { reads } = await log.countReads(() =>
      exportBundle(deps, { depositIds, exportedAt: exportAt }),
    );
    expect(hashTileReads(reads).length).toBeLessThanOrEqual(tileBound(SIZE));
    expect(reads.filter((path) => path.startsWith('tile/records/'))).toEqual([
      recordsBundlePath({ index: 1, width: 256 }),
    ]);
    expect(unreadableLedger.reads).toBe(0);
  });
});

describe('when the log was changed', () => {
  const exportAt = new Date('2026-11-30T04:00:00.000Z');
  const SEQ = 260; // in the records bundle of tile 1
  const bundlePath = recordsBundlePath({ index: 1, width: 256 });

  async function exportWith(edit: (lines: string[]) => void) {
    const changed = new MemoryTileLog();
    changed.writeLedger(ledger.records, ledger.leafHashes);
    const lines = utf8Decode(changed.objects.get(bundlePath)!).split('\n');
    edit(lines);
    changed.objects.set(bundlePath, utf8Encode(lines.join('\n')));
    const deps = {
      ...(await tileDeps([])),
      log: changed,
      deposits: appendedDeposits(ledger.records),
    };
    return exportBundle(deps, {
      depositIds: [ledger.records[SEQ]!.deposit.depositId],
      exportedAt: exportAt,
    });
  }

  const line = SEQ % 256;

  it('fails with RECORD_CORRUPT when a record line is edited', async () => {
    await expect(
      exportWith((lines) => {
        lines[line] = lines[line]!.replace('"exhibit"', '"exhibiT"');
      }),
    ).rejects.toFailWithCode('RECORD_CORRUPT', { seq: SEQ });
  });

  it('fails with RECORD_CORRUPT when a record is re-sealed with a new recordHash', async () => {
    const record = ledger.records[SEQ]!;
    const forged = sealRecord({
      ...record,
      deposit: { ...record.deposit, caseMetadata: { 'case-id': 'forged' } },
    });
    await expect(
      exportWith((lines) => {
        lines[line] = canonicalJson(forged);
      }),
    ).rejects.toFailWithCode('RECORD_CORRUPT', { seq: SEQ });
  });

  it('fails with RECORD_CORRUPT when another record stands in its line', async () => {
    await expect(
      exportWith((lines) => {
        lines[line] = lines[line + 1]!;
      }),
    ).rejects.toFailWithCode('RECORD_CORRUPT', { seq: SEQ });
  });

  it('fails with RECORD_CORRUPT when the line is not canonical JSON', async () => {
    await expect(
      exportWith((lines) => {
        lines[line] = ` ${lines[line]!}`;
      }),
    ).rejects.toFailWithCode('RECORD_CORRUPT', { seq: SEQ });
  });

  it('fails with RECORD_CORRUPT when a line is dropped', async () => {
    await expect(exportWith((lines) => void lines.splice(3, 1))).rejects.toFailWithCode(
      'RECORD_CORRUPT',
      { seq: SEQ },
    );
  });

  it('fails with ROOT_MISMATCH when a hash tile is changed, without falling back to the ledger', async () => {
    const changed = new MemoryTileLog();
    changed.writeLedger(ledger.records, ledger.leafHashes);
    const path = hashTilePath({ level: 0, index: 1, width: 256 });
    const tile = Uint8Array.from(changed.objects.get(path)!);
    tile[(SEQ % 256) * 32] = tile[(SEQ % 256) * 32]! ^ 1;
    changed.objects.set(path, tile);
    const deps = { ...(await tileDeps([])), log: changed };
    await expect(proveInclusion(deps, { seq: SEQ })).rejects.toFailWithCode('ROOT_MISMATCH');
    expect(unreadableLedger.reads).toBe(0);
  });
});

describe('when the log holds no tiles (a deployment from before the tiled log)', () => {
  it('answers from the full ledger, as before', async () => {
    const deps = ledgerDeps(await tileDeps([]));
    const result = await proveInclusion(deps, { seq: 7 });
    expect(result.proof).toEqual(hex(inclusionProof(ledger.leafHashes, 7)));
  });
});
