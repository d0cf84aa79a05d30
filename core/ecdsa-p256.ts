/**
 * ECDSA P-256 / SHA-256 signatures. KMS returns them DER-encoded (RFC 3279 §2.2.3:
 * SEQUENCE { r INTEGER, s INTEGER }); WebCrypto wants the fixed 64-byte r||s form of
 * IEEE P1363 (WebCrypto §23.4). The conversions are @noble/curves', whose DER parser is
 * strict (minimal lengths and integers, no trailing bytes, r and s in [1, n-1]) because
 * signatures come from storage and bundles: one signature value has one accepted encoding.
 * High-s signatures are accepted, as WebCrypto and KMS verification accept them.
 */
import { p256 } from '@noble/curves/nist.js';
import { LedgerError } from './errors';
import { bytesToHex } from './encoding';
import type { SignatureVerifier } from './ports/signature-verifier';

/** Runs a noble conversion; any refusal (noble throws plain Errors) becomes SIGNATURE_INVALID. */
function convert(what: string, run: () => Uint8Array): Uint8Array {
  try {
    return run();
  } catch (cause) {
    const reason = cause instanceof Error ? cause.message : String(cause);
    throw new LedgerError(
      'SIGNATURE_INVALID',
      `malformed ${what}: ${reason}`,
      { reason },
      { cause },
    );
  }
}

/** Strict DER → 64-byte r||s. Throws SIGNATURE_INVALID with the reason. */
export function derToP1363(der: Uint8Array): Uint8Array {
  return convert('DER signature', () => p256.Signature.fromBytes(der, 'der').toBytes('compact'));
}

/** The order n of P-256's base point (FIPS 186-5 / SEC 2), big-endian: r and s lie in [1, n-1]. */
const ORDER = Uint8Array.from([
  0xff, 0xff, 0xff, 0xff, 0x00, 0x00, 0x00, 0x00, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
  0xbc, 0xe6, 0xfa, 0xad, 0xa7, 0x17, 0x9e, 0x84, 0xf3, 0xb9, 0xca, 0xc2, 0xfc, 0x63, 0x25, 0x51,
]);

/**
 * Where the DER INTEGER at `at` ends, if it is one noble's parser accepts as r or s: short-form
 * length, complete, minimal (no needless leading zero), not negative, in [1, n-1]; else -1.
 */
function scalarEnd(der: Uint8Array, at: number, end: number): number {
  if (at + 2 > end || der[at] !== 0x02) return -1;
  const length = der[at + 1]!;
  const from = at + 2;
  const to = from + length;
  if (length === 0 || length > 33 || to > end) return -1; // long forms have the top bit set
  const first = der[from]!;
  if (first & 0x80) return -1; // negative
  if (length > 1 && first === 0 && !(der[from + 1]! & 0x80)) return -1; // not minimal
  const start = first === 0 ? from + 1 : from; // the sign byte of a high value
  const digits = to - start;
  if (digits === 0) return -1; // zero
  if (digits < 32) return to;
  if (digits > 32) return -1;
  for (let i = 0; i < 32; i++) {
    const byte = der[start + i]!;
    if (byte !== ORDER[i]) return byte < ORDER[i]! ? to : -1;
  }
  return -1; // equal to n
}

/**
 * Whether `der` is a signature derToP1363 accepts: SEQUENCE { r INTEGER, s INTEGER } in strict
 * DER with r and s in [1, n-1]. Byte checks only, no big integers: it runs before every
 * verification (test/unit/core/ecdsa-p256.test.ts checks it agrees with noble's parser).
 */
export function isStrictDerSignature(der: Uint8Array): boolean {
  if (der.length < 2 || der.length > 80 || der[0] !== 0x30 || der[1] !== der.length - 2) {
    return false;
  }
  const afterR = scalarEnd(der, 2, der.length);
  return afterR !== -1 && scalarEnd(der, afterR, der.length) === der.length;
}

/** 64-byte r||s → minimal DER, as KMS would return it. Throws SIGNATURE_INVALID if out of range. */
export function p1363ToDer(raw: Uint8Array): Uint8Array {
  return convert('raw signature', () => p256.Signature.fromBytes(raw, 'compact').toBytes('der'));
}

const KEY_CACHE_LIMIT = 64;
const keyCache = new Map<string, Promise<CryptoKey>>();

/** Imports an SPKI P-256 key once; later calls with the same bytes reuse the CryptoKey. */
function importVerifyKey(spki: Uint8Array): Promise<CryptoKey> {
  const id = bytesToHex(spki);
  let key = keyCache.get(id);
  if (key === undefined) {
    key = globalThis.crypto.subtle
      .importKey('spki', new Uint8Array(spki), { name: 'ECDSA', namedCurve: 'P-256' }, false, [
        'verify',
      ])
      .catch((cause: unknown) => {
        keyCache.delete(id);
        throw new LedgerError('INVALID_INPUT', 'public key is not a P-256 SPKI', {}, { cause });
      });
    if (keyCache.size >= KEY_CACHE_LIMIT) keyCache.delete(keyCache.keys().next().value!);
    keyCache.set(id, key);
  }
  return key;
}

/** The core's default verifier: WebCrypto, available in browsers and in Node. */
export const webCryptoSignatureVerifier: SignatureVerifier = {
  async verify(spkiDer, message, derSignature) {
    const raw = derToP1363(derSignature);
    const key = await importVerifyKey(spkiDer);
    return globalThis.crypto.subtle.verify(
      { name: 'ECDSA', hash: 'SHA-256' },
      key,
      new Uint8Array(raw),
      new Uint8Array(message),
    );
  },
};

/** Throws SIGNATURE_INVALID with noble's reason unless `der` is strict DER (checked by bytes). */
function requireStrictDer(der: Uint8Array): void {
  // noble's parser only when the byte check refuses: it throws with the reason.
  if (!isStrictDerSignature(der)) derToP1363(der);
}

/**
 * Whether `derSignature` is a valid ECDSA P-256 SHA-256 signature of `message` under the
 * SPKI public key. Returns false only for a well-formed signature that does not verify;
 * malformed DER throws SIGNATURE_INVALID (checked here, before any `verifier` sees it) and a
 * malformed key throws INVALID_INPUT.
 */
export async function verifyEcdsaP256Sha256(
  spkiDer: Uint8Array,
  message: Uint8Array,
  derSignature: Uint8Array,
  verifier: SignatureVerifier = webCryptoSignatureVerifier,
): Promise<boolean> {
  requireStrictDer(derSignature);
  return verifier.verify(spkiDer, message, derSignature);
}

/** verifyEcdsaP256Sha256 with a verifier's synchronous form (ports/signature-verifier.ts). */
export function verifyEcdsaP256Sha256Sync(
  spkiDer: Uint8Array,
  message: Uint8Array,
  derSignature: Uint8Array,
  verifySync: NonNullable<SignatureVerifier['verifySync']>,
): boolean {
  requireStrictDer(derSignature);
  return verifySync(spkiDer, message, derSignature);
}
