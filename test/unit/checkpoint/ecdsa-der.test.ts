import { describe, expect, it } from 'vitest';
import { derToRawSignature, rawToDerSignature } from '../../../core/checkpoint/ecdsa-der';

const raw = Uint8Array.from({ length: 64 }, (_, i) => (i === 0 || i === 32 ? 0x80 : i));

describe('a P-256 signature', () => {
  it('round-trips between r||s and DER, with sign bytes on high-bit integers', () => {
    const der = rawToDerSignature(raw);
    expect([...der.subarray(0, 5)]).toEqual([0x30, 70, 0x02, 33, 0x00]);
    expect(derToRawSignature(der)).toEqual(raw);
  });

  it('drops leading zero bytes of small integers', () => {
    const small = new Uint8Array(64);
    small[31] = 1;
    small[63] = 2;
    expect([...rawToDerSignature(small)]).toEqual([0x30, 6, 0x02, 1, 1, 0x02, 1, 2]);
  });
});

describe('when a DER signature is not strict DER', () => {
  it.each([
    ['a non-minimal integer', [0x30, 7, 0x02, 2, 0x00, 1, 0x02, 1, 2]],
    ['a negative integer', [0x30, 6, 0x02, 1, 0x81, 0x02, 1, 2]],
    ['trailing bytes', [0x30, 6, 0x02, 1, 1, 0x02, 1, 2, 0]],
    ['a wrong sequence length', [0x30, 7, 0x02, 1, 1, 0x02, 1, 2]],
    ['a missing s', [0x30, 3, 0x02, 1, 1]],
  ])('fails with CHECKPOINT_SIGNATURE_INVALID on %s', (_, bytes) => {
    expect(() => derToRawSignature(Uint8Array.from(bytes))).toThrowError(
      expect.objectContaining({ code: 'CHECKPOINT_SIGNATURE_INVALID' }) as Error,
    );
  });
});
