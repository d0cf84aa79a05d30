import { describe, expect, it } from 'vitest';
import { canonicalJson } from '../../../core/canonical-json';
import { depositIdFor } from '../../../core/deposit-id';
import { bytesToHex, utf8Encode } from '../../../core/encoding';
import { sha256 } from '../../../core/hashing';

const version = { bucket: 'evidence-bucket', key: 'cases/1/a.jpg', versionId: 'v1' };

describe('depositIdFor', () => {
  it('is hex SHA-256 of the domain, a NUL and the canonical coordinates', () => {
    const preimage = `evidence-ledger:deposit-id:v1\0${canonicalJson(version)}`;
    expect(canonicalJson(version)).toBe(
      '{"bucket":"evidence-bucket","key":"cases/1/a.jpg","versionId":"v1"}',
    );
    expect(depositIdFor(version)).toBe(bytesToHex(sha256(utf8Encode(preimage))));
  });

  it('is the same for the same object version, whatever else the caller passes', () => {
    const withExtras = { ...version, size: 10, eventName: 'ObjectCreated:Put' };
    expect(depositIdFor(withExtras)).toBe(depositIdFor(version));
  });

  it.each([
    ['bucket', { ...version, bucket: 'other-bucket' }],
    ['key', { ...version, key: 'cases/1/b.jpg' }],
    ['versionId', { ...version, versionId: 'v2' }],
  ])('changes when the %s changes', (_field, other) => {
    expect(depositIdFor(other)).not.toBe(depositIdFor(version));
  });

  it('cannot be forged by moving characters between fields', () => {
    // Plain concatenation would make these equal; canonical JSON keeps the fields apart.
    const a = { bucket: 'ab', key: 'c', versionId: 'v' };
    const b = { bucket: 'a', key: 'bc', versionId: 'v' };
    expect(depositIdFor(a)).not.toBe(depositIdFor(b));
  });
});
