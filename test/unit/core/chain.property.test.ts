import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { buildRecords, verifyChain } from '../../../core/chain';
import { depositIdFor } from '../../../core/deposit-id';
import { GENESIS_HEAD, type Deposit, type LedgerRecord } from '../../../core/types';
import { placeholderSignatures } from './fixtures';

const hex64 = fc.stringMatching(/^[0-9a-f]{64}$/);

/** Deposit facts with a distinct key per index, so every deposit id is distinct. */
const depositAt = (i: number) =>
  fc
    .record({ size: fc.nat(), sha256: hex64, tag: fc.string({ maxLength: 8 }) })
    .map(({ size, sha256, tag }): Deposit => {
      const coordinates = { bucket: 'evidence-bucket', key: `k/${i}/${tag}`, versionId: `v${i}` };
      return {
        depositId: depositIdFor(coordinates),
        ...coordinates,
        size,
        sha256,
        uploadedAt: '2024-05-01T11:59:58.123Z',
        uploader: { principalId: null, sourceIp: null },
        caseMetadata: { tag },
      };
    });

const chainOf = (min: number) =>
  fc
    .integer({ min, max: 200 })
    .chain((n) => fc.tuple(...Array.from({ length: n }, (_, i) => depositAt(i))))
    .map((deposits): LedgerRecord[] => {
      const approved = deposits.map((deposit) => ({
        deposit,
        signatures: placeholderSignatures(),
      }));
      return buildRecords(GENESIS_HEAD, approved, new Date(Date.UTC(2024, 4, 1))).records;
    });

/** A chain and an index into it (below `records.length - spare`). */
const chainAndIndex = (min: number, spare = 0) =>
  chainOf(min).chain((records) =>
    fc.tuple(fc.constant(records), fc.nat({ max: records.length - 1 - spare })),
  );

const firstFailure = (records: readonly LedgerRecord[]) => {
  const failure = verifyChain(records).failures[0];
  return failure && { code: failure.code, seq: failure.seq };
};

const RUNS = { numRuns: 40 };

describe('verifyChain on random chains of 1 to 200 records', () => {
  it('passes every chain buildRecords makes, ending at the last record', () => {
    fc.assert(
      fc.property(chainOf(1), (records) => {
        const last = records[records.length - 1]!;
        expect(verifyChain(records)).toEqual({
          ok: true,
          failures: [],
          head: { nextSeq: records.length, lastHash: last.recordHash },
        });
      }),
      RUNS,
    );
  });

  it('detects any dropped record but the last with CHAIN_GAP at the next seq', () => {
    fc.assert(
      fc.property(chainAndIndex(2, 1), ([records, i]) => {
        expect(firstFailure(records.toSpliced(i, 1))).toEqual({ code: 'CHAIN_GAP', seq: i + 1 });
      }),
      RUNS,
    );
  });

  it('detects any record repeated later with CHAIN_DUPLICATE at its seq', () => {
    fc.assert(
      fc.property(
        chainAndIndex(1).chain(([records, i]) =>
          fc.tuple(
            fc.constant(records),
            fc.constant(i),
            fc.integer({ min: i + 1, max: records.length }),
          ),
        ),
        ([records, i, at]) => {
          expect(firstFailure(records.toSpliced(at, 0, records[i]!))).toEqual({
            code: 'CHAIN_DUPLICATE',
            seq: i,
          });
        },
      ),
      RUNS,
    );
  });

  it('detects any two swapped records with CHAIN_GAP at the one moved earlier', () => {
    fc.assert(
      fc.property(
        chainAndIndex(2, 1).chain(([records, i]) =>
          fc.tuple(
            fc.constant(records),
            fc.constant(i),
            fc.integer({ min: i + 1, max: records.length - 1 }),
          ),
        ),
        ([records, i, j]) => {
          const swapped = records.with(i, records[j]!).with(j, records[i]!);
          expect(firstFailure(swapped)).toEqual({ code: 'CHAIN_GAP', seq: j });
        },
      ),
      RUNS,
    );
  });

  const hashFields = ['recordHash', 'prevHash', 'sha256', 'depositId'] as const;
  it('detects a flipped hex character in any hash of any record with RECORD_HASH_MISMATCH', () => {
    fc.assert(
      fc.property(
        chainAndIndex(1),
        fc.constantFrom(...hashFields),
        fc.nat({ max: 63 }),
        fc.integer({ min: 1, max: 15 }),
        ([records, i], field, position, delta) => {
          const flip = (hex: string) =>
            hex.slice(0, position) +
            ((Number.parseInt(hex[position]!, 16) + delta) % 16).toString(16) +
            hex.slice(position + 1);
          const record = records[i]!;
          const tampered =
            field === 'sha256' || field === 'depositId'
              ? { ...record, deposit: { ...record.deposit, [field]: flip(record.deposit[field]) } }
              : { ...record, [field]: flip(record[field]) };
          expect(firstFailure(records.with(i, tampered))).toEqual({
            code: 'RECORD_HASH_MISMATCH',
            seq: i,
          });
        },
      ),
      RUNS,
    );
  });
});
