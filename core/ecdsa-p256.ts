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
  derToP1363(derSignature);
  return verifier.verify(spkiDer, message, derSignature);
}
