import { p256 } from '@noble/curves/nist.js';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  derToP1363,
  isStrictDerSignature,
  p1363ToDer,
  verifyEcdsaP256Sha256,
} from '../../../core/ecdsa-p256';
import { bytesToHex, concatBytes, hexToBytes, utf8Encode } from '../../../core/encoding';
import { createInMemorySigner } from '../../../tools/fakes/in-memory-signer';

const ORDER = 'ffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551';
/** SubjectPublicKeyInfo header for an uncompressed P-256 point (RFC 5480 §2). */
const SPKI_P256_PREFIX = hexToBytes('3059301306072a8648ce3d020106082a8648ce3d030107034200');

/** DER SEQUENCE { INTEGER r, INTEGER s } from the hex of each INTEGER's content bytes. */
function der(rHex: string, sHex: string): Uint8Array {
  const int = (hex: string) => concatBytes(Uint8Array.of(0x02, hex.length / 2), hexToBytes(hex));
  const content = concatBytes(int(rHex), int(sHex));
  return concatBytes(Uint8Array.of(0x30, content.length), content);
}

describe('derToP1363', () => {
  it('left-pads short integers and drops the sign byte of long ones', () => {
    const raw = derToP1363(der('01', `00${'80'.repeat(32)}`));
    expect(bytesToHex(raw)).toBe(`${'00'.repeat(31)}01${'80'.repeat(32)}`);
  });

  it.each([
    ['an empty input', new Uint8Array()],
    ['a wrong outer tag (SET)', Uint8Array.of(0x31, ...der('01', '01').subarray(1))],
    [
      'a wrong inner tag (BIT STRING)',
      Uint8Array.of(0x30, 0x06, 0x03, 0x01, 0x01, 0x02, 0x01, 0x01),
    ],
    ['a trailing byte', concatBytes(der('01', '01'), Uint8Array.of(0))],
    [
      'a trailing byte inside the SEQUENCE',
      Uint8Array.of(0x30, 0x07, 0x02, 0x01, 0x01, 0x02, 0x01, 0x01, 0x00),
    ],
    ['a missing byte', der('01', '01').subarray(0, 7)],
    ['a long-form length', Uint8Array.of(0x30, 0x81, 0x06, ...der('01', '01').subarray(2))],
    ['a non-minimal integer (leading 00 before a low byte)', der('0001', '01')],
    ['a negative integer', der('80', '01')],
    ['a zero-length integer', Uint8Array.of(0x30, 0x05, 0x02, 0x00, 0x02, 0x01, 0x01)],
    ['r = 0', der('00', '01')],
    ['s = n', der('01', `00${ORDER}`)],
    ['r longer than 32 bytes', der(`01${'00'.repeat(32)}`, '01')],
    [
      'a third INTEGER',
      Uint8Array.of(0x30, 0x09, 0x02, 0x01, 0x01, 0x02, 0x01, 0x01, 0x02, 0x01, 0x01),
    ],
  ])('rejects %s with SIGNATURE_INVALID', (_what, bytes) => {
    expect(() => derToP1363(bytes)).toFailWithCode('SIGNATURE_INVALID');
    expect(isStrictDerSignature(bytes)).toBe(false);
  });

  it('reads what @noble/curves writes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 48, maxLength: 48 }), fc.string(), (seed, text) => {
        const { secretKey } = p256.keygen(seed);
        const signature = p256.sign(utf8Encode(text), secretKey, { format: 'der', lowS: false });
        const compact = p256.Signature.fromBytes(signature, 'der').toBytes('compact');
        expect(derToP1363(signature)).toEqual(compact);
      }),
      { numRuns: 50 },
    );
  });
});

/** Whether noble's strict parser (derToP1363) accepts `bytes`. */
function nobleAccepts(bytes: Uint8Array): boolean {
  try {
    derToP1363(bytes);
    return true;
  } catch {
    return false;
  }
}

describe('isStrictDerSignature, the byte check run before every verification', () => {
  const scalarHex = fc.oneof(
    fc.uint8Array({ minLength: 0, maxLength: 34 }).map(bytesToHex),
    fc.constantFrom('00', '01', '7f', '80', '0080', '00ff', ORDER, `00${ORDER}`),
    fc.constantFrom(ORDER.slice(0, -2) + '50', ORDER.slice(0, -2) + '52', `0000${'ff'.repeat(31)}`),
    fc.uint8Array({ minLength: 32, maxLength: 32 }).map((b) => `00${bytesToHex(b)}`),
  );
  /** Well-formed and broken DER alike: random INTEGERs, then a byte flipped, cut or added. */
  const candidate = fc.oneof(
    fc.uint8Array({ maxLength: 80 }),
    fc.tuple(scalarHex, scalarHex).map(([r, s]) => der(r, s)),
    fc
      .tuple(scalarHex, scalarHex, fc.nat(), fc.integer({ min: 0, max: 255 }), fc.nat(3))
      .map(([r, s, at, byte, how]) => {
        const bytes = der(r, s);
        const i = at % bytes.length;
        if (how === 0) return bytes.subarray(0, i);
        if (how === 1) return concatBytes(bytes, Uint8Array.of(byte));
        const copy = Uint8Array.from(bytes);
        copy[i] = byte;
        return copy;
      }),
  );

  it('accepts exactly what noble accepts', () => {
    fc.assert(
      fc.property(candidate, (bytes) => {
        expect(isStrictDerSignature(bytes)).toBe(nobleAccepts(bytes));
      }),
      { numRuns: 20_000 },
    );
  });

  it('accepts every signature noble writes, high s included', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 48, maxLength: 48 }), fc.string(), (seed, text) => {
        const { secretKey } = p256.keygen(seed);
        const signature = p256.sign(utf8Encode(text), secretKey, { format: 'der', lowS: false });
        expect(isStrictDerSignature(signature)).toBe(true);
      }),
      { numRuns: 50 },
    );
  });
});

describe('p1363ToDer', () => {
  const scalar = fc
    .uint8Array({ minLength: 32, maxLength: 32 })
    .filter((b) => b.some((x) => x !== 0) && bytesToHex(b) < ORDER);

  it('round-trips every in-range r||s through minimal DER', () => {
    fc.assert(
      fc.property(scalar, scalar, (r, s) => {
        const raw = concatBytes(r, s);
        const encoded = p1363ToDer(raw);
        expect(derToP1363(encoded)).toEqual(raw);
        expect(encoded.length).toBeLessThanOrEqual(72);
      }),
    );
  });

  it('adds a sign byte to high-bit integers and drops leading zeros of small ones', () => {
    const high = Uint8Array.from({ length: 64 }, (_, i) => (i === 0 || i === 32 ? 0x80 : i));
    expect([...p1363ToDer(high).subarray(0, 5)]).toEqual([0x30, 70, 0x02, 33, 0x00]);
    const small = new Uint8Array(64);
    small[31] = 1;
    small[63] = 2;
    expect([...p1363ToDer(small)]).toEqual([0x30, 6, 0x02, 1, 1, 0x02, 1, 2]);
  });

  it('rejects a raw signature that is not 64 bytes', () => {
    expect(() => p1363ToDer(new Uint8Array(63))).toFailWithCode('SIGNATURE_INVALID');
  });
});

describe('verifyEcdsaP256Sha256', () => {
  const message = utf8Encode('evidence-ledger:attestation:v1\0{}');

  it('accepts a signature over the message and refuses one over other bytes', async () => {
    const signer = await createInMemorySigner('agency');
    const signature = await signer.sign(message);
    await expect(verifyEcdsaP256Sha256(signer.publicKeySpki(), message, signature)).resolves.toBe(
      true,
    );
    const other = utf8Encode('evidence-ledger:attestation:v1\0[]');
    await expect(verifyEcdsaP256Sha256(signer.publicKeySpki(), other, signature)).resolves.toBe(
      false,
    );
  });

  it('refuses a signature made with another key', async () => {
    const [signer, stranger] = await Promise.all([
      createInMemorySigner('agency'),
      createInMemorySigner('agency'),
    ]);
    const signature = await stranger.sign(message);
    await expect(verifyEcdsaP256Sha256(signer.publicKeySpki(), message, signature)).resolves.toBe(
      false,
    );
  });

  it('accepts a DER signature from an independent implementation (@noble/curves)', async () => {
    const { secretKey, publicKey } = p256.keygen(new Uint8Array(48).fill(7));
    const spki = concatBytes(SPKI_P256_PREFIX, p256.Point.fromBytes(publicKey).toBytes(false));
    const signature = p256.sign(message, secretKey, { format: 'der' });
    await expect(verifyEcdsaP256Sha256(spki, message, signature)).resolves.toBe(true);
  });

  it('accepts a high-s signature, as KMS and WebCrypto do (no low-s rule)', async () => {
    const { secretKey, publicKey } = p256.keygen(new Uint8Array(48).fill(9));
    const spki = concatBytes(SPKI_P256_PREFIX, p256.Point.fromBytes(publicKey).toBytes(false));
    const low = p256.Signature.fromBytes(p256.sign(message, secretKey), 'compact');
    const high = new p256.Signature(low.r, p256.Point.CURVE().n - low.s);
    expect(high.hasHighS()).toBe(true);
    await expect(verifyEcdsaP256Sha256(spki, message, high.toBytes('der'))).resolves.toBe(true);
  });

  it('throws SIGNATURE_INVALID for malformed DER instead of returning false', async () => {
    const signer = await createInMemorySigner('agency');
    const signature = concatBytes(await signer.sign(message), Uint8Array.of(0));
    await expect(
      verifyEcdsaP256Sha256(signer.publicKeySpki(), message, signature),
    ).rejects.toMatchObject({
      code: 'SIGNATURE_INVALID',
    });
  });

  it('throws INVALID_INPUT for a key that is not a P-256 SPKI', async () => {
    const signer = await createInMemorySigner('agency');
    const signature = await signer.sign(message);
    await expect(
      verifyEcdsaP256Sha256(Uint8Array.of(1, 2, 3), message, signature),
    ).rejects.toMatchObject({
      code: 'INVALID_INPUT',
    });
  });
});
