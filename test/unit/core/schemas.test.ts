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

describe('times (docs/FORMAT.md §1: exactly what toISOString() writes)', () => {
  it('accepts YYYY-MM-DDTHH:MM:SS.sssZ, the spelling of Date.prototype.toISOString()', () => {
    const uploadedAt = new Date(Date.UTC(2026, 10, 24, 2, 36, 51)).toISOString();
    expect(parseDeposit({ ...deposit, uploadedAt }).uploadedAt).toBe('2026-11-24T02:36:51.000Z');
  });

  it.each([
    ['no fractional seconds', '2024-05-01T11:59:58Z'],
    ['one fractional digit', '2024-05-01T11:59:58.1Z'],
    ['microseconds', '2024-05-01T11:59:58.123456Z'],
    ['a lower-case z', '2024-05-01T11:59:58.123z'],
    ['a zero offset instead of Z', '2024-05-01T11:59:58.123+00:00'],
    ['a space instead of T', '2024-05-01 11:59:58.123Z'],
    ['hour 24', '2024-05-01T24:00:00.000Z'],
    ['a leap second', '2024-06-30T23:59:60.000Z'],
    ['the 30th of February', '2024-02-30T00:00:00.000Z'],
    ['an expanded year', '+002024-05-01T11:59:58.123Z'],
  ])('rejects %s in uploadedAt and sequencedAt with INVALID_INPUT', (_what, time) => {
    expect(issuePath(() => parseDeposit({ ...deposit, uploadedAt: time }))).toBe('uploadedAt');
    expect(issuePath(() => parseLedgerRecord({ ...record, sequencedAt: time }))).toBe(
      'sequencedAt',
    );
  });
});

describe('string bounds (docs/FORMAT.md §1: UTF-8 bytes)', () => {
  const uploader = (principalId: string | null, sourceIp: string | null = null) => ({
    ...deposit,
    uploader: { principalId, sourceIp },
  });

  it('accepts a principalId of 512 bytes and refuses 513, counting UTF-8 bytes not characters', () => {
    expect(issuePath(() => parseDeposit(uploader('p'.repeat(512))))).toBe('accepted');
    expect(issuePath(() => parseDeposit(uploader('p'.repeat(513))))).toBe('uploader.principalId');
    // 256 two-byte characters are 512 bytes; 257 are 514 bytes in 257 UTF-16 units.
    expect(issuePath(() => parseDeposit(uploader('é'.repeat(256))))).toBe('accepted');
    expect(issuePath(() => parseDeposit(uploader('é'.repeat(257))))).toBe('uploader.principalId');
    // 128 astral characters are 512 bytes in 256 UTF-16 units; 129 are 516 bytes.
    expect(issuePath(() => parseDeposit(uploader('😀'.repeat(129))))).toBe('uploader.principalId');
  });

  it.each<[string, Record<string, unknown>, string]>([
    [
      'a versionId of 1024 characters but 2048 bytes',
      { ...deposit, versionId: 'é'.repeat(1024) },
      'versionId',
    ],
    ['a sourceIp of 46 bytes', uploader(null, '1'.repeat(46)), 'uploader.sourceIp'],
    [
      'a metadata value over 2 KiB in bytes',
      { ...deposit, caseMetadata: { a: 'é'.repeat(1025) } },
      'caseMetadata.a',
    ],
  ])('rejects %s with INVALID_INPUT', (_what, input, path) => {
    expect(issuePath(() => parseDeposit(input))).toBe(path);
  });

  it('rejects a keyId of 2048 characters but more bytes', () => {
    const signature = (record.signatures as Record<string, unknown>[])[0]!;
    expect(issuePath(() => parsePartySignature({ ...signature, keyId: 'é'.repeat(2048) }))).toBe(
      'keyId',
    );
  });
});

describe('principalId and sourceIp (docs/FORMAT.md §4: null means not reported)', () => {
  it('accepts null for a value the event did not report', () => {
    const input = { ...deposit, uploader: { principalId: null, sourceIp: null } };
    expect(parseDeposit(input).uploader).toEqual({ principalId: null, sourceIp: null });
  });

  it('rejects an empty string, a second spelling of "not reported", with INVALID_INPUT', () => {
    const empty = { ...deposit, uploader: { principalId: '', sourceIp: null } };
    expect(issuePath(() => parseDeposit(empty))).toBe('uploader.principalId');
    const noIp = { ...deposit, uploader: { principalId: null, sourceIp: '' } };
    expect(issuePath(() => parseDeposit(noIp))).toBe('uploader.sourceIp');
  });
});
