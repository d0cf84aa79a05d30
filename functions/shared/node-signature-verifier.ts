/**
 * The core's SignatureVerifier on node:crypto: OpenSSL's ECDSA P-256 verify, called directly
 * on the DER signature (no conversion to r||s) with a KeyObject parsed once per key. Used
 * wherever verification runs in Node (the CLI, the auditor, the bench); browsers keep the
 * core's WebCrypto default. The core checks that a signature is strict DER before it gets
 * here, so both verifiers accept exactly the same signatures.
 *
 * It offers both forms of crypto.verify: verifySync (OpenSSL on the calling thread), which
 * verifyLedgerRecords uses for whole ledgers because it costs the least CPU per signature,
 * and verify (the callback form, on libuv's thread pool) for the callers that check one
 * approval at a time. scripts/bench/verify-rate.ts measures both (docs/PERFORMANCE.md, d).
 */
import { createPublicKey, verify, type KeyObject } from 'node:crypto';
import { LedgerError } from '../../core/errors';
import type { SignatureVerifier } from '../../core/ports/signature-verifier';

const KEY_CACHE_LIMIT = 64;
const keyCache = new Map<string, KeyObject>();

/** Parses an SPKI P-256 key as WebCrypto importKey('spki', …, P-256) does; INVALID_INPUT otherwise. */
function parseVerifyKey(spki: Buffer): KeyObject {
  let key: KeyObject;
  try {
    key = createPublicKey({ key: spki, format: 'der', type: 'spki' });
  } catch (cause) {
    throw new LedgerError('INVALID_INPUT', 'public key is not a P-256 SPKI', {}, { cause });
  }
  if (key.asymmetricKeyType !== 'ec' || key.asymmetricKeyDetails?.namedCurve !== 'prime256v1') {
    throw new LedgerError('INVALID_INPUT', 'public key is not a P-256 SPKI');
  }
  return key;
}

/**
 * The KeyObject last found for each key array, with a copy of its bytes: a verifier is handed
 * the same array for every signature of a run, and comparing 91 bytes costs far less than
 * the base64 id of the map below. The copy makes a changed array miss, never a stale hit.
 */
const byArray = new WeakMap<Uint8Array, { readonly bytes: Uint8Array; readonly key: KeyObject }>();

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** The KeyObject of an SPKI P-256 key, parsed once per key. Throws INVALID_INPUT. */
export function nodeVerifyKey(spkiDer: Uint8Array): KeyObject {
  const known = byArray.get(spkiDer);
  if (known !== undefined && sameBytes(known.bytes, spkiDer)) return known.key;
  const key = keyOfBytes(spkiDer);
  byArray.set(spkiDer, { bytes: spkiDer.slice(), key });
  return key;
}

function keyOfBytes(spkiDer: Uint8Array): KeyObject {
  const spki = Buffer.from(spkiDer.buffer, spkiDer.byteOffset, spkiDer.byteLength);
  const id = spki.toString('base64');
  let key = keyCache.get(id);
  if (key === undefined) {
    key = parseVerifyKey(spki);
    if (keyCache.size >= KEY_CACHE_LIMIT) keyCache.delete(keyCache.keys().next().value!);
    keyCache.set(id, key);
  }
  return key;
}

export const nodeSignatureVerifier: SignatureVerifier = {
  verifySync(spkiDer, message, derSignature) {
    // The KeyObject alone: DER is the default encoding, and no options object per call.
    return verify('sha256', message, nodeVerifyKey(spkiDer), derSignature);
  },
  async verify(spkiDer, message, derSignature) {
    const key = nodeVerifyKey(spkiDer);
    return new Promise((resolve, reject) => {
      // The KeyObject alone: DER is the default encoding, and no options object per call.
      verify('sha256', message, key, derSignature, (error, valid) => {
        if (error) reject(error);
        else resolve(valid);
      });
    });
  },
};
