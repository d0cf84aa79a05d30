import canonicalize from 'canonicalize';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canonicalJson } from '../../../core/canonical-json';
import {
  canonicalDeposit,
  canonicalObjectVersion,
  canonicalRecord,
  canonicalRecordBody,
  canonicalStatement,
  fastDepositText,
} from '../../../core/canonical-record';
import { pickDeposit, pickRecordBody } from '../../../core/known-fields';
import type { AttestationStatement, Deposit, LedgerRecord } from '../../../core/types';
import { anyNumber, anyString, jsonish } from './json-arbitraries';
import { sampleChain } from './fixtures';

/** Mostly what the schema admits (the fast path), sometimes anything at all (the fallback). */
const text = fc.oneof(
  { weight: 4, arbitrary: fc.string() },
  { weight: 1, arbitrary: anyString },
  { weight: 1, arbitrary: jsonish },
);
const count = fc.oneof({ weight: 4, arbitrary: fc.nat() }, { weight: 1, arbitrary: anyNumber });
const nullableText = fc.oneof(fc.constant(null), text);

const deposit = fc
  .record({
    depositId: text,
    bucket: text,
    key: text,
    versionId: text,
    size: count,
    sha256: text,
    uploadedAt: text,
    uploader: fc.oneof(
      { weight: 6, arbitrary: fc.record({ principalId: nullableText, sourceIp: nullableText }) },
      { weight: 1, arbitrary: jsonish },
    ),
    caseMetadata: fc.oneof(
      { weight: 6, arbitrary: fc.dictionary(anyString, text, { maxKeys: 6 }) },
      { weight: 1, arbitrary: jsonish },
    ),
  })
  .map((d) => d as unknown as Deposit);

const signature = fc.record({
  role: fc.oneof(fc.constantFrom('agency', 'custodian'), text),
  keyId: text,
  algorithm: fc.oneof(fc.constant('ECDSA_P256_SHA256'), text),
  signature: text,
});

const record = fc
  .record({
    type: fc.oneof(fc.constant('evidence-ledger/record/v1'), text),
    seq: count,
    prevHash: text,
    sequencedAt: text,
    deposit,
    signatures: fc.oneof(
      { weight: 6, arbitrary: fc.array(signature, { maxLength: 3 }) },
      { weight: 1, arbitrary: jsonish },
    ),
    recordHash: text,
  })
  .map((r) => r as unknown as LedgerRecord);

/** The text, or the error's code and message: what a caller can observe. */
function outcome(write: () => string): string {
  try {
    return `ok ${write()}`;
  } catch (error) {
    return `error ${String(error)}`;
  }
}

/** The fast writer agrees with canonicalJson of the known fields, and with `canonicalize`. */
function agrees(fast: () => string, reference: () => string, value: () => unknown) {
  const expected = outcome(reference);
  expect(outcome(fast)).toBe(expected);
  if (expected.startsWith('ok ')) expect(fast()).toBe(canonicalize(value()));
}

describe('the record-shaped canonical writers', () => {
  it('write canonicalJson of a record body, or fail as it does, for any record', () => {
    fc.assert(
      fc.property(record, (r) =>
        agrees(
          () => canonicalRecordBody(r),
          () => canonicalJson(pickRecordBody(r)),
          () => pickRecordBody(r),
        ),
      ),
      { numRuns: 1500 },
    );
  });

  it('write canonicalJson of a record with its recordHash, or fail as it does', () => {
    fc.assert(
      fc.property(record, (r) => {
        const known = () => ({ ...pickRecordBody(r), recordHash: r.recordHash });
        agrees(
          () => canonicalRecord(r),
          () => canonicalJson(known()),
          known,
        );
      }),
      { numRuns: 1500 },
    );
  });

  it('write canonicalJson of a deposit, its coordinates and its statements', () => {
    fc.assert(
      fc.property(deposit, fc.constantFrom('agency', 'custodian'), (d, role) => {
        agrees(
          () => canonicalDeposit(d),
          () => canonicalJson(pickDeposit(d)),
          () => pickDeposit(d),
        );
        const coordinates = () => ({ bucket: d.bucket, key: d.key, versionId: d.versionId });
        agrees(
          () => canonicalObjectVersion(d),
          () => canonicalJson(coordinates()),
          coordinates,
        );
        const statement = {
          type: 'evidence-ledger/attestation/v1',
          role,
          deposit: d,
        } as AttestationStatement;
        const known = () => ({ ...statement, deposit: pickDeposit(d) });
        agrees(
          () => canonicalStatement(statement),
          () => canonicalJson(known()),
          known,
        );
      }),
      { numRuns: 1500 },
    );
  });

  it('write the same text when handed the deposit text written once for the record', () => {
    fc.assert(
      fc.property(record, fc.constantFrom('agency', 'custodian'), (r, role) => {
        const written = fastDepositText(r.deposit);
        if (written !== undefined) expect(written).toBe(canonicalDeposit(r.deposit));
        const known = () => ({ ...pickRecordBody(r), recordHash: r.recordHash });
        agrees(
          () => canonicalRecordBody(r, written),
          () => canonicalJson(pickRecordBody(r)),
          () => pickRecordBody(r),
        );
        agrees(
          () => canonicalRecord(r, written),
          () => canonicalJson(known()),
          known,
        );
        const statement = {
          type: 'evidence-ledger/attestation/v1',
          role,
          deposit: r.deposit,
        } as AttestationStatement;
        const knownStatement = () => ({ ...statement, deposit: pickDeposit(r.deposit) });
        agrees(
          () => canonicalStatement(statement, written),
          () => canonicalJson(knownStatement()),
          knownStatement,
        );
      }),
      { numRuns: 1500 },
    );
  });

  it('write the same text as canonicalJson for real records, line for line', () => {
    for (const r of sampleChain(20)) {
      expect(canonicalRecord(r)).toBe(canonicalJson(r));
      expect(canonicalRecordBody(r)).toBe(canonicalJson(pickRecordBody(r)));
    }
  });
});
