import { describe, expect, it } from 'vitest';
import { bytesToHex, utf8Encode } from '../../../core/encoding';
import {
  ATTESTATION_DOMAIN,
  DEPOSIT_ID_DOMAIN,
  domainHash,
  domainSeparated,
  RECORD_DOMAIN,
  sha256,
} from '../../../core/hashing';

describe('sha256', () => {
  // FIPS 180-4 examples (NIST CSRC "SHA256.pdf").
  it.each([
    ['abc', 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad'],
    ['', 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855'],
  ])('hashes %j to the published digest', (text, digest) => {
    expect(bytesToHex(sha256(utf8Encode(text)))).toBe(digest);
  });
});

describe('domainHash', () => {
  it('hashes utf8(domain) || 0x00 || bytes', () => {
    const expected = sha256(utf8Encode('evidence-ledger:record:v1\0abc'));
    expect(domainHash(RECORD_DOMAIN, utf8Encode('abc'))).toEqual(expected);
  });

  it('gives different hashes for the same bytes under different domains', () => {
    const bytes = utf8Encode('{}');
    const hashes = [ATTESTATION_DOMAIN, RECORD_DOMAIN, DEPOSIT_ID_DOMAIN].map((d) =>
      bytesToHex(domainHash(d, bytes)),
    );
    expect(new Set(hashes).size).toBe(3);
  });

  it.each(['', 'a\0b'])(
    'refuses the domain %j, which would make the prefix ambiguous',
    (domain) => {
      expect(() => domainSeparated(domain, new Uint8Array())).toFailWithCode('INVALID_INPUT');
    },
  );
});
