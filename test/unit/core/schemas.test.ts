import { describe, expect, it } from 'vitest';
import { isLedgerError } from '../../../core/errors';
import { parseDeposit, parseLedgerRecord, parsePartySignature } from '../../../core/schemas';
import { sampleChain, sampleDeposit } from './fixtures';

/** What storage hands back: JSON text, parsed. */
const stored = <T>(value: T): Record<string, unknown> =>
  JSON.parse(JSON.stringify(value)) as Record<string, unknown>;
const deposit = stored(sampleDeposit());
const record = stored(sampleChain(1)[0]);

function issuePath(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    if (isLedgerError(error, 'INVALID_INPUT')) return error.details.path;
    throw error;
  }
  return 'accepted';
}

describe('parseDeposit', () => {
  it('accepts a deposit read back from storage', () => {
    expect(parseDeposit(deposit)).toEqual(sampleDeposit());
  });

  it.each<[string, Record<string, unknown>, string]>([
    ['an unknown property', { ...deposit, status: 'PENDING' }, ''],
    ['an upper-case hash', { ...deposit, sha256: 'A'.repeat(64) }, 'sha256'],
    ['a short hash', { ...deposit, sha256: 'a'.repeat(63) }, 'sha256'],
    ['a negative size', { ...deposit, size: -1 }, 'size'],
    ['a fractional size', { ...deposit, size: 1.5 }, 'size'],
    ['a size beyond the safe integers', { ...deposit, size: 2 ** 53 }, 'size'],
    [
      'a time with an offset',
      { ...deposit, uploadedAt: '2024-05-01T13:59:58+02:00' },
      'uploadedAt',
    ],
    ['a time that is not a date', { ...deposit, uploadedAt: '2024-02-30T00:00:00Z' }, 'uploadedAt'],
    ['a key of 1025 bytes', { ...deposit, key: 'k'.repeat(1025) }, 'key'],
    ['a key of 1024 characters but more bytes', { ...deposit, key: 'é'.repeat(1024) }, 'key'],
    ['an empty key', { ...deposit, key: '' }, 'key'],
    ['an invalid bucket name', { ...deposit, bucket: 'Evidence_Bucket' }, 'bucket'],
    [
      'metadata over 2 KiB',
      { ...deposit, caseMetadata: { a: 'x'.repeat(1024), b: 'y'.repeat(1024) } },
      'caseMetadata',
    ],
    [
      'an upper-case metadata key',
      { ...deposit, caseMetadata: { 'Case-Id': '1' } },
      'caseMetadata.Case-Id',
    ],
    [
      'a __proto__ metadata key',
      { ...deposit, caseMetadata: JSON.parse('{"__proto__":"x"}') as unknown },
      'caseMetadata.__proto__',
    ],
    [
      'an unknown uploader property',
      { ...deposit, uploader: { principalId: null, sourceIp: null, arn: 'x' } },
      'uploader',
    ],
  ])('rejects %s with INVALID_INPUT at its path', (_what, input, path) => {
    expect(issuePath(() => parseDeposit(input))).toBe(path);
  });

  it('accepts metadata of exactly 2 KiB', () => {
    const caseMetadata = { a: 'x'.repeat(1023), b: 'y'.repeat(1023) };
    expect(parseDeposit({ ...deposit, caseMetadata }).caseMetadata).toEqual(caseMetadata);
  });

  it('rejects values that are not objects', () => {
    expect(issuePath(() => parseDeposit('deposit'))).toBe('');
  });
});

describe('parsePartySignature', () => {
  const signature = (record.signatures as Record<string, unknown>[])[0]!;

  it.each<[string, Record<string, unknown>, string]>([
    ['an unknown role', { ...signature, role: 'auditor' }, 'role'],
    ['another algorithm', { ...signature, algorithm: 'RSASSA_PSS_SHA_256' }, 'algorithm'],
    ['a base64url signature', { ...signature, signature: 'MEUC-_==' }, 'signature'],
    ['a signature over 200 characters', { ...signature, signature: 'A'.repeat(204) }, 'signature'],
  ])('rejects %s with INVALID_INPUT at its path', (_what, input, path) => {
    expect(issuePath(() => parsePartySignature(input))).toBe(path);
  });
});

describe('parseLedgerRecord', () => {
  it('accepts a record read back from storage', () => {
    expect(parseLedgerRecord(record)).toEqual(sampleChain(1)[0]);
  });

  it.each<[string, Record<string, unknown>, string]>([
    ['a missing recordHash', { ...record, recordHash: undefined }, 'recordHash'],
    ['an unknown type', { ...record, type: 'evidence-ledger/record/v2' }, 'type'],
    ['a negative seq', { ...record, seq: -1 }, 'seq'],
    [
      'more signatures than roles',
      {
        ...record,
        signatures: [...(record.signatures as unknown[]), (record.signatures as unknown[])[0]],
      },
      'signatures',
    ],
    [
      'a malformed nested deposit',
      { ...record, deposit: { ...deposit, sha256: 'x' } },
      'deposit.sha256',
    ],
  ])('rejects %s with INVALID_INPUT at its path', (_what, input, path) => {
    expect(issuePath(() => parseLedgerRecord(input))).toBe(path);
  });
});
